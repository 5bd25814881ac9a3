/* A little behaviour on top of htmx. Every page works without this file. */
(function () {
  "use strict";

  // GET forms marked data-drop-empty-params leave unused fields out of the request,
  // so the URL that hx-push-url shows (and people share) stays short: ?genre=Drama
  // rather than ?search=&genre=Drama&actor=&min_rating=&ordering=.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    var form = elt && elt.closest ? elt.closest("form[data-drop-empty-params]") : null;
    if (!form || event.detail.verb !== "get") {
      return;
    }
    var data = event.detail.formData;
    Array.from(data.keys()).forEach(function (name) {
      var values = data.getAll(name).filter(function (value) {
        return value !== "";
      });
      data.delete(name);
      values.forEach(function (value) {
        data.append(name, value);
      });
    });
  });
})();
