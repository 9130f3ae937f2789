// Sign-up: fill the hidden time zone and language fields from the browser,
// so times are shown in the new member's zone from the first page on.
// Without JavaScript the fields stay empty and the organisation's zone is used.
(function () {
  "use strict";
  var zone = document.querySelector('input[type="hidden"][name="time_zone"]');
  var language = document.querySelector('input[type="hidden"][name="language"]');
  try {
    if (zone && !zone.value && window.Intl && Intl.DateTimeFormat) {
      zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    }
  } catch (error) {
    // An old browser without time zone support: keep the default.
  }
  if (language && !language.value && navigator.language) {
    language.value = navigator.language;
  }
})();
