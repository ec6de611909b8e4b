/*
 * Renders every chart on the page. Each chart is
 *
 *   <div class="loti-chart" data-chart="ID" aria-hidden="true"></div>
 *   <script type="application/json" id="ID">{ ...Vega-Lite spec... }</script>
 *
 * (see core/includes/chart.html). Load after vega, vega-lite, vega-embed and
 * vega-interpreter, all with `defer` (core/includes/chart_scripts.html).
 *
 * Works under a strict Content-Security-Policy (no 'unsafe-eval', no
 * 'unsafe-inline' styles): Vega parses expressions to an AST (`ast: true`) and
 * evaluates them with vega-interpreter instead of generating code with
 * `new Function`; vega-embed's and vega-tooltip's injected <style> elements
 * are turned off (`defaultStyle: false`, `disableDefaultStyle: true`) and their
 * few needed rules live in loti.css.
 */
(function () {
  "use strict";

  // House style, with WCAG 2.2 AA contrast on white: text is GOV.UK black, and
  // every category colour has at least 3:1 against white. A spec's own
  // "config" overrides any of these.
  var TEXT = "#0b0c0c";
  var CONFIG = {
    font: "arial, sans-serif",
    axis: {
      labelColor: TEXT,
      labelFontSize: 14,
      titleColor: TEXT,
      titleFontSize: 16,
      domainColor: TEXT,
      tickColor: TEXT,
      gridColor: "#cecece",
    },
    legend: { labelColor: TEXT, labelFontSize: 14, titleColor: TEXT, titleFontSize: 16 },
    header: { labelColor: TEXT, labelFontSize: 14, titleColor: TEXT, titleFontSize: 16 },
    title: { color: TEXT, fontSize: 19, anchor: "start" },
    mark: { color: "#1d70b8" },
    range: {
      category: ["#1d70b8", "#ca357c", "#0f7a52", "#54319f", "#99704a", "#158187", "#ca3535", "#484949"],
    },
  };

  function sameDataTableBeside(el) {
    var container = el.closest("figure") || el.parentElement;
    return Boolean(container && container.querySelector("table"));
  }

  function labelSvg(el, spec) {
    var svg = el.querySelector("svg");
    if (!svg) return;
    var title = spec.title;
    if (title && typeof title === "object") title = title.text;
    if (Array.isArray(title)) title = title.join(" ");
    var label = spec.description || title || "Chart";
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    svg.removeAttribute("aria-roledescription");
    svg.setAttribute("focusable", "false");
  }

  function render(el, expr) {
    var id = el.getAttribute("data-chart");
    var source = id && document.getElementById(id);
    if (!source) return;

    // The table beside the chart carries the same data for assistive tech;
    // without one the chart itself must stay in the accessibility tree.
    if (!sameDataTableBeside(el)) el.removeAttribute("aria-hidden");

    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      console.error("Chart " + id + ": invalid JSON spec", error);
      el.hidden = true;
      return;
    }

    window
      .vegaEmbed(el, spec, {
        renderer: "svg",
        actions: false,
        defaultStyle: false,
        ast: true,
        expr: expr,
        config: CONFIG,
        tooltip: { disableDefaultStyle: true },
      })
      .then(function () {
        labelSvg(el, spec);
        el.classList.add("loti-chart--rendered");
      })
      .catch(function (error) {
        console.error("Chart " + id + " could not be drawn", error);
        el.hidden = true; // the table still shows the data
      });
  }

  function init() {
    var charts = document.querySelectorAll("[data-chart]");
    if (!charts.length) return;
    if (!window.vegaEmbed || !window.vegaInterpreter) {
      console.error("charts.js: vega-embed or vega-interpreter is not loaded");
      return;
    }
    var expr = window.vegaInterpreter.expressionInterpreter;
    Array.prototype.forEach.call(charts, function (el) {
      render(el, expr);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
