// The booking calendar's drag and drop: a bar dropped on another room or day first asks, in a dialog that says
// which room and arrival day it would get, then asks the server to move the booking through the same service as
// every other change. A cancelled or refused move snaps back; a toast says why it was refused.
(function () {
  "use strict";

  let drag = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function toast(message, level) {
    if (window.hayatToast) { window.hayatToast(message, level); }
  }

  function dayIndex(lanes, clientX, days) {
    const rect = lanes.getBoundingClientRect();
    const index = Math.floor((clientX - rect.left) / (rect.width / days));
    return Math.max(0, Math.min(days - 1, index));
  }

  function addDays(iso, count) {
    const day = new Date(iso + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + count);
    return day.toISOString().slice(0, 10);
  }

  function refresh(calendar) {
    if (window.htmx) {
      window.htmx.ajax("GET", calendar.dataset.refreshUrl, { target: "#calendar-grid", swap: "innerHTML" });
    } else {
      window.location.reload();
    }
  }

  function snapBack(state) {
    state.bar.classList.remove("cal-pending");
    state.parent.insertBefore(state.bar, state.next);
    state.bar.style.gridColumn = state.column;
    state.bar.style.gridRow = state.row;
  }

  document.addEventListener("dragstart", (event) => {
    const bar = event.target.closest ? event.target.closest(".cal-bar[draggable='true']") : null;
    if (!bar) { drag = null; return; }
    const calendar = bar.closest(".booking-calendar");
    const lanes = bar.closest(".cal-lanes");
    const days = parseInt(calendar.dataset.days, 10);
    drag = { bar, calendar, lanes, days, grabbed: dayIndex(lanes, event.clientX, days) };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", bar.dataset.number);
    bar.classList.add("cal-dragging");
  });

  document.addEventListener("dragend", () => {
    // The drop handler has already let go of `drag`, so the dragged bar is found by its class.
    document.querySelectorAll(".cal-drop, .cal-dragging").forEach((el) => el.classList.remove("cal-drop", "cal-dragging"));
  });

  document.addEventListener("dragover", (event) => {
    const lanes = event.target.closest ? event.target.closest(".cal-lanes") : null;
    if (!drag || !lanes || lanes.closest(".booking-calendar") !== drag.calendar) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".cal-drop").forEach((el) => { if (el !== lanes) el.classList.remove("cal-drop"); });
    lanes.classList.add("cal-drop");
  });

  document.addEventListener("drop", (event) => {
    const lanes = event.target.closest ? event.target.closest(".cal-lanes") : null;
    if (!drag || !lanes || lanes.closest(".booking-calendar") !== drag.calendar) return;
    event.preventDefault();
    lanes.classList.remove("cal-drop");
    const state = drag;
    drag = null;
    const shift = dayIndex(lanes, event.clientX, state.days) - state.grabbed;
    const fromRoom = state.bar.dataset.room;
    const toRoom = lanes.dataset.room;
    if (shift === 0 && fromRoom === toRoom) return;
    // The bar's own first day and where it lands: the server moves the stay by the difference, so a drop
    // straight down changes the room only, whichever part of a split stay the bar is.
    const fromDate = state.bar.dataset.start;
    const startDate = addDays(fromDate, shift);

    Object.assign(state, { parent: state.bar.parentNode, next: state.bar.nextSibling,
                           column: state.bar.style.gridColumn, row: state.bar.style.gridRow });
    const span = parseInt((state.column.split("span")[1] || "1").trim(), 10) || 1;
    const first = Math.max(1, parseInt(state.column, 10) + shift);
    lanes.appendChild(state.bar);
    state.bar.style.gridColumn = first + " / span " + Math.max(1, Math.min(span, state.days + 1 - first));
    state.bar.style.gridRow = "1";
    state.bar.classList.add("cal-pending");

    const body = new URLSearchParams({ from_room: fromRoom, to_room: toRoom, from_date: fromDate, start_date: startDate });
    confirmMove(state, lanes, fromDate, startDate).then((confirmed) => {
      if (confirmed) { send(state, body); } else { snapBack(state); }
    });
  });

  function readableDay(iso) {
    const day = new Date(iso + "T00:00:00Z");
    return day.toLocaleDateString(document.documentElement.lang || undefined,
                                  { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  function roomLabel(calendar, roomId) {
    const lanes = calendar.querySelector(".cal-lanes[data-room='" + roomId + "']");
    return lanes ? lanes.dataset.roomLabel : "";
  }

  // Resolves true when the person confirms in the dialog, false when they close it another way.
  function confirmMove(state, lanes, fromDate, startDate) {
    const dialog = document.getElementById("move-dialog");
    if (!dialog || !window.bootstrap) { return Promise.resolve(true); }
    const fill = (name, text) => { dialog.querySelector("[data-move='" + name + "']").textContent = text; };
    fill("number", state.bar.dataset.number);
    fill("from-room", roomLabel(state.calendar, state.bar.dataset.room));
    fill("to-room", lanes.dataset.roomLabel);
    fill("from-date", readableDay(fromDate));
    fill("to-date", readableDay(startDate));
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

  function send(state, body) {
    const url = state.calendar.dataset.moveUrl.replace("/0/", "/" + state.bar.dataset.booking + "/");
    fetch(url, {
      method: "POST", body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
    }).then((response) => response.json().catch(() => ({})).then((answer) => ({ response, answer })))
      .then(({ response, answer }) => {
        if (response.ok) {
          toast(answer.detail || "", "success");
          refresh(state.calendar);
        } else {
          snapBack(state);
          toast(answer.detail || ("The move failed (" + response.status + ")."), "error");
        }
      })
      .catch(() => {
        snapBack(state);
        toast(state.calendar.dataset.offline || "The server did not answer; nothing was moved.", "error");
      });
  }
})();
