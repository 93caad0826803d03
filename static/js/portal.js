// Long submissions (file loads) show that they are working and cannot be sent twice:
// a form with data-busy gets its submit button disabled and its spinner shown.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-busy]")) return;
  const button = form.querySelector("button[type=submit]");
  if (!button) return;
  button.disabled = true;
  const spinner = button.querySelector("[data-role=busy]");
  if (spinner) spinner.classList.remove("d-none");
});

// Period pickers: show only the field of the chosen kind (week, month or custom days).
function showPeriodFields(select) {
  const form = select.form;
  form.querySelectorAll("[data-period-field]").forEach((field) => {
    field.hidden = field.dataset.periodField !== select.value;
  });
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-period-kind]")) showPeriodFields(event.target);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-period-kind]").forEach(showPeriodFields);
});
