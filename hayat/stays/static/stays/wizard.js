// The booking wizard's room step: a room under "Free for the whole stay" is a button that puts the room into the
// place of the first guest without one (or of the guest whose choice was last touched), says so for screen
// readers, and marks which rooms are chosen. The form is sent as usual; the server checks every choice again.
(function () {
  "use strict";

  let lastTouched = null;

  function placeSelects() {
    return Array.from(document.querySelectorAll("#rooms-form select[name^='place_']"));
  }

  function labelOf(select) {
    const label = document.querySelector("label[for='" + select.id + "']");
    return label ? label.textContent.trim() : select.name;
  }

  function targetFor(selects) {
    return selects.find((select) => !select.value) || lastTouched || selects[0];
  }

  function markChosen() {
    const chosen = new Set(placeSelects().map((select) => select.value));
    document.querySelectorAll("[data-pick-place]").forEach((chip) => {
      const pressed = chosen.has(chip.dataset.pickPlace);
      chip.setAttribute("aria-pressed", pressed ? "true" : "false");
      chip.classList.toggle("btn-success", pressed);
      chip.classList.toggle("btn-outline-success", !pressed);
    });
  }

  document.addEventListener("focusin", (event) => {
    if (event.target.matches("#rooms-form select[name^='place_']")) lastTouched = event.target;
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches("#rooms-form select[name^='place_']")) markChosen();
  });
  document.addEventListener("click", (event) => {
    const chip = event.target.closest && event.target.closest("[data-pick-place]");
    if (!chip) return;
    const select = targetFor(placeSelects());
    if (!select || !select.querySelector("option[value='" + chip.dataset.pickPlace + "']")) return;
    select.value = chip.dataset.pickPlace;
    lastTouched = select;
    markChosen();
    const status = document.getElementById("place-picked");
    if (status) status.textContent = labelOf(select) + ": " + select.options[select.selectedIndex].text;
  });
  document.addEventListener("htmx:afterSwap", markChosen);
  document.addEventListener("DOMContentLoaded", markChosen);
})();
