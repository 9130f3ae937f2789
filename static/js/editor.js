// The item editor: when the kind changes, the guide beside the text and the
// "Insert template" button follow it at once (without JavaScript they follow
// on the next Preview or Insert template). Guides come from the page's
// #kind-guides JSON block; text is set with textContent, never as HTML.
(function () {
  "use strict";
  var data = document.getElementById("kind-guides");
  var select = document.getElementById("id_kind");
  var guide = document.querySelector(".story-guide");
  if (!data || !select || !guide) {
    return;
  }
  var guides = JSON.parse(data.textContent);
  var insert = document.querySelector('button[name="insert_template"]');

  function show(kind) {
    var chosen = guides[kind];
    if (!chosen) {
      return;
    }
    guide.setAttribute("data-guide-kind", kind);
    guide.querySelector("h2").textContent = chosen.title;
    var list = guide.querySelector("dl");
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    chosen.sections.forEach(function (section) {
      var term = document.createElement("dt");
      term.textContent = section[0];
      var prompt = document.createElement("dd");
      prompt.textContent = section[1];
      list.appendChild(term);
      list.appendChild(prompt);
    });
    if (insert) {
      insert.value = kind;
    }
  }

  // An experiment's own fields show only for that kind (without
  // JavaScript they are always there, marked "only for an experiment").
  var experiment = document.getElementById("experiment-fields");
  function toggleExperiment(kind) {
    if (experiment) {
      experiment.hidden = kind !== "experiment";
    }
  }
  toggleExperiment(select.value);

  select.addEventListener("change", function () {
    show(select.value);
    toggleExperiment(select.value);
  });
})();
