// Hayat's page behaviour: toasts, keyboard shortcuts, confirmations and small form helpers. No framework beyond
// Bootstrap and htmx, and no inline script anywhere: pages declare behaviour with data attributes (the
// Content-Security-Policy allows scripts from this site's files only).
(function () {
  "use strict";

  function showToast(message, level) {
    const template = document.getElementById("toast-template");
    const toast = template.content.firstElementChild.cloneNode(true);
    toast.classList.add("text-bg-" + (level === "error" ? "danger" : level || "success"));
    toast.querySelector(".toast-body").textContent = message;
    document.getElementById("toasts").appendChild(toast);
    bootstrap.Toast.getOrCreateInstance(toast).show();
    toast.addEventListener("hidden.bs.toast", () => toast.remove());
  }
  window.hayatToast = showToast;

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".toast[data-autoshow]").forEach((el) => bootstrap.Toast.getOrCreateInstance(el).show());
  });

  // A server response can raise a toast with the header  HX-Trigger: {"toast": {"message": "...", "level": "success"}}
  document.body.addEventListener("toast", (event) => showToast(event.detail.message, event.detail.level));
  // The texts come translated from the page (data attributes of #toasts); no English is written here.
  document.body.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    const texts = document.getElementById("toasts").dataset;
    showToast(status === 403 ? texts.forbidden : texts.failed.replace("%(status)s", status), "error");
  });

  function typing(event) {
    const target = event.target;
    return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
  }

  let pendingG = false;
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    if (pendingG) {
      pendingG = false;
      if (event.key === "d") { window.location.href = "/"; }
      return;
    }
    if (event.key === "/") {
      const search = document.querySelector("[data-shortcut='search']");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (event.key === "n") {
      const create = document.querySelector("[data-shortcut='new']");
      if (create) { event.preventDefault(); create.click(); }
    } else if (event.key === "e") {
      const edit = document.querySelector("[data-shortcut='edit']");
      if (edit) { event.preventDefault(); edit.click(); }
    } else if (event.key === "g") {
      pendingG = true;
      setTimeout(() => { pendingG = false; }, 1000);
    } else if (event.key === "?") {
      bootstrap.Modal.getOrCreateInstance(document.getElementById("shortcuts-help")).show();
    }
  });
  // Ask before an action that cannot be undone: <button data-confirm="Translated question?">.
  document.addEventListener("click", (event) => {
    const button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // <button data-print> prints the page; <select data-submit-on-change> sends its form when changed.
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-submit-on-change]")) event.target.form.submit();
  });

  // <form data-query-from-address> sends the filters the address holds now (live searches change it in place).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("[data-query-from-address]")) form.elements.query.value = window.location.search.slice(1);
  });

  // A dialog opens with its first field focused and selected.
  document.addEventListener("shown.bs.modal", (event) => {
    const first = event.target.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); if (first.select) first.select(); }
  });
})();
