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
