// Laboratory pages: the "Add files" dialog (chosen files, upload progress, closing on success),
// the picture viewer of the album, and the "e" shortcut for the edit pencil.
(function () {
  "use strict";

  function formatSize(bytes) {
    const units = ["B", "KB", "MB", "GB"];
    let size = bytes;
    let unit = 0;
    while (size >= 1024 && unit < units.length - 1) { size /= 1024; unit += 1; }
    return (unit ? size.toFixed(1) : size) + " " + units[unit];
  }

  function listChosenFiles(input) {
    const list = input.form && input.form.querySelector("[data-chosen-files]");
    if (!list) return;
    list.replaceChildren();
    Array.from(input.files).forEach((file, index) => {
      const item = document.createElement("li");
      item.textContent = (index + 1) + ". " + file.name + " · " + formatSize(file.size);
      list.appendChild(item);
    });
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches("input[type=file][multiple]")) listChosenFiles(event.target);
  });

  document.body.addEventListener("htmx:xhr:progress", (event) => {
    const form = event.target.closest("form");
    const bar = form && form.querySelector("[data-upload-progress]");
    if (!bar || !event.detail.lengthComputable) return;
    bar.classList.remove("d-none");
    bar.querySelector(".progress-bar").style.width = Math.round((event.detail.loaded / event.detail.total) * 100) + "%";
  });

  document.body.addEventListener("lab:group-added", () => {
    const modal = document.getElementById("add-files-modal");
    const form = document.getElementById("group-form");
    if (form) {
      form.reset();
      form.querySelectorAll("[data-chosen-files]").forEach((list) => list.replaceChildren());
      form.querySelectorAll("[data-upload-progress]").forEach((bar) => bar.classList.add("d-none"));
    }
    if (modal) bootstrap.Modal.getOrCreateInstance(modal).hide();
  });

  document.body.addEventListener("htmx:afterSettle", (event) => {
    const fresh = event.target.querySelector && event.target.querySelector(".lab-group-new");
    if (fresh) fresh.scrollIntoView({ behavior: "smooth", block: "nearest" });
  });

  // The picture viewer walks through every viewable picture of the album, group after group.
  let pictures = [];
  let current = 0;

  function show(index) {
    const viewer = document.getElementById("lab-viewer");
    if (!viewer || !pictures.length) return;
    current = (index + pictures.length) % pictures.length;
    const link = pictures[current];
    viewer.querySelector("[data-viewer-image]").src = link.href;
    viewer.querySelector("[data-viewer-image]").alt = link.dataset.caption;
    viewer.querySelector("#lab-viewer-title").textContent = link.dataset.caption;
    viewer.querySelector("[data-viewer-download]").href = link.dataset.download;
    viewer.querySelector("[data-viewer-position]").textContent = (current + 1) + " / " + pictures.length;
    viewer.querySelectorAll("[data-viewer-step]").forEach((button) => { button.hidden = pictures.length < 2; });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-viewer]");
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      pictures = Array.from(document.querySelectorAll("#album a[data-viewer]"));
      show(pictures.indexOf(link));
      bootstrap.Modal.getOrCreateInstance(document.getElementById("lab-viewer")).show();
      return;
    }
    const step = event.target.closest("[data-viewer-step]");
    if (step) show(current + Number(step.dataset.viewerStep));
  });

  function typing(event) {
    const target = event.target;
    return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
    const viewer = document.getElementById("lab-viewer");
    if (viewer && viewer.classList.contains("show")) {
      if (event.key === "ArrowLeft") show(current - 1);
      if (event.key === "ArrowRight") show(current + 1);
      return;
    }
    if (event.key === "e") {
      const edit = document.querySelector("[data-shortcut='edit']");
      if (edit) { event.preventDefault(); edit.click(); }
    }
  });

  // Opening the dialog puts the cursor in the description; data-open tells when a dialog has settled.
  document.addEventListener("shown.bs.modal", (event) => {
    event.target.dataset.open = "1";
    const field = event.target.querySelector("#group-form input[name=description]");
    if (field) field.focus();
  });
  document.addEventListener("hidden.bs.modal", (event) => { delete event.target.dataset.open; });
})();
