// Action plan editor: never lose words. Each part saves on its own (htmx swaps only that part);
// a part with unsaved changes is marked dirty, and leaving the page with one asks first.
(() => {
  const GUARDED = "form[data-unsaved-guard]";

  const dirtyForms = () =>
    Array.from(document.querySelectorAll(GUARDED)).filter((form) => form.dataset.dirty === "true");

  document.addEventListener("input", (event) => {
    const form = event.target.closest(GUARDED);
    if (form) {
      form.dataset.dirty = "true";
    }
  });

  // A form being sent is no longer at risk; its answer replaces it or reloads the page.
  document.addEventListener("submit", (event) => {
    const confirmText = event.target.dataset.confirm;
    if (confirmText && !window.confirm(confirmText)) {
      event.preventDefault();
      return;
    }
    if (event.target.matches(GUARDED)) {
      event.target.dataset.dirty = "false";
    }
  });

  window.addEventListener("beforeunload", (event) => {
    if (dirtyForms().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
