// The desk's keyboard: on the intake form, digits 1–7 pick a category when the focus is
// not in a text field and the picked category's script shows beside the form; Ctrl+Enter
// sends any desk form. On a ticket, a canned reply fills the reply box.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && !["radio", "checkbox"].includes(el.type)) || el.tagName === "SELECT");
  }
  var radios = document.querySelectorAll("[data-desk-category] input[type=radio]");
  var scripts = document.getElementById("intake-scripts");
  var data = scripts ? JSON.parse(scripts.textContent) : {};
  function showScript(value) {
    document.querySelectorAll("[data-category-fields]").forEach(function (group) {
      group.hidden = group.dataset.categoryFields !== value;
    });
    var box = document.getElementById("intake-script");
    if (!box) return;
    var script = data[value];
    box.hidden = !script;
    if (!script) return;
    box.querySelector("[data-script-title]").textContent = script.title;
    box.querySelector("[data-script-trigger]").textContent = script.trigger;
    box.querySelector("[data-script-link]").href = script.url;
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", function () { showScript(radio.value); });
    if (radio.checked) showScript(radio.value);
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      var form = event.target.closest && event.target.closest("form[data-desk-form]");
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (radios.length && !typing(document.activeElement) && /^[1-9]$/.test(event.key)) {
      var radio = radios[Number(event.key) - 1];
      if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change")); radio.focus(); }
    }
  });
  document.querySelectorAll("[data-canned]").forEach(function (button) {
    button.addEventListener("click", function () {
      var box = document.getElementById("reply-body");
      box.value = button.dataset.text;
      document.getElementById("reply-canned").value = button.dataset.canned;
      box.focus();
    });
  });
})();
