// Expression of interest pages: small enhancements; every page works without them.
(() => {
  "use strict";

  // A second click on Send while the first is on its way does nothing (the server ignores
  // repeats too; this just saves a round trip).
  document.addEventListener("submit", (event) => {
    const button = event.target.querySelector("[data-prevent-double-submit]");
    if (!button) return;
    if (button.dataset.sending) {
      event.preventDefault();
      return;
    }
    button.dataset.sending = "true";
    button.setAttribute("aria-disabled", "true");
    button.textContent = "Sending…";
  });
})();
