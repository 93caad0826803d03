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
