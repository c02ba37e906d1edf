// The import pages: a file over the upload limit is stopped before it is
// sent, a button says it is working once pressed, a rollback asks first,
// and the page of a job under way follows its progress until it ends.
// Every form works without this script too.
(function () {
  "use strict";
  var lang = document.documentElement.lang === "en" ? "en" : "vi";

  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var limit = Number(form.getAttribute("data-limit")) || 0;
    var input = form.querySelector("input[type=file]");
    var box = form.querySelector("[data-upload-error]");
    form.addEventListener("submit", function (ev) {
      var f = input && input.files && input.files[0];
      if (f && limit > 0 && f.size > limit) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
        box.textContent = form.getAttribute("data-too-large");
        box.hidden = false;
      }
    });
    if (input) {
      input.addEventListener("change", function () { box.hidden = true; });
    }
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
      }
    });
  });

  // Registered last, so that a submit stopped above leaves the button as
  // it was.
  document.querySelectorAll("form button[data-busy]").forEach(function (btn) {
    btn.form.addEventListener("submit", function () {
      window.setTimeout(function () {
        btn.disabled = true;
        btn.textContent = btn.getAttribute("data-busy");
      }, 0);
    });
  });

  var job = document.querySelector("[data-job]");
  if (!job) {
    return;
  }
  var id = job.getAttribute("data-job");
  var bar = job.querySelector("[data-job-bar]");
  var rows = job.querySelector("[data-job-rows]");
  var estimated = job.querySelector("[data-job-estimated]");
  var queued = job.querySelector("[data-job-queued]");
  var place = job.querySelector("[data-job-place]");
  var fmt = function (n) { return Number(n).toLocaleString(lang); };
  var poll = function () {
    fetch("/api/v1/imports/jobs/" + encodeURIComponent(id), {
      headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store"
    }).then(function (res) {
      if (res.status === 401) {
        window.location.reload();
        return null;
      }
      return res.ok ? res.json() : null;
    }).then(function (p) {
      if (!p) {
        return;
      }
      bar.value = p.percent;
      bar.textContent = p.percent + " %";
      rows.textContent = fmt(p.rows);
      estimated.textContent = fmt(p.estimated);
      queued.hidden = !p.queued;
      place.textContent = fmt(p.queued || 0);
      if (p.next) {
        window.location.assign(p.next);
        return;
      }
      window.setTimeout(poll, 1000);
    }).catch(function () {
      // The server may be restarting: try again a little later.
      window.setTimeout(poll, 5000);
    });
  };
  window.setTimeout(poll, 500);
})();
