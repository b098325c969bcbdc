// The booking calendar's confirmation before a move (the drag and drop itself is web/drag.js): a dialog says which
// room and arrival day the stay would get; closing it another way snaps the bar back.
(function () {
  "use strict";

  function readableDay(iso) {
    const day = new Date(iso + "T00:00:00Z");
    return day.toLocaleDateString(document.documentElement.lang || undefined,
                                  { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  function roomLabel(bar, roomId) {
    const lanes = bar.closest("[data-drag]").querySelector(".cal-lanes[data-room='" + roomId + "']");
    return lanes ? lanes.dataset.roomLabel : "";
  }

  // Resolves true when the person confirms in the dialog, false when they close it another way.
  function confirmMove(bar, lanes, body) {
    const dialog = document.getElementById("move-dialog");
    if (!dialog || !window.bootstrap) { return Promise.resolve(true); }
    const fill = (name, text) => { dialog.querySelector("[data-move='" + name + "']").textContent = text; };
    fill("number", bar.dataset.number);
    fill("from-room", roomLabel(bar, bar.dataset.room));
    fill("to-room", lanes.dataset.roomLabel);
    fill("from-date", readableDay(body.get("from_date")));
    fill("to-date", readableDay(body.get("start_date")));
    const modal = window.bootstrap.Modal.getOrCreateInstance(dialog);
    return new Promise((resolve) => {
      let confirmed = false;
      const button = document.getElementById("move-confirm");
      const onConfirm = () => { confirmed = true; modal.hide(); };
      button.addEventListener("click", onConfirm, { once: true });
      dialog.addEventListener("hidden.bs.modal", () => {
        button.removeEventListener("click", onConfirm);
        resolve(confirmed);
      }, { once: true });
      modal.show();
    });
  }

  window.hayatDragConfirm = Object.assign(window.hayatDragConfirm || {}, { booking: confirmMove });
})();
