// The main menu on narrow screens: a "Menu" button discloses the links
// (without JavaScript, static/css/noscript.css hides the button and the links
// simply wrap under the brand). Escape closes
// an open menu or dropdown and puts focus back on what opened it.
(function () {
  "use strict";
  var nav = document.querySelector(".site-nav");
  var toggle = nav && nav.querySelector(".menu-toggle");

  function setOpen(open) {
    nav.classList.toggle("menu-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  if (nav && toggle) {
    toggle.addEventListener("click", function () {
      setOpen(!nav.classList.contains("menu-open"));
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var dropdown = document.querySelector("details.dropdown[open]");
    if (dropdown) {
      dropdown.removeAttribute("open");
      dropdown.querySelector("summary").focus();
      return;
    }
    if (nav && toggle && nav.classList.contains("menu-open")) {
      setOpen(false);
      toggle.focus();
    }
  });
})();
