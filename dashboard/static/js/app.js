// Small conveniences of every page; each works without scripts too.
(function () {
  "use strict";
  // A form marked data-autosubmit applies a choice as soon as it is made;
  // its submit button stays for browsers without scripts.
  document.querySelectorAll("form[data-autosubmit] select, form[data-autosubmit] input[type=date]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // A table wider than the screen scrolls inside its frame; keyboard users
  // reach it only if the frame takes focus (WCAG 2.1.1), so a frame that
  // overflows becomes a named, focusable group (not a region: its section
  // is the landmark already, under the same name), and one that fits does
  // not add a stop to the tab order. Checked again when the window changes
  // size.
  var label = function (wrap) {
    var cap = wrap.querySelector("caption");
    if (cap) { return cap.textContent.trim(); }
    var sec = wrap.closest("[aria-labelledby]");
    var h = sec && document.getElementById(sec.getAttribute("aria-labelledby"));
    for (var el = wrap.previousElementSibling; !h && el; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) { h = el; }
    }
    h = h || document.querySelector("main h1");
    return h ? h.textContent.trim() : "";
  };
  var frames = function () {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "group");
        if (!wrap.hasAttribute("aria-label")) { wrap.setAttribute("aria-label", label(wrap)); }
      } else if (wrap.getAttribute("role") === "group") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  };
  frames();
  window.addEventListener("resize", frames);
  // Buttons marked data-print print the page.
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function () { window.print(); });
  });
})();
