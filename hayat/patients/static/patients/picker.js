// Patient pickers (templates/patients/_picker.html): choose from live search results, or register in the
// quick-registration modal; either way the hidden input gets the patient's id.
(function () {
  "use strict";
  if (window.hayatPatientPicker) return;
  window.hayatPatientPicker = true;

  function pickerFor(inputId) {
    return document.querySelector('[data-picker="' + CSS.escape(inputId) + '"]');
  }

  function choose(picker, id, label) {
    const input = document.getElementById(picker.dataset.picker);
    input.value = id;
    picker.querySelector(".picker-label").textContent = label;
    picker.querySelector(".picker-chosen").classList.remove("d-none");
    picker.querySelector(".picker-search").classList.add("d-none");
    picker.querySelector(".picker-results").innerHTML = "";
    input.dispatchEvent(new Event("change", { bubbles: true }));
    picker.dispatchEvent(new CustomEvent("patient:picked", { bubbles: true, detail: { id: id, label: label } }));
  }

  function clear(picker) {
    document.getElementById(picker.dataset.picker).value = "";
    picker.querySelector(".picker-chosen").classList.add("d-none");
    picker.querySelector(".picker-search").classList.remove("d-none");
    const box = picker.querySelector(".picker-input");
    box.value = "";
    box.focus();
  }

  function closeModal(inputId) {
    const modal = document.getElementById("quick-modal-" + inputId);
    if (modal) bootstrap.Modal.getOrCreateInstance(modal).hide();
  }

  // A modal inside the host page's <form> would nest forms: keep the modals at the end of <body>.
  function liftModals(root) {
    root.querySelectorAll("[data-picker-modal]").forEach((modal) => document.body.appendChild(modal));
  }
  document.addEventListener("DOMContentLoaded", () => liftModals(document));
  document.addEventListener("htmx:load", (event) => liftModals(event.detail.elt));
  if (document.readyState !== "loading") liftModals(document);

  document.addEventListener("click", (event) => {
    const option = event.target.closest("[data-pick-id]");
    if (option) {
      let picker = option.closest("[data-picker]");
      const modal = option.closest("[data-picker-modal]");
      if (!picker && modal) {
        picker = pickerFor(modal.dataset.pickerModal);
        closeModal(modal.dataset.pickerModal);
      }
      if (picker) {
        event.preventDefault();
        choose(picker, option.dataset.pickId, option.dataset.pickLabel);
      }
      return;
    }
    const clearButton = event.target.closest(".picker-clear");
    if (clearButton) clear(clearButton.closest("[data-picker]"));
  });

  // Enter in the search box picks the first result instead of submitting the host form.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.classList.contains("picker-input")) return;
    event.preventDefault();
    const picker = event.target.closest("[data-picker]");
    const first = picker.querySelector(".picker-results [data-pick-id]");
    if (first) choose(picker, first.dataset.pickId, first.dataset.pickLabel);
  });

  // The quick registration answered with HX-Trigger: {"patientPicked": {picker, id, label}}.
  document.body.addEventListener("patientPicked", (event) => {
    const picker = pickerFor(event.detail.picker);
    if (picker) choose(picker, String(event.detail.id), event.detail.label);
    setTimeout(() => closeModal(event.detail.picker), 600);
  });
})();
