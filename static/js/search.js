/* The header search box's typeahead (ARIA 1.2 combobox with a grouped
   listbox), and the "similar questions" panel of the question form.
   Without this script both still work: the box is a GET form to the search
   page, and the question form checks for similar questions on submit. */
(function () {
  "use strict";
  // Django's JavaScript catalogue (/jsi18n/, loaded before this script)
  // translates; without it the English text stands.
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function setupTypeahead(form) {
    var input = form.querySelector("[role=combobox]");
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var status = form.querySelector("[aria-live]");
    var url = form.getAttribute("data-typeahead-url");
    var options = [];
    var active = -1;
    var latest = 0;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function activate(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }

    function render(data) {
      listbox.textContent = "";
      options = [];
      var count = 0;
      data.groups.forEach(function (group) {
        var labelId = "header-search-group-" + group.key;
        var box = el("div", { role: "group", "aria-labelledby": labelId });
        box.appendChild(el("span", { id: labelId, class: "group-label" }, group.label));
        group.results.forEach(function (result) {
          var option = el("div", {
            role: "option",
            id: "header-search-option-" + options.length,
            "aria-selected": "false",
            "data-url": result.url
          }, result.label);
          if (result.detail) { option.appendChild(el("small", {}, result.detail)); }
          box.appendChild(option);
          options.push(option);
          count += 1;
        });
        listbox.appendChild(box);
      });
      var all = el("div", {
        role: "option",
        id: "header-search-option-" + options.length,
        "aria-selected": "false",
        "data-url": data.search_url,
        class: "search-all"
      }, data.search_label);
      listbox.appendChild(all);
      options.push(all);
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      activate(-1);
      status.textContent = ngettext("%s suggestion", "%s suggestions", count).replace("%s", count);
    }

    var fetchSuggestions = debounce(function (q) {
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        // An older answer arriving late never replaces a newer one.
        if (data && ticket === latest && input.value.trim() === q) { render(data); }
      }).catch(function () { /* the form still submits to the search page */ });
    }, 150);

    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q.length < 2) { latest += 1; close(); return; }
      fetchSuggestions(q);
    });

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && options.length > 0;
      if (event.key === "Escape") {
        if (open) { close(); event.preventDefault(); } else { input.value = ""; }
      } else if (event.key === "ArrowDown" && open) {
        activate(active + 1 >= options.length ? 0 : active + 1);
        event.preventDefault();
      } else if (event.key === "ArrowUp" && open) {
        activate(active - 1 < 0 ? options.length - 1 : active - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        window.location.assign(options[active].getAttribute("data-url"));
      }
    });

    listbox.addEventListener("mousedown", function (event) {
      // Keep the focus in the box until the click lands on an option.
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { window.location.assign(option.getAttribute("data-url")); }
    });
    input.addEventListener("blur", close);
  }

  function setupSimilar(form) {
    var title = form.querySelector("input[name=title]");
    var kind = form.querySelector("select[name=kind]");
    var panel = document.getElementById("similar-live");
    var url = form.getAttribute("data-similar-url");
    var latest = 0;
    if (!title || !panel) { return; }

    var refresh = debounce(function () {
      var text = title.value.trim();
      var ticket = ++latest;
      if ((kind && kind.value !== "question") || text.length < 8) {
        panel.textContent = "";
        return;
      }
      var query = (url.indexOf("?") < 0 ? "?" : "&") + "title=" + encodeURIComponent(text);
      fetch(url + query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          // Server-rendered and escaped by Django's templates.
          if (ticket === latest) { panel.innerHTML = html; }
        })
        .catch(function () { /* the check on submit still runs */ });
    }, 400);

    title.addEventListener("input", refresh);
    if (kind) { kind.addEventListener("change", refresh); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-typeahead-url]").forEach(setupTypeahead);
    document.querySelectorAll("form[data-similar-url]").forEach(setupSimilar);
  });
})();
