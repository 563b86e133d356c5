// Formsets: "add a row" clones the empty form kept in a <template> and bumps TOTAL_FORMS.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-formset-add]");
  if (!button) return;
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const template = document.getElementById(`${prefix}-empty`);
  const body = document.getElementById(`${prefix}-rows`);
  if (!total || !template || !body) return;
  const index = Number(total.value);
  const html = template.innerHTML.replace(/__prefix__/g, String(index));
  body.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = body.lastElementChild?.querySelector(
    "input:not([type=hidden]), select, textarea",
  );
  if (first) first.focus();
});

// Filter forms submit when a select changes only if the user asked for it (data-autosubmit).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit();
});

// Irreversible-looking actions (close, archive) ask first: <form data-confirm="...">.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Progress bars carry their value in data-progress; the width is set here through the
// CSSOM, which the Content Security Policy allows (a style= attribute it refuses).
// htmx:load fires for the first page and for every swapped-in fragment (job polling).
function applyProgress(root) {
  const bars = root.querySelectorAll ? root.querySelectorAll("[data-progress]") : [];
  for (const bar of [root, ...bars]) {
    if (bar.dataset && bar.dataset.progress !== undefined) {
      const value = Math.min(100, Math.max(0, Number(bar.dataset.progress) || 0));
      bar.style.width = `${value}%`;
    }
  }
}
document.addEventListener("DOMContentLoaded", () => applyProgress(document.body));
document.addEventListener("htmx:load", (event) => applyProgress(event.target));

// A tree toggle (data-expands) that has loaded its children says so to assistive tech.
document.addEventListener("htmx:afterRequest", (event) => {
  const toggle = event.detail.elt;
  if (toggle?.matches?.("[data-expands]") && event.detail.successful) {
    toggle.setAttribute("aria-expanded", "true");
  }
});
