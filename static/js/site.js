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

  // Coming back to a card of a home row that loads when scrolled to (after logging in
  // from it: /#3-genre-movie-7): load that row now and scroll to the card.
  document.addEventListener("DOMContentLoaded", function () {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id || document.getElementById(id) || !window.htmx) {
      return;
    }
    document.querySelectorAll(".movie-rail--pending[data-row]").forEach(function (pending) {
      if (id.indexOf(pending.dataset.row + "-movie-") !== 0) {
        return;
      }
      var url = pending.getAttribute("hx-get");
      window.htmx.ajax("GET", url, { target: pending, swap: "outerHTML" }).then(function () {
        var card = document.getElementById(id);
        if (card) {
          card.scrollIntoView({ block: "center" });
        }
      });
    });
  });

  // Wide screens show the list's filters open (phones keep them behind "Filters").
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia && window.matchMedia("(min-width: 992px)").matches) {
      document.querySelectorAll("details.filters-more").forEach(function (details) {
        details.open = true;
      });
    }
  });

  // Say something to screen readers through the layout's polite live region.
  function announce(text) {
    var status = document.getElementById("live-status");
    if (status) {
      status.textContent = text;
    }
  }

  // The code page's "Send a new code": the server says how many seconds remain
  // (data-countdown); the button waits that long and the text counts down. Without
  // this script the button stays usable and the server answers an early click with
  // the time left.
  function waitText(seconds) {
    if (seconds >= 60) {
      var minutes = Math.ceil(seconds / 60);
      return minutes + (minutes === 1 ? " minute" : " minutes");
    }
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function startCountdown(form) {
    if (form.dataset.countdownStarted) {
      return;
    }
    form.dataset.countdownStarted = "true";
    var seconds = parseInt(form.dataset.countdown, 10) || 0;
    var button = form.querySelector("button[type=submit]");
    var text = form.querySelector("[data-countdown-text]");
    if (seconds <= 0 || !button || !text) {
      return;
    }
    var ends = Date.now() + seconds * 1000;
    button.disabled = true;
    function tick() {
      if (!form.isConnected) {
        return;
      }
      var left = Math.ceil((ends - Date.now()) / 1000);
      if (left <= 0) {
        button.disabled = false;
        text.textContent = "You can ask for a new code now.";
        announce("You can ask for a new code now.");
        return;
      }
      text.textContent = "You can ask for a new code in " + waitText(left) + ".";
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function startCountdowns(root) {
    if (root.matches && root.matches("form[data-countdown]")) {
      startCountdown(root);
    }
    if (root.querySelectorAll) {
      Array.prototype.forEach.call(root.querySelectorAll("form[data-countdown]"), startCountdown);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    startCountdowns(document);
  });
  document.addEventListener("htmx:load", function (event) {
    startCountdowns(event.target);
  });

  // "My lists": htmx deletes the row of a removed movie. Keep the keyboard focus
  // nearby (the next row's button, else the previous one, else the list's heading)
  // and show the "empty" note once the last row is gone. (After the row is gone htmx
  // reports afterRequest on another element, so the request is the key.)
  var removals = new WeakMap();
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-remove-row]")) {
      return;
    }
    var row = form.closest("li");
    var sibling = row && (row.nextElementSibling || row.previousElementSibling);
    var section = form.closest("section");
    removals.set(event.detail.xhr, {
      list: form.closest("[data-list-rows]"),
      focus:
        (sibling && sibling.querySelector("button[type=submit]")) ||
        (section && section.querySelector("h2[tabindex]")),
    });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var removal = removals.get(event.detail.xhr);
    if (!removal || !event.detail.successful) {
      return;
    }
    window.setTimeout(function () {
      var list = removal.list;
      if (list && !list.querySelector("li")) {
        var empty = list.parentElement.querySelector("[data-list-empty]");
        if (empty) {
          empty.hidden = false;
        }
      }
      if (removal.focus && removal.focus.isConnected) {
        removal.focus.focus();
      }
    }, 0);
  });
})();
