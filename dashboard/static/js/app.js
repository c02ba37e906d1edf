// Small conveniences of every page; each works without scripts too.
(function () {
  "use strict";
  // A form marked data-autosubmit applies a choice as soon as it is made;
  // its submit button stays for browsers without scripts.
  document.querySelectorAll("form[data-autosubmit] select, form[data-autosubmit] input[type=date]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Buttons marked data-print print the page.
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
})();
