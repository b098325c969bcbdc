// Patient pages: the compact look of the list's advanced filters, and the merge page, which reloads with the
// record picked as the other one (the form carries data-pick-reloads-with="<query parameter>").
(function () {
  "use strict";
  document.querySelectorAll("#advanced-filters select, #advanced-filters input")
    .forEach((el) => el.classList.add("filter-field", "form-control-sm"));

  const reloading = document.querySelector("[data-pick-reloads-with]");
  if (reloading) {
    document.addEventListener("patient:picked", (event) => {
      const url = new URL(window.location.href);
      url.searchParams.set(reloading.dataset.pickReloadsWith, event.detail.id);
      window.location.href = url.toString();
    });
  }
})();
