// The target forms of the admin pages: as the admin types a target's text
// as the act writes it, the bound the server's parser reads from it is
// shown beside it and put into the kind, comparison and bound fields —
// unless the admin has set those by hand. Without scripts the server does
// the same when the form is sent with them left on "from the text".
(function () {
  "use strict";
  var fields = ["kind", "op", "a", "b", "base_year"];
  document.querySelectorAll("#target-form, #revise-form").forEach(function (form) {
    var text = form.querySelector("#f-text");
    var out = form.querySelector("#f-parsed");
    if (!text || !out) { return; }
    var touched = {};
    fields.forEach(function (name) {
      var el = form.querySelector("#f-" + name);
      if (!el) { return; }
      // A value the server put there after reading the text counts as
      // the parser's, not the admin's.
      ["input", "change"].forEach(function (type) {
        el.addEventListener(type, function (ev) { if (ev.isTrusted) { touched[name] = true; } });
      });
    });
    function indicator() {
      var sel = form.querySelector("#f-indicator");
      if (sel) { return sel.value; }
      var wrap = form.closest("[data-indicator]");
      return wrap ? wrap.getAttribute("data-indicator") : "";
    }
    function direction() {
      var sel = form.querySelector("#f-direction");
      return sel ? sel.value : "";
    }
    var timer = null;
    var asked = 0;
    // initial: the page has just opened; fields already filled (by the
    // admin before the form came back, or by the server) are kept.
    function ask(initial) {
      var n = ++asked;
      var q = new URLSearchParams({ text: text.value, indicator: indicator(), direction: direction() });
      fetch("/admin/targets/parse?" + q.toString(), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (sg) {
          if (!sg || n !== asked) { return; }
          out.textContent = sg.message || "";
          form.setAttribute("data-parsed", sg.ok ? "ok" : (text.value.trim() ? "unread" : ""));
          if (!sg.ok) { return; }
          fields.forEach(function (name) {
            var el = form.querySelector("#f-" + name);
            if (el && !touched[name] && !(initial && el.value !== "")) { el.value = sg[name] || ""; }
          });
        })
        .catch(function () { /* the server reads the text when the form is sent */ });
    }
    function later() {
      clearTimeout(timer);
      timer = setTimeout(function () { ask(false); }, 250);
    }
    text.addEventListener("input", later);
    ["#f-indicator", "#f-direction"].forEach(function (id) {
      var el = form.querySelector(id);
      if (el) { el.addEventListener("change", later); }
    });
    if (text.value.trim()) { ask(true); }
  });
})();
