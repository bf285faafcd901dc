// The school combobox (templates/schools/_school_autocomplete.html), ARIA 1.2 pattern.
// htmx fills the listbox as the person types; this file shows and hides it, moves through the
// options with the arrow keys and picks one with Enter or a click. Without it, the text box is
// an ordinary search box (or a URN box in forms).
(() => {
  "use strict";

  const parts = (root) => ({
    input: root.querySelector("[role=combobox]"),
    listbox: root.querySelector("[role=listbox]"),
    value: root.querySelector("[data-school-value]"),
    status: root.querySelector("[data-school-status]"),
  });

  const options = (listbox) =>
    Array.from(listbox.querySelectorAll("[role=option]:not([aria-disabled=true])"));

  function close(root) {
    const { input, listbox } = parts(root);
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function open(root) {
    const { input, listbox, status } = parts(root);
    const found = options(listbox).length;
    const hasAny = listbox.children.length > 0;
    listbox.hidden = !hasAny;
    input.setAttribute("aria-expanded", hasAny ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
    if (status) {
      status.textContent = hasAny
        ? `${found} school${found === 1 ? "" : "s"} found. Use the up and down arrows to choose.`
        : "";
    }
  }

  function activate(root, option) {
    const { input, listbox } = parts(root);
    options(listbox).forEach((item) => {
      const on = item === option;
      item.setAttribute("aria-selected", on ? "true" : "false");
      item.classList.toggle("active", on);
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  function choose(root, option) {
    const { input, value } = parts(root);
    if (root.dataset.mode === "navigate") {
      window.location.assign(option.dataset.href);
      return;
    }
    input.value = option.dataset.label;
    if (value) value.value = option.dataset.urn;
    close(root);
    root.dispatchEvent(
      new CustomEvent("school:chosen", { bubbles: true, detail: { urn: option.dataset.urn } })
    );
  }

  document.addEventListener("htmx:afterSwap", (event) => {
    const root = event.detail.target.closest("[data-school-autocomplete]");
    if (root && event.detail.target.matches("[role=listbox]")) open(root);
  });

  document.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("role") !== "combobox") return;
    const root = input.closest("[data-school-autocomplete]");
    if (!root) return;
    const { listbox } = parts(root);
    const items = options(listbox);
    const current = items.findIndex((item) => item.id === input.getAttribute("aria-activedescendant"));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) return;
      event.preventDefault();
      if (listbox.hidden) open(root);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = current < 0 ? (step > 0 ? 0 : items.length - 1) : (current + step + items.length) % items.length;
      activate(root, items[next]);
    } else if (event.key === "Enter" && current >= 0 && !listbox.hidden) {
      event.preventDefault();
      choose(root, items[current]);
    } else if (event.key === "Escape" && !listbox.hidden) {
      event.preventDefault();
      close(root);
    }
  });

  document.addEventListener("input", (event) => {
    const root = event.target.closest && event.target.closest("[data-school-autocomplete]");
    const { value } = root ? parts(root) : {};
    // Typing again means the earlier choice no longer stands.
    if (value && event.target.getAttribute("role") === "combobox") value.value = "";
  });

  document.addEventListener("click", (event) => {
    const option = event.target.closest && event.target.closest("[data-school-autocomplete] [role=option]");
    if (option && option.getAttribute("aria-disabled") !== "true") {
      choose(option.closest("[data-school-autocomplete]"), option);
      return;
    }
    document.querySelectorAll("[data-school-autocomplete]").forEach((root) => {
      if (!root.contains(event.target)) close(root);
    });
  });
})();
