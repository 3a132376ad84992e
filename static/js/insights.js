// Draws every Vega-Lite chart on an insights page. Specs come from json_script elements (no inline script);
// Vega's expression interpreter replaces its code generation so the Content-Security-Policy needs no eval.
(function () {
  "use strict";

  function draw(root) {
    if (typeof window.vegaEmbed !== "function") return;
    root.querySelectorAll(".vega-chart[data-spec]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var source = document.getElementById(el.dataset.spec);
      if (!source) return;
      el.dataset.drawn = "1";
      window.vegaEmbed(el, JSON.parse(source.textContent), {
        renderer: "svg",
        ast: true,
        expr: window.vega.expressionInterpreter,
        loader: { target: "_self" },  // a cell opens its spans here, not in a new tab
        actions: { export: true, source: false, compiled: false, editor: false },
      }).then(function () { el.dataset.ready = "1"; }).catch(function (err) {
        el.textContent = "The chart could not be drawn; the table beside it has the same figures.";
        console.warn(err);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
