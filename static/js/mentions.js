/* @mention typeahead for the text of items and replies.
 *
 * Progressive enhancement under the strict CSP (no inline script or style):
 * without it, members type @username by hand. On a community's pages
 * (/communities/<slug>/...), every <textarea name="body"> gets a listbox of
 * suggestions from /communities/<slug>/mentions/?q=, which lists only people
 * who may read that community (and role groups, for those allowed to use
 * them). ARIA 1.2 allows the combobox role on single-line inputs only, so the
 * textarea stays a textbox that autocompletes a list it controls, with the
 * active option as its aria-activedescendant (aria-expanded is not a
 * textbox's: the listbox's own visibility says whether it is open).
 *
 * Keys: Down/Up move through the suggestions, Enter or Tab picks one,
 * Escape closes the list. A polite live region says how many there are.
 */
(function () {
  "use strict";
  // Django's JavaScript catalogue (/jsi18n/, loaded before this script)
  // translates; without it the English text stands.
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };

  var PATH = /^\/communities\/([^/]+)\//.exec(window.location.pathname);
  if (!PATH) {
    return;
  }
  var ENDPOINT = "/communities/" + PATH[1] + "/mentions/";
  // "@abc" just before the caret, after a space, a line start or a bracket.
  var TOKEN = /(^|[\s([{])@([A-Za-z0-9][A-Za-z0-9_-]{0,59})$/;
  var counter = 0;

  function Typeahead(textarea) {
    counter += 1;
    this.textarea = textarea;
    this.id = "mention-list-" + counter;
    this.options = [];
    this.active = -1;
    this.token = null;
    this.timer = null;
    this.request = 0;

    this.listbox = document.createElement("ul");
    this.listbox.id = this.id;
    this.listbox.className = "mention-listbox";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", gettext("People you can mention"));
    this.listbox.hidden = true;

    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");

    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", this.id);
    textarea.insertAdjacentElement("afterend", this.status);
    textarea.insertAdjacentElement("afterend", this.listbox);

    textarea.addEventListener("input", this.onInput.bind(this));
    textarea.addEventListener("keydown", this.onKeydown.bind(this));
    textarea.addEventListener("blur", this.close.bind(this));
    // mousedown, not click: picking must happen before the textarea blurs.
    this.listbox.addEventListener("mousedown", this.onPointer.bind(this));
  }

  Typeahead.prototype.onInput = function () {
    var before = this.textarea.value.slice(0, this.textarea.selectionStart);
    var found = TOKEN.exec(before);
    if (!found) {
      this.close();
      return;
    }
    this.token = {
      start: before.length - found[2].length - 1,
      end: before.length,
      query: found[2],
    };
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(this.fetch.bind(this), 150);
  };

  Typeahead.prototype.fetch = function () {
    var self = this;
    var ticket = ++this.request;
    var url = ENDPOINT + "?q=" + encodeURIComponent(this.token.query);
    window
      .fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        if (ticket === self.request) {
          self.show(data.results || []);
        }
      })
      .catch(function () {
        self.close();
      });
  };

  Typeahead.prototype.show = function (results) {
    var self = this;
    this.options = results;
    this.listbox.textContent = "";
    if (!results.length) {
      this.close();
      this.status.textContent = gettext("No one to mention by that name.");
      return;
    }
    results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = self.id + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(index);
      var name = document.createElement("span");
      name.className = "mention-name";
      name.textContent = result.name;
      var handle = document.createElement("span");
      handle.className = "mention-handle";
      handle.textContent = " @" + result.handle;
      option.appendChild(name);
      option.appendChild(handle);
      if (result.detail) {
        var detail = document.createElement("span");
        detail.className = "mention-detail";
        detail.textContent = " · " + result.detail;
        option.appendChild(detail);
      }
      self.listbox.appendChild(option);
    });
    this.listbox.hidden = false;
    this.move(0);
    this.status.textContent = ngettext(
      "%s suggestion. Up and down to choose, Enter to pick.",
      "%s suggestions. Up and down to choose, Enter to pick.",
      results.length
    ).replace("%s", results.length);
  };

  Typeahead.prototype.move = function (index) {
    var items = this.listbox.children;
    if (!items.length) {
      return;
    }
    index = (index + items.length) % items.length;
    for (var i = 0; i < items.length; i += 1) {
      items[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    this.active = index;
    this.textarea.setAttribute("aria-activedescendant", items[index].id);
  };

  Typeahead.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Typeahead.prototype.close = function () {
    window.clearTimeout(this.timer);
    this.request += 1;
    this.listbox.hidden = true;
    this.listbox.textContent = "";
    this.options = [];
    this.active = -1;
    this.textarea.removeAttribute("aria-activedescendant");
  };

  Typeahead.prototype.pick = function (index) {
    var chosen = this.options[index];
    if (!chosen || !this.token) {
      return;
    }
    var value = this.textarea.value;
    var text = "@" + chosen.handle + " ";
    this.textarea.value =
      value.slice(0, this.token.start) + text + value.slice(this.token.end);
    var caret = this.token.start + text.length;
    this.textarea.setSelectionRange(caret, caret);
    this.status.textContent = gettext("Mentioned %s.").replace("%s", chosen.name);
    this.close();
    this.textarea.focus();
  };

  Typeahead.prototype.onKeydown = function (event) {
    if (!this.isOpen()) {
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      this.move(this.active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      this.move(this.active - 1);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      this.pick(this.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.close();
    }
  };

  Typeahead.prototype.onPointer = function (event) {
    var option = event.target.closest("[role=option]");
    if (option) {
      event.preventDefault();
      this.pick(Number(option.dataset.index));
    }
  };

  function start() {
    var areas = document.querySelectorAll('textarea[name="body"]');
    for (var i = 0; i < areas.length; i += 1) {
      new Typeahead(areas[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
