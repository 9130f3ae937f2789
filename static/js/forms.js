// A form sent back with errors: move focus to its error summary, which
// lists every problem with a link to the field (includes/form_fields.html).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
