// Small behaviours that need script; every page still works without it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  field.select();
  if (navigator.clipboard) navigator.clipboard.writeText(field.value);
  else document.execCommand("copy");
});

// A print button ([data-print], e.g. on the ticket page); without script the browser's own Print works.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
