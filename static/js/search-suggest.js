/* The header's search box as an accessible combobox (ARIA APG, list autocomplete).
 * Without this file the box is a plain GET form to the movie list. */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 150;

  function setup(form) {
    var input = form.querySelector("[role=combobox]");
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var status = form.querySelector("[role=status]");
    var suggestUrl = form.dataset.suggestUrl;
    var movieUrl = form.dataset.movieUrl; // "/movies/0/": the 0 becomes the id
    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;

    function urlFor(id) {
      return movieUrl.replace(/\/0\/$/, "/" + encodeURIComponent(id) + "/");
    }

    function isOpen() {
      return input.getAttribute("aria-expanded") === "true";
    }

    function setActive(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
        option.classList.toggle("active", i === index);
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options.length) {
        return;
      }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function go(index) {
      var option = options[index];
      if (option) {
        window.location.assign(urlFor(option.dataset.id));
      }
    }

    function render(movies) {
      listbox.textContent = "";
      options = movies.map(function (movie, i) {
        var option = document.createElement("li");
        option.id = "site-search-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "site-search-option";
        option.dataset.id = movie.id;
        option.textContent = movie.title;
        if (movie.year) {
          var year = document.createElement("span");
          year.className = "site-search-year";
          year.textContent = " (" + movie.year + ")";
          option.appendChild(year);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
        });
        option.addEventListener("click", function () {
          go(i);
        });
        listbox.appendChild(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        open();
        status.textContent =
          options.length + (options.length === 1 ? " suggestion" : " suggestions") + " available.";
      } else {
        close();
        status.textContent = "No suggestions.";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) {
        open();
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      if (query.length < MIN_LENGTH) {
        options = [];
        listbox.textContent = "";
        close();
        return;
      }
      controller = new AbortController();
      var url = suggestUrl + "?limit=8&q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller.signal })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (movies) {
          if (input.value.trim() === query) {
            render(Array.isArray(movies) ? movies : []);
          }
        })
        .catch(function () {
          /* aborted or offline: the form still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!isOpen()) {
            open();
          }
          if (options.length) {
            setActive(active + 1 < options.length ? active + 1 : 0);
          }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!isOpen()) {
            open();
          }
          if (options.length) {
            setActive(active > 0 ? active - 1 : options.length - 1);
          }
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break; // otherwise the form searches the movie list
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            lastQuery = null;
          }
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  function init() {
    document.querySelectorAll("form.site-search[data-suggest-url]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
