/* Colour mode, applied before the page paints (loaded blocking in <head>, no inline
   script: the Content-Security-Policy forbids those). Dark unless the browser prefers
   light; a choice made with the navbar's toggle is remembered in localStorage. */
(function () {
  "use strict";
  var KEY = "theme";
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function preferred() {
    var s = stored();
    if (s === "light" || s === "dark") { return s; }
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
  }
  function apply(theme) {
    document.documentElement.setAttribute("data-bs-theme", theme);
    var buttons = document.querySelectorAll("[data-theme-toggle]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
      button.hidden = false;
    });
  }
  apply(preferred());
  if (window.matchMedia) {
    var query = window.matchMedia("(prefers-color-scheme: light)");
    var listener = function () { if (!stored()) { apply(preferred()); } };
    if (query.addEventListener) { query.addEventListener("change", listener); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    apply(preferred());
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-theme-toggle]") : null;
      if (!button) { return; }
      var next = document.documentElement.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: not remembered */ }
      apply(next);
    });
  });
})();
