// The episode page: a suggested physician chosen with one click fills the physician field.
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target.closest ? event.target.closest("[data-choose-physician]") : null;
    if (!button) return;
    const select = button.closest("form").querySelector("select[name=attending_physician]");
    if (select) { select.value = button.dataset.choosePhysician; select.dispatchEvent(new Event("change")); }
  });
})();
