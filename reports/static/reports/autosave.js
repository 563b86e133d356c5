// Report draft autosave (reports/draft_detail.html, form[data-autosave]).
// The endpoint answers 400 (invalid input) and 409 (saved elsewhere meanwhile) with a
// message to show next to the form, not an error page: let htmx swap those in.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  const form = event.detail.elt && event.detail.elt.closest("form[data-autosave]");
  if (form && (status === 400 || status === 409)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// A full submit ("Lưu", "Lưu và tạo báo cáo") carries everything: drop a pending autosave,
// which would otherwise bump the version under the submit and make it look like a conflict.
document.addEventListener("submit", (event) => {
  if (event.target.matches("form[data-autosave]")) event.target.dataset.submitting = "true";
});
document.addEventListener("htmx:confirm", (event) => {
  const form = event.detail.elt && event.detail.elt.closest("form[data-autosave]");
  if (form && form.dataset.submitting) event.preventDefault();
});
