// The command palette: Ctrl+K (or ⌘K) opens it from any page; what is typed asks the server (htmx, web:jump) for
// pages and records; ↑ and ↓ choose among the results and Enter opens the chosen one. Enter before any result has
// come sends the form, which opens the same results as a page.
(function () {
  "use strict";

  function items() {
    return Array.from(document.querySelectorAll("#palette-results [data-palette-item]"));
  }

  function chosenIndex() {
    return items().findIndex((item) => item.classList.contains("active"));
  }

  function choose(index) {
    items().forEach((item, position) => {
      const chosen = position === index;
      item.classList.toggle("active", chosen);
      item.setAttribute("aria-selected", chosen ? "true" : "false");
      if (chosen) {
        item.scrollIntoView({ block: "nearest" });
        document.getElementById("palette-input").setAttribute("aria-activedescendant", item.id);
      }
    });
  }

  function numberItems() {
    items().forEach((item, position) => { item.id = "palette-item-" + position; });
  }

  function move(step) {
    const count = items().length;
    if (count) {
      choose((chosenIndex() + step + count) % count);
    }
  }

  function openChosen(form) {
    const all = items();
    const target = all[Math.max(chosenIndex(), 0)];
    if (target) {
      window.location.href = target.href;
    } else {
      form.submit();
    }
  }

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      const palette = document.getElementById("palette");
      if (palette) {
        event.preventDefault();
        bootstrap.Modal.getOrCreateInstance(palette).show();
      }
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    const palette = document.getElementById("palette");
    if (!palette) {
      return;
    }
    const input = palette.querySelector("#palette-input");
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter") {
        event.preventDefault();
        openChosen(input.form);
      }
    });
    palette.addEventListener("htmx:afterSwap", () => {
      numberItems();
      choose(0);
    });
  });
})();
