// Booking pages: ask before an action that cannot be undone (buttons with data-confirm).
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
})();
