"""Every chart builder's spec (the cases of tests/test_chart_specs.py) drawn in Chromium by the
pages' own charts.js with the vendored Vega, one after another in one page: any Vega warning
or error, a chart that is not drawn, a cut-off axis label, bars in another order than the
table beside them, or blank space under a chart fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loti.core.charts import Chart
from tests.browser.conftest import watch
from tests.test_chart_specs import CASES

pytestmark = pytest.mark.browser

STATIC = Path(__file__).parents[2] / "src" / "loti" / "core" / "static"
SCRIPTS = [
    STATIC / "vendor" / "vega" / name
    for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "vega-interpreter.js")
]
CHARTS_JS = STATIC / "loti" / "charts.js"
LOTI_CSS = STATIC / "loti" / "loti.css"
# The width of the GOV.UK page's main column on a desktop screen.
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Charts</title></head>
<body class="js-enabled"><main id="charts" style="width: 960px"></main></body></html>"""

# After charts.js has drawn the chart: whether it was drawn, and the labels of its y-axis
# (Vega names each axis group "Y-axis ..." for assistive technology).
READ_CHART = """() => {
  const el = document.querySelector("[data-chart]");
  const axes = Array.from(el.querySelectorAll("g.role-axis")).filter(
    (g) => (g.getAttribute("aria-label") || "").startsWith("Y-axis"));
  const svg = el.querySelector("svg");
  return {
    rendered: el.classList.contains("loti-chart--rendered"),
    height: el.getBoundingClientRect().height,
    svg_height: svg ? svg.getBoundingClientRect().height : 0,
    y_labels: axes.flatMap((g) =>
      Array.from(g.querySelectorAll("g.role-axis-label text"), (t) => t.textContent)),
    labels: Array.from(el.querySelectorAll("g.role-axis-label text"), (t) => t.textContent),
  };
}"""


def _built(build) -> list[tuple[dict, Chart | None]]:
    built = build()
    items = built if isinstance(built, list) else [built]
    return [(item.spec, item) if isinstance(item, Chart) else (item, None) for item in items]


SPECS = [
    (f"{name}: {case}#{index}", spec, chart)
    for (_, name), cases in CASES.items()
    for case, build in cases.items()
    for index, (spec, chart) in enumerate(_built(build))
]


@pytest.fixture(scope="module")
def chart_page(chromium_browser):
    """One page with the vendored Vega loaded, and what it has said since last asked."""
    page = chromium_browser.new_page()
    page.problems = watch(page)
    page.warnings = []
    page.on(
        "console",
        lambda message: page.warnings.append(message.text) if message.type == "warning" else None,
    )
    page.set_content(PAGE)
    page.add_style_tag(path=str(LOTI_CSS))
    for script in SCRIPTS:
        page.add_script_tag(path=str(script))
    assert page.evaluate("typeof window.vegaEmbed") == "function"
    yield page
    page.close()


def draw(page, spec: dict) -> tuple[dict, list[str]]:
    """Draws `spec` as a page would and returns what was drawn and every warning and error."""
    page.evaluate(
        """(spec) => {
          const main = document.getElementById("charts");
          main.innerHTML = '<figure><div class="loti-chart" data-chart="chart"></div>' +
            '<script type="application/json" id="chart"></' + 'script><table></table></figure>';
          document.getElementById("chart").textContent = spec;
        }""",
        json.dumps(spec),
    )
    # charts.js draws every chart on the page when it loads: here, this one.
    page.add_script_tag(path=str(CHARTS_JS))
    page.wait_for_function(
        "() => { const el = document.querySelector('[data-chart]');"
        " return el.hidden || el.classList.contains('loti-chart--rendered'); }",
        timeout=10_000,
    )
    drawn = page.evaluate(READ_CHART)
    said = [*page.problems.console_errors, *page.problems.page_errors, *page.warnings]
    page.problems.clear()
    page.warnings.clear()
    return drawn, said


def faults(spec: dict, chart: Chart | None, drawn: dict, said: list[str]) -> list[str]:
    if said or not drawn["rendered"]:
        return [f"drawn={drawn['rendered']} {said}"]
    found = []
    if drawn["height"] > drawn["svg_height"] + 20:
        found.append(f"blank space under the chart: {drawn['height'] - drawn['svg_height']:.0f}px")
    cut = [label for label in drawn["labels"] if label.endswith("…")]
    if cut:
        found.append(f"axis labels cut off: {cut}")
    if chart is not None and drawn["y_labels"]:
        table = list(dict.fromkeys(row[0] for row in chart.rows))
        in_table = [label for label in drawn["y_labels"] if label in table]
        if in_table != [label for label in table if label in in_table]:
            found.append(f"chart order {in_table} is not the table's {table}")
    return found


def test_every_chart_builder_draws_without_a_warning_in_chromium(chart_page):
    found = []
    for name, spec, chart in SPECS:
        drawn, said = draw(chart_page, spec)
        found.extend(f"{name}: {fault}" for fault in faults(spec, chart, drawn, said))
    assert len(SPECS) >= 25
    assert not found, "\n".join(found)


def test_the_check_sees_a_warning_an_error_a_cut_label_and_another_order(chart_page):
    from loti.core.charts import bar_chart

    chart = bar_chart(
        id="c",
        title="T",
        description="D",
        label="Service",
        value_label="Systems",
        bars=[("Housing", 2), ("A service with a name far longer than any label may be", 1)],
    )
    drawn, said = draw(chart_page, chart.spec)
    assert faults(chart.spec, chart, drawn, said) == []

    step = {**chart.spec, "height": {"step": 36}}
    assert "Dropping" in faults(step, chart, *draw(chart_page, step))[0]

    broken = {**chart.spec, "layer": [{"mark": "no-such-mark"}]}
    assert faults(broken, chart, *draw(chart_page, broken))[0].startswith("drawn=False")

    short = {**chart.spec, "config": {**chart.spec["config"], "axis": {"labelLimit": 40}}}
    assert faults(short, chart, *draw(chart_page, short))[0].startswith("axis labels cut off")

    tall = chart_page.add_style_tag(content=".loti-chart { min-height: 800px !important }")
    assert faults(chart.spec, chart, *draw(chart_page, chart.spec))[0].startswith("blank space")
    tall.evaluate("style => style.remove()")

    reversed_rows = Chart(**{**vars(chart), "rows": chart.rows[::-1]})
    assert faults(chart.spec, reversed_rows, drawn, [])[0].startswith("chart order")
