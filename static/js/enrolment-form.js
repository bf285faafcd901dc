// Expression of interest pages: small enhancements; every page works without them.
(() => {
  "use strict";

  // A school chosen from the suggestions that cannot take part (closed, not primary: the
  // lookup's data-refusal, from the programme's rules) is refused at once, with what to do
  // instead; the form still checks it when sent.
  const refuse = (root, text) => {
    const region = document.querySelector("[data-school-refusal]");
    const input = root.querySelector("[role=combobox]");
    if (!region || !input) return;
    const described = (input.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter((id) => id && id !== region.id);
    region.textContent = text;
    if (text) {
      input.setAttribute("aria-invalid", "true");
      input.classList.add("is-invalid");
      described.push(region.id);
    } else if (!document.getElementById(`${input.id}_error`)) {
      input.removeAttribute("aria-invalid");
      input.classList.remove("is-invalid");
    }
    input.setAttribute("aria-describedby", described.join(" "));
  };

  document.addEventListener("school:chosen", (event) => {
    const root = event.target;
    const option = root.querySelector(`[role=option][data-urn="${event.detail.urn}"]`);
    refuse(root, (option && option.dataset.refusal) || "");
  });

  document.addEventListener("input", (event) => {
    const root = event.target.closest && event.target.closest("[data-school-autocomplete]");
    if (root && event.target.getAttribute("role") === "combobox") refuse(root, "");
  });

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
