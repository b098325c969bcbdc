// One drag and drop for the grids whose items move by being dropped: the booking calendar and the treatment day and
// week grids. An item dropped on another place asks the server to move it through the same use case as the API; a
// refused move snaps back and a toast says why. A grid configures it with data attributes:
//
//   data-drag="prefix"          on the grid: the class prefix of its states (prefix-dragging, -drop, -pending)
//   data-drag-item, data-drag-target   selectors of what is dragged (draggable="true") and where it drops
//   data-drag-axis              "x": the target's columns are days (data-drag-cells of them, the item's grid-column
//                               moves and data-drag-field gets the item's data-drag-from moved by as many days);
//                               "y": its rows are times (the CSS --rows, from data-from every data-row-minutes; the
//                               item's grid-row moves and data-drag-field gets the time); none: the target is a cell
//   data-send-<name>            on the grid, the item or the target (the later wins): the move's other fields
//   data-move-url               the move's address, its "/0/" replaced by the item's data-drag-id
//   data-refresh-url, data-refresh-target   the grid reloaded after a move; data-offline the toast without server
//   data-drag-confirm           the name of a confirmation a page registers in window.hayatDragConfirm
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

  function closest(event, selector) {
    return event.target.closest ? event.target.closest(selector) : null;
  }

  function cells(grid) {
    if (grid.dataset.dragAxis === "y") { return parseInt(getComputedStyle(grid).getPropertyValue("--rows"), 10); }
    return parseInt(grid.dataset.dragCells || "1", 10);
  }

  // The cell of the axis under the pointer in `target` (0 when the grid has no axis).
  function cellAt(grid, target, event) {
    const rect = target.getBoundingClientRect();
    const count = cells(grid);
    const offset = grid.dataset.dragAxis === "x" ? (event.clientX - rect.left) / (rect.width / count)
      : grid.dataset.dragAxis === "y" ? (event.clientY - rect.top) / (rect.height / count) : 0;
    return Math.max(0, Math.min(count - 1, Math.floor(offset)));
  }

  function gridProperty(grid) {
    return grid.dataset.dragAxis === "x" ? "gridColumn" : "gridRow";
  }

  function addDays(iso, count) {
    const day = new Date(iso + "T00:00:00Z");
    day.setUTCDate(day.getUTCDate() + count);
    return day.toISOString().slice(0, 10);
  }

  function timeOf(grid, row) {
    const [hours, minutes] = grid.dataset.from.split(":").map(Number);
    const total = hours * 60 + minutes + row * parseInt(grid.dataset.rowMinutes, 10);
    return String(Math.floor(total / 60)).padStart(2, "0") + ":" + String(total % 60).padStart(2, "0");
  }

  function sent(element) {
    const values = {};
    Object.keys(element.dataset).filter((key) => key.startsWith("send") && key.length > 4).forEach((key) => {
      values[key.charAt(4).toLowerCase() + key.slice(5).replace(/[A-Z]/g, (letter) => "_" + letter.toLowerCase())] =
        element.dataset[key];
    });
    return values;
  }

  function refresh(grid) {
    if (window.htmx) {
      window.htmx.ajax("GET", grid.dataset.refreshUrl, { target: grid.dataset.refreshTarget, swap: "innerHTML" });
    } else {
      window.location.reload();
    }
  }

  function snapBack(state) {
    state.item.classList.remove(state.prefix + "-pending");
    state.parent.insertBefore(state.item, state.next);
    state.item.style.gridColumn = state.column;
    state.item.style.gridRow = state.row;
  }

  document.addEventListener("dragstart", (event) => {
    const grid = closest(event, "[data-drag]");
    const item = grid ? closest(event, grid.dataset.dragItem + "[draggable='true']") : null;
    if (!item) { drag = null; return; }
    const start = parseInt(item.style[gridProperty(grid)], 10) - 1 || 0;
    drag = { item, grid, prefix: grid.dataset.drag, grabbed: cellAt(grid, item.parentNode, event) - start, start };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.dragId);
    item.classList.add(drag.prefix + "-dragging");
  });

  document.addEventListener("dragend", () => {
    // The drop handler has already let go of `drag`, so the dragged item is found by its class.
    document.querySelectorAll("[data-drag]").forEach((grid) => {
      const prefix = grid.dataset.drag;
      grid.querySelectorAll("." + prefix + "-drop, ." + prefix + "-dragging")
        .forEach((el) => el.classList.remove(prefix + "-drop", prefix + "-dragging"));
    });
  });

  function targetOf(event) {
    if (!drag) return null;
    const target = closest(event, drag.grid.dataset.dragTarget);
    return target && target.closest("[data-drag]") === drag.grid ? target : null;
  }

  document.addEventListener("dragover", (event) => {
    const target = targetOf(event);
    if (!target) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const drop = drag.prefix + "-drop";
    drag.grid.querySelectorAll("." + drop).forEach((el) => { if (el !== target) el.classList.remove(drop); });
    target.classList.add(drop);
  });

  document.addEventListener("drop", (event) => {
    const target = targetOf(event);
    if (!target) return;
    event.preventDefault();
    const state = drag;
    drag = null;
    target.classList.remove(state.prefix + "-drop");
    const axis = state.grid.dataset.dragAxis;
    const moved = axis ? cellAt(state.grid, target, event) - state.grabbed : 0;  // a stay may start before the window
    const cell = Math.max(0, moved);
    Object.assign(state, { parent: state.item.parentNode, next: state.item.nextSibling,
                           column: state.item.style.gridColumn, row: state.item.style.gridRow });
    if (target === state.parent && moved === state.start) return;
    const body = new URLSearchParams({ ...sent(state.grid), ...sent(state.item), ...sent(target) });
    if (axis === "x") { body.set(state.grid.dataset.dragField, addDays(state.item.dataset.dragFrom, moved - state.start)); }
    if (axis === "y") { body.set(state.grid.dataset.dragField, timeOf(state.grid, cell)); }
    place(state, target, cell);
    const confirm = (window.hayatDragConfirm || {})[state.grid.dataset.dragConfirm];
    (confirm ? confirm(state.item, target, body) : Promise.resolve(true)).then((confirmed) => {
      if (confirmed) { send(state, body); } else { snapBack(state); }
    });
  });

  // Shows the item where it was dropped while the server decides.
  function place(state, target, cell) {
    const axis = state.grid.dataset.dragAxis;
    target.appendChild(state.item);
    if (axis === "x") {
      const span = parseInt((state.column.split("span")[1] || "1").trim(), 10) || 1;
      const count = cells(state.grid);
      state.item.style.gridColumn = (cell + 1) + " / span " + Math.max(1, Math.min(span, count - cell));
      state.item.style.gridRow = "1";
    } else if (axis === "y") {
      const span = parseInt((state.row.split("span")[1] || "1").trim(), 10) || 1;
      state.item.style.gridRow = (cell + 1) + " / span " + span;
      state.item.style.gridColumn = "1";
    }
    state.item.classList.add(state.prefix + "-pending");
  }

  function send(state, body) {
    const url = state.grid.dataset.moveUrl.replace("/0/", "/" + state.item.dataset.dragId + "/");
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
        toast(state.grid.dataset.offline || "The server did not answer; nothing was moved.", "error");
      });
  }
})();
