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

  // After a part is saved in place, the person stays where they were: the page does not move
  // (the part's new state is put where its button was) and the focus goes to what the save
  // says, next to the button pressed ("Saved at 13:05.") or above the form when not saved.
  let pressed = null;

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt.closest("form");
    const button = form && form.querySelector("[type=submit]");
    const part = event.detail.target;
    if (button && part && part.id) {
      pressed = { partId: part.id, top: button.getBoundingClientRect().top };
    }
  });

  document.addEventListener("htmx:afterSettle", () => {
    if (!pressed) return;
    const { partId, top } = pressed;
    pressed = null;
    const part = document.getElementById(partId);
    const state = part && part.querySelector("[data-part-state], [data-error-summary]");
    const button = part && part.querySelector("form [type=submit]");
    if (!state || !button) return;
    window.scrollBy({ top: button.getBoundingClientRect().top - top, behavior: "instant" });
    state.focus({ preventScroll: true });
  });

  window.addEventListener("beforeunload", (event) => {
    if (dirtyForms().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
