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

// A dialog whose form came back with errors (the discharge) opens again with them.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".modal[data-open-on-load]").forEach((dialog) => {
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  });
});
