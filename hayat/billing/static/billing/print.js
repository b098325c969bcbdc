// Buttons marked data-print open the browser's print dialog (cash report, day close).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
