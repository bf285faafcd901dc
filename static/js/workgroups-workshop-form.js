// Choosing morning or afternoon fills in that half-day's usual times, unless already typed in.
(() => {
  const form = document.querySelector("[data-workshop-form]");
  if (!form) {
    return;
  }
  const times = { morning: ["09:00", "12:00"], afternoon: ["13:00", "16:00"] };
  const starts = form.querySelector("input[name=starts_at]");
  const ends = form.querySelector("input[name=ends_at]");
  const usual = new Set(Object.values(times).flat().concat([""]));
  form.querySelectorAll("input[name=session]").forEach((radio) => {
    radio.addEventListener("change", () => {
      const [start, end] = times[radio.value] || [];
      if (start && usual.has(starts.value.slice(0, 5))) {
        starts.value = start;
      }
      if (end && usual.has(ends.value.slice(0, 5))) {
        ends.value = end;
      }
    });
  });
})();
