/* The assessment page: after a row is saved with Enter, focus moves to the same field one row down,
   as in a spreadsheet; the history panel opens as a dialog once its content has loaded. */
(function () {
  let enterField = null;
  document.addEventListener("keydown", function (event) {
    const input = event.target;
    if (event.key === "Enter" && input.classList && input.classList.contains("score-input")) {
      enterField = { row: input.closest("tr").id, name: input.name };
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "panel-body") {
      const panel = document.getElementById("panel");
      if (!panel.open) panel.showModal();
      return;
    }
    if (!enterField) return;
    const row = document.getElementById(enterField.row);
    const name = enterField.name;
    enterField = null;
    if (!row) return;
    const stay = row.classList.contains("has-error");
    let target = row;
    if (!stay) {
      target = row.nextElementSibling;
      while (target && !target.querySelector(".score-input")) target = target.nextElementSibling;
    }
    const field = target && target.querySelector('[name="' + name + '"]');
    if (field) { field.focus(); field.select(); }
  });
})();
