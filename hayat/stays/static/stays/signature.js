// The signature pad of the check-in page: a finger, a pen or the mouse draws on the canvas (pointer events), and
// each stroke's end puts the drawing, as a PNG data URL, into the form's hidden `signature` field. "Clear" empties
// both. After a refused submission the field still holds the drawing, which is painted back. The server checks
// the picture again (hayat.stays.checkin.check_signature).
(function () {
  "use strict";

  const INK = "#111";
  const PEN_WIDTH = 2.2;

  function fitToScreen(canvas) {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(canvas.clientWidth * ratio);
    canvas.height = Math.round(canvas.clientHeight * ratio);
    const context = canvas.getContext("2d");
    context.scale(ratio, ratio);
    context.lineCap = "round";
    context.lineJoin = "round";
    context.lineWidth = PEN_WIDTH;
    context.strokeStyle = INK;
    return context;
  }

  function pointOf(canvas, event) {
    const box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  function paintBack(canvas, context, dataUrl) {
    const picture = new Image();
    picture.addEventListener("load", () => context.drawImage(picture, 0, 0, canvas.clientWidth, canvas.clientHeight));
    picture.src = dataUrl;
  }

  function setUp(pad) {
    const canvas = pad.querySelector("canvas");
    const field = pad.querySelector("input[type=hidden]");
    const context = fitToScreen(canvas);
    let last = null;

    if (field.value.startsWith("data:image/png;base64,")) {
      paintBack(canvas, context, field.value);
    }

    canvas.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      last = pointOf(canvas, event);
      context.beginPath();
      context.arc(last.x, last.y, PEN_WIDTH / 2, 0, 2 * Math.PI);
      context.fillStyle = INK;
      context.fill();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (last === null) {
        return;
      }
      const point = pointOf(canvas, event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(point.x, point.y);
      context.stroke();
      last = point;
    });
    const endStroke = () => {
      if (last === null) {
        return;
      }
      last = null;
      field.value = canvas.toDataURL("image/png");
    };
    canvas.addEventListener("pointerup", endStroke);
    canvas.addEventListener("pointercancel", endStroke);

    pad.querySelector("[data-signature-clear]").addEventListener("click", () => {
      context.clearRect(0, 0, canvas.width, canvas.height);
      field.value = "";
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-signature-pad]").forEach(setUp);
  });
})();
