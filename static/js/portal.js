// hubportal: small progressive enhancements. Pages work without JavaScript.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.content;
  }
});

// A page showing what was wrong with a form moves the focus to its error summary, so a screen
// reader reads the problems first (the GOV.UK pattern); each links to its field.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
