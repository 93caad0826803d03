// The exam timer: shows the time the server allows and submits the attempt when it ends.
(function () {
  const timer = document.querySelector("[data-testid=timer]");
  const form = document.getElementById("submit-attempt");
  if (!timer || !form) return;
  let left = parseInt(timer.dataset.secondsLeft, 10);
  const end = Date.now() + left * 1000;
  const show = () => {
    left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const m = Math.floor(left / 60), s = left % 60;
    timer.textContent = `${m}:${String(s).padStart(2, "0")}`;
    timer.classList.toggle("text-bg-danger", left < 60);
    if (left === 0) { clearInterval(tick); form.submit(); }
  };
  const tick = setInterval(show, 1000);
  show();
  form.addEventListener("submit", () => clearInterval(tick));
})();

// Autosave states: a question shows «Saving…» while its answer is on the way and an
// error when the save failed (a server error or no connection), never a stale «Saved».
(function () {
  const states = document.getElementById("save-states");
  if (!states) return;
  const show = (form, state, html) => {
    const status = form.querySelector(".saved-status");
    if (!status) return;
    if (html) {
      status.innerHTML = html;
    } else {
      status.replaceChildren(states.content.querySelector(`[data-state=${state}]`).cloneNode(true));
    }
  };
  const questionForm = (event) => {
    const form = event.detail && event.detail.elt;
    return form && form.matches && form.matches("form[data-testid=question]") ? form : null;
  };
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const form = questionForm(event);
    if (form) show(form, "saving");
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = questionForm(event);
    if (!form || event.detail.successful) return;
    // The server's own refusal text when it sent one (e.g. a busy database), else ours.
    const body = (event.detail.xhr && event.detail.xhr.responseText) || "";
    show(form, "failed", body.includes('data-testid="save-error"') ? body : "");
  });
})();
