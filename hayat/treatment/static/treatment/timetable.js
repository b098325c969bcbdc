// The treatment day grid's drag and drop, in the way of the booking calendar's (stays/calendar.js): a session dropped
// on another time or column asks the server to move it through the same use case as the API; a refused move snaps
// back and a toast says why.
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

  function rowAt(slots, clientY, rows) {
    const rect = slots.getBoundingClientRect();
    const index = Math.floor((clientY - rect.top) / (rect.height / rows));
    return Math.max(0, Math.min(rows - 1, index));
  }

  function timeOf(grid, row) {
    const [hours, minutes] = grid.dataset.from.split(":").map(Number);
    const total = hours * 60 + minutes + row * parseInt(grid.dataset.rowMinutes, 10);
    return String(Math.floor(total / 60)).padStart(2, "0") + ":" + String(total % 60).padStart(2, "0");
  }

  function refresh(grid) {
    if (window.htmx) {
      window.htmx.ajax("GET", grid.dataset.refreshUrl, { target: "#treatment-grid", swap: "innerHTML" });
    } else {
      window.location.reload();
    }
  }

  function snapBack(state) {
    state.session.classList.remove("tt-pending");
    state.parent.insertBefore(state.session, state.next);
    state.session.style.gridRow = state.row;
    state.session.style.gridColumn = state.column;
  }

  document.addEventListener("dragstart", (event) => {
    const session = event.target.closest ? event.target.closest(".tt-session[draggable='true']") : null;
    if (!session) { drag = null; return; }
    const grid = session.closest(".treatment-day");
    const rows = parseInt(getComputedStyle(grid).getPropertyValue("--rows"), 10);
    const span = parseInt((session.style.gridRow.split("span")[1] || "1").trim(), 10) || 1;
    const top = parseInt(session.style.gridRow, 10) - 1;
    drag = { session, grid, rows, span, grabbed: rowAt(session.parentNode, event.clientY, rows) - top };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", session.dataset.session);
    session.classList.add("tt-dragging");
  });

  document.addEventListener("dragend", () => {
    document.querySelectorAll(".tt-drop, .tt-dragging").forEach((el) => el.classList.remove("tt-drop", "tt-dragging"));
  });

  document.addEventListener("dragover", (event) => {
    const slots = event.target.closest ? event.target.closest(".tt-slots") : null;
    if (!drag || !slots || slots.closest(".treatment-day") !== drag.grid) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".tt-drop").forEach((el) => { if (el !== slots) el.classList.remove("tt-drop"); });
    slots.classList.add("tt-drop");
  });

  document.addEventListener("drop", (event) => {
    const slots = event.target.closest ? event.target.closest(".tt-slots") : null;
    if (!drag || !slots || slots.closest(".treatment-day") !== drag.grid) return;
    event.preventDefault();
    slots.classList.remove("tt-drop");
    const state = drag;
    drag = null;
    const row = Math.max(0, rowAt(slots, event.clientY, state.rows) - state.grabbed);
    Object.assign(state, { parent: state.session.parentNode, next: state.session.nextSibling,
                           row: state.session.style.gridRow, column: state.session.style.gridColumn });
    if (slots === state.parent && row === parseInt(state.row, 10) - 1) return;
    slots.appendChild(state.session);
    state.session.style.gridRow = (row + 1) + " / span " + state.span;
    state.session.style.gridColumn = "1";
    state.session.classList.add("tt-pending");
    const body = new URLSearchParams({ day: state.grid.dataset.day, starts: timeOf(state.grid, row) });
    body.set(state.grid.dataset.by, slots.dataset.resource);
    send(state, body);
  });

  function send(state, body) {
    const url = state.grid.dataset.moveUrl.replace("/0/", "/" + state.session.dataset.session + "/");
    fetch(url, {
      method: "POST", body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
    }).then((response) => response.json().catch(() => ({})).then((answer) => ({ response, answer })))
      .then(({ response, answer }) => {
        if (response.ok) {
          toast(answer.detail || "", "success");
          refresh(state.grid);
        } else {
          snapBack(state);
          toast(answer.detail || ("The move failed (" + response.status + ")."), "error");
        }
      })
      .catch(() => {
        snapBack(state);
        toast(state.grid.dataset.offline, "error");
      });
  }
})();
