// Filling a visit in on a phone: every answer is kept in the browser (localStorage) the
// moment it is given and sent to the server; what could not be sent (no connection) stays
// kept, survives a reload, and goes when the connection returns. The server keeps the
// newest answer by the phone's time, so a late batch never overwrites a newer answer.
(function () {
  const root = document.querySelector("[data-visit-answers]");
  if (!root) return;
  const url = root.dataset.visitAnswers;
  const key = `visit-answers-${root.dataset.visit}`;
  const csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
  const badge = document.getElementById("sync-status");
  const texts = document.getElementById("sync-texts").content;
  const kept = () => JSON.parse(localStorage.getItem(key) || "{}");
  const keep = (queue) => localStorage.setItem(key, JSON.stringify(queue));
  const card = (question) => root.querySelector(`[data-question][data-key="${CSS.escape(question)}"]`);

  const show = (state, detail) => {
    const text = texts.querySelector(`[data-state=${state}]`).textContent;
    const waiting = Object.keys(kept()).length;
    badge.textContent = detail ? `${text} ${detail}` : state === "offline" ? `${text} (${waiting})` : text;
    badge.dataset.state = state;
    badge.className = `badge text-wrap ${{ saved: "text-bg-success", saving: "text-bg-info", offline: "text-bg-warning", error: "text-bg-danger" }[state]}`;
  };
  const mark = (question, state) => {
    const el = card(question);
    if (el) el.querySelector(".answer-state").textContent = texts.querySelector(`[data-state=q-${state}]`).textContent;
  };

  const collect = (el) => {
    const question = el.dataset.key;
    const chosen = el.querySelector(`[name="v-${CSS.escape(question)}"]:checked`);
    const field = el.querySelector(`input[type=number][name^="v-"], textarea[name^="v-"]`);
    const comment = el.querySelector(`[name^="c-"]`);
    return {
      question,
      value: chosen ? chosen.value : field ? field.value : "",
      na: Boolean(chosen && chosen.hasAttribute("data-na")),
      comment: comment ? comment.value : "",
      at: new Date().toISOString(),
    };
  };

  const restore = () => {
    for (const item of Object.values(kept())) {
      const el = card(item.question);
      if (!el) continue;
      const radios = el.querySelectorAll(`[name="v-${CSS.escape(item.question)}"][type=radio]`);
      radios.forEach((r) => { r.checked = item.na ? r.hasAttribute("data-na") : r.value === item.value && !r.hasAttribute("data-na"); });
      const field = el.querySelector(`input[type=number][name^="v-"], textarea[name^="v-"]`);
      if (field) field.value = item.value;
      const comment = el.querySelector(`[name^="c-"]`);
      if (comment) comment.value = item.comment;
      mark(item.question, "offline");
    }
  };

  const post = (items) => fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify({ answers: items }),
  });

  const sent = (items) => {
    const queue = kept();
    for (const item of items) {
      if (queue[item.question] && queue[item.question].at === item.at) delete queue[item.question];
      mark(item.question, "saved");
    }
    keep(queue);
  };

  // One request at a time; an answer given while one is on its way is sent right after it
  // (not left for the timer, with the badge saying there is no connection).
  let busy = false;
  let again = false;
  const flush = async () => {
    if (busy) { again = true; return; }
    again = false;
    const items = Object.values(kept());
    if (!items.length) { show("saved"); return; }
    busy = true;
    show("saving");
    try {
      const response = await post(items);
      if (response.ok) {
        sent(items);
      } else if (response.status === 400) {
        // One refused answer must not hold the others: send them one by one and drop
        // (and show) the ones the server refuses.
        for (const item of items) {
          const single = await post([item]);
          if (single.ok) { sent([item]); continue; }
          if (single.status !== 400) throw new Error("server");
          const body = await single.json();
          const queue = kept(); delete queue[item.question]; keep(queue);
          const el = card(item.question);
          if (el) el.querySelector(".answer-state").textContent = body.error;
          show("error", body.error);
          busy = false;
          return;
        }
      } else {
        throw new Error("server");
      }
      if (!again) show(Object.keys(kept()).length ? "offline" : "saved");
    } catch (error) {
      show("offline");
    } finally {
      busy = false;
      if (again) flush();
    }
  };

  const enqueue = (el) => {
    const queue = kept();
    const item = collect(el);
    queue[item.question] = item;
    keep(queue);
    mark(item.question, "saving");
    flush();
  };

  let typing;
  root.addEventListener("change", (event) => {
    const el = event.target.closest("[data-question]");
    if (el) enqueue(el);
  });
  root.addEventListener("input", (event) => {
    const el = event.target.closest("[data-question]");
    if (!el || event.target.type === "radio") return;
    clearTimeout(typing);
    typing = setTimeout(() => enqueue(el), 800);
  });
  window.addEventListener("online", flush);
  setInterval(flush, 10000);

  // Leaving the page for another form (details, submission) sends what is kept first.
  document.querySelectorAll("form[data-flush-first]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      if (!Object.keys(kept()).length || form.dataset.flushed) return;
      event.preventDefault();
      await flush();
      if (Object.keys(kept()).length) return; // still offline: stay, answers kept
      form.dataset.flushed = "1";
      form.requestSubmit();
    });
  });

  restore();
  flush();
})();
