"""Every chart builder of every app draws valid Vega-Lite from realistic inputs; a new builder
in a charts module fails the meta-test until it has a case here."""

from __future__ import annotations

import datetime
import importlib
import inspect
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import loti
from loti.core.charts import Chart
from tests import vega
from tests.evaluation.survey_builders import LIKERT_COUNTS

TODAY = datetime.date(2026, 11, 22)
TORNADO_ROWS = [
    {
        "label": "Cost of making one agreement",
        "low_value_text": "£1,500",
        "high_value_text": "£4,000",
        "npsv_low": 610_000.0,
        "npsv_high": 2_150_000.0,
    },
    {
        "label": "Number of parties",
        "low_value_text": "30",
        "high_value_text": "40",
        "npsv_low": 1_020_000.0,
        "npsv_high": 1_880_000.0,
    },
]


def _stacked_bar():
    from loti.core.charts import stacked_bar

    return stacked_bar(
        title="Income",
        description="Income by source",
        values=[
            {"source": "Fees", "status": "Paid", "amount": 10.0},
            {"source": "Fees", "status": "Invoiced", "amount": 2.0},
        ],
        category="source",
        series="status",
        value="amount",
        value_title="Income",
        currency=True,
        rule=("Budget", 12.0),
        series_order=["Paid", "Invoiced"],
    )


def _bar_chart():
    from loti.core.charts import bar_chart

    return bar_chart(
        id="b",
        title="Systems per service",
        description="How many systems each service uses",
        label="Service",
        value_label="Systems",
        bars=[("Housing", 12), ("Waste", 3)],
    )


def _income_chart():
    from loti.members.charts import income_chart
    from loti.members.financial_year import FinancialYear
    from loti.members.selectors import FinanceSummary, IncomeSource

    return income_chart(
        FinanceSummary(
            year=FinancialYear(2026),
            budget=None,
            sources=[
                IncomeSource(
                    "Core member fees",
                    organisations=27,
                    invoiced=Decimal(240000),
                    paid=Decimal(570000),
                ),
                IncomeSource("Partners", organisations=3, invoiced=Decimal(0), paid=Decimal(45000)),
            ],
        )
    )


def _techmap(name: str, *args: Any, **kwargs: Any) -> Callable[[], Any]:
    def build():
        from loti.techmap import charts

        return getattr(charts, name)(*args, **kwargs)

    return build


def _span(organisation, starts_on, ends_on):
    from loti.techmap.charts import ContractSpan

    return ContractSpan(organisation, "Housing system", "Civica", starts_on, ends_on, "£300,000")


def _suppliers_chart():
    from loti.techmap.charts import suppliers_chart
    from loti.techmap.market import SupplierShare

    return suppliers_chart(
        [
            SupplierShare("Civica", 14, Decimal(900000), 0.28, 0.31),
            SupplierShare("Capita", 9, Decimal(0), 0.18, 0.0),
        ]
    )


def _tornado_chart():
    from loti.evaluation.activities.charts import tornado_chart

    return tornado_chart(id="t", title="Inputs", base_npsv=1_400_000.0, rows=TORNADO_ROWS)


def _npsv_spread_chart():
    from loti.evaluation.activities.charts import npsv_spread_chart

    return npsv_spread_chart(
        id="s",
        title="Spread",
        monte_carlo={"draws": 10_000, "npsv": {"p10": -20_000.0, "p50": 1.2e6, "p90": 2.9e6}},
    )


def _themes_chart():
    from loti.evaluation.interviews.charts import themes_chart

    return themes_chart(
        [
            SimpleNamespace(name="Data sharing", passage_count=4, interview_count=2),
            SimpleNamespace(name="Capacity constraints", passage_count=1, interview_count=1),
        ]
    )


REPORT_ACTIVITIES = [
    {
        "slug": "dsa",
        "title": "Data-sharing agreement",
        "appraised": True,
        "npsv": 1.4e6,
        "tornado": TORNADO_ROWS,
    },
    {"slug": "pilot", "title": "Pilot", "appraised": True, "npsv": -35_000.0, "tornado": []},
    {"slug": "new", "title": "Not yet", "appraised": False, "npsv": None, "tornado": []},
]


def _npsv_by_activity_chart():
    from loti.evaluation.report.charts import npsv_by_activity_chart

    return npsv_by_activity_chart(REPORT_ACTIVITIES)


def _report_charts():
    from loti.evaluation.report.charts import report_charts

    charts = report_charts({"activities": REPORT_ACTIVITIES})
    assert list(charts["tornadoes"]) == ["dsa"]
    return [charts["npsv"], *charts["tornadoes"].values()]


def _likert_chart(counts):
    def build():
        from loti.evaluation.surveys.charts import likert_chart
        from loti.evaluation.surveys.stats import summarise_likert

        return likert_chart(id="q1", title="1. Q", summary=summarise_likert(counts))

    return build


def _choice_chart():
    from loti.evaluation.surveys.charts import choice_chart
    from loti.evaluation.surveys.stats import choice_distribution

    choices = choice_distribution([("Projects", 3), ("Training", 1)], base=4)
    return choice_chart(id="q2", title="2. Which?", choices=choices, base=4)


def _combined_scores_chart():
    from loti.portfolio.calls.charts import combined_scores_chart
    from loti.portfolio.calls.models import Proposal, SelectionResult

    return combined_scores_chart(
        [
            SelectionResult(proposal=Proposal(title="Shared SOC"), combined=0.8123, selected=True),
            SelectionResult(proposal=Proposal(title="Bins"), combined=0.41, selected=False),
        ]
    )


def _timeline_chart(by_project: bool):
    def build():
        from loti.portfolio.projects.charts import timeline_chart
        from loti.portfolio.projects.models import Cycle, Decision, Project

        project = Project(title="Shared SOC")
        start = datetime.date(2026, 9, 28)
        cycles = [
            Cycle(
                project=project,
                number=number,
                goal="A goal" if number == 1 else "",
                starts_on=start + datetime.timedelta(weeks=6 * (number - 1)),
                ends_on=start + datetime.timedelta(weeks=6 * number),
                decision=Decision.PIVOT if number == 1 else "",
            )
            for number in (1, 2, 3)
        ]
        return timeline_chart(cycles, today=TODAY, id="t", title="T", by_project=by_project)

    return build


def _quarterly_chart(budget: Decimal):
    def build():
        from loti.members.financial_year import FinancialYear
        from loti.portfolio.projects.charts import quarterly_chart
        from loti.portfolio.projects.cycles import quarters
        from loti.portfolio.projects.selectors import QuarterSummary, YearSummary

        year = FinancialYear(2026)
        return quarterly_chart(
            YearSummary(
                year=year,
                quarters=[
                    QuarterSummary(
                        q,
                        started=1,
                        completed=0,
                        stopped=0,
                        chunks_delivered=2,
                        allocated=Decimal(60000) * (q.number % 2),
                    )
                    for q in quarters(year)
                ],
                round_budget=budget,
            )
        )

    return build


def _coverage_chart():
    from loti.datasharing.coverage.charts import coverage_chart

    return coverage_chart(
        id="coverage",
        title="Who may share with whom",
        organisations=["Barnet", "Camden", "Met Police"],
        cells=[
            ("Barnet", "Camden", 1),
            ("Barnet", "Met Police", 1),
            ("Camden", "Barnet", 1),
            ("Camden", "Met Police", 2),
            ("Met Police", "Barnet", 1),
            ("Met Police", "Camden", 2),
        ],
    )


# (module, builder) -> the cases that build it.
CASES: dict[tuple[str, str], dict[str, Callable[[], Any]]] = {
    ("loti.core.charts", "stacked_bar"): {"with a budget line": _stacked_bar},
    ("loti.core.charts", "bar_chart"): {"two bars": _bar_chart},
    ("loti.members.charts", "income_chart"): {"two sources": _income_chart},
    ("loti.datasharing.coverage.charts", "coverage_chart"): {
        "three organisations": _coverage_chart
    },
    ("loti.techmap.charts", "expiry_chart"): {
        "some quarters": _techmap("expiry_chart", {(2026, 4): 3, (2027, 2): 1}, today=TODAY),
        "none": _techmap("expiry_chart", {}, today=TODAY),
    },
    ("loti.techmap.charts", "ends_by_year_chart"): {
        "with unknown ends": _techmap(
            "ends_by_year_chart",
            [datetime.date(2027, 3, 31), datetime.date(2028, 1, 1), None],
            id="ends",
            subject="Civica",
        )
    },
    ("loti.techmap.charts", "products_per_area_chart"): {
        "two services": _techmap("products_per_area_chart", [("Housing", 7), ("Waste", 2)])
    },
    ("loti.techmap.charts", "coverage_chart"): {
        "two services": _techmap("coverage_chart", [("Housing", 20)], organisations=33)
    },
    ("loti.techmap.charts", "organisations_per_product_chart"): {
        "two products": _techmap(
            "organisations_per_product_chart", [("Civica Pay", 9), ("APP", 4)], vendor="Civica"
        )
    },
    ("loti.techmap.charts", "suppliers_chart"): {"two suppliers": _suppliers_chart},
    ("loti.techmap.charts", "opportunity_timeline_chart"): {
        "a start not known": _techmap(
            "opportunity_timeline_chart",
            [
                _span("Barnet", datetime.date(2023, 4, 1), datetime.date(2027, 3, 31)),
                _span("Camden", None, datetime.date(2027, 6, 30)),
            ],
            window=(datetime.date(2027, 3, 31), datetime.date(2027, 6, 30)),
            today=TODAY,
            show_values=True,
        ),
        "values hidden": _techmap(
            "opportunity_timeline_chart",
            [_span("Barnet", None, datetime.date(2027, 3, 31))],
            window=(datetime.date(2027, 3, 31), datetime.date(2027, 3, 31)),
            today=TODAY,
            show_values=False,
        ),
    },
    ("loti.techmap.charts", "tenders_by_area_chart"): {
        "two services": _techmap("tenders_by_area_chart", [("Housing", 2), ("Parking", 1)])
    },
    ("loti.evaluation.activities.charts", "tornado_chart"): {"two inputs": _tornado_chart},
    ("loti.evaluation.activities.charts", "npsv_spread_chart"): {
        "a spread across zero": _npsv_spread_chart
    },
    ("loti.evaluation.interviews.charts", "themes_chart"): {"two themes": _themes_chart},
    ("loti.evaluation.report.charts", "npsv_by_activity_chart"): {
        "appraised and not": _npsv_by_activity_chart
    },
    ("loti.evaluation.report.charts", "report_charts"): {"every chart": _report_charts},
    ("loti.evaluation.surveys.charts", "likert_chart"): {
        "every answer": _likert_chart(LIKERT_COUNTS),
        "nobody answered": _likert_chart({}),
    },
    ("loti.evaluation.surveys.charts", "choice_chart"): {"two options": _choice_chart},
    ("loti.portfolio.calls.charts", "combined_scores_chart"): {
        "selected and not": _combined_scores_chart
    },
    ("loti.portfolio.projects.charts", "timeline_chart"): {
        "by project": _timeline_chart(True),
        "by cycle": _timeline_chart(False),
    },
    ("loti.portfolio.projects.charts", "quarterly_chart"): {
        "with a budget": _quarterly_chart(Decimal(200000)),
        "without a budget": _quarterly_chart(Decimal(0)),
    },
}

# Public functions of charts modules that build no chart: they format what charts show.
NOT_BUILDERS = {
    ("loti.members.charts", "pounds"),
    ("loti.portfolio.projects.charts", "cycle_status"),
    ("loti.portfolio.projects.charts", "status_legend"),
}


def _specs(built: Any) -> list[dict[str, Any]]:
    if isinstance(built, Chart):
        return [built.spec]
    if isinstance(built, list):
        return [spec for item in built for spec in _specs(item)]
    return [built]


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(build, id=f"{name}: {case}")
        for (_, name), cases in CASES.items()
        for case, build in cases.items()
    ],
)
def test_every_chart_is_valid_vega_lite(build):
    built = build()
    for spec in _specs(built):
        vega.assert_valid(spec)
    if isinstance(built, Chart):
        # The table beside the chart has a cell for every column in every row.
        assert all(len(row) == len(built.columns) == len(built.numeric) for row in built.rows)


def test_a_stacked_bar_draws_its_budget_line_in_pounds():
    spec = _stacked_bar()
    assert spec["layer"][1]["encoding"]["x"]["field"] == "at"
    assert spec["layer"][2]["data"]["values"] == [{"label": "Budget: £12", "at": 12.0}]
    assert spec["config"]["locale"]["number"]["currency"] == ["£", ""]


def test_the_validator_catches_a_broken_spec():
    spec = _stacked_bar()
    spec["layer"][0]["mark"] = {"type": "no-such-mark"}
    assert any(problem.startswith("schema:") for problem in vega.problems(spec))


def test_the_validator_catches_a_field_missing_from_the_data():
    spec = _stacked_bar()
    spec["layer"][0]["encoding"]["x"]["field"] = "amuont"
    assert vega.problems(spec) == [
        "field 'amuont' is not in the datum {'source': 'Fees', 'status': 'Paid', 'amount': 10.0}"
    ]


def _charts_modules() -> list[str]:
    root = Path(loti.__file__).parent
    return sorted(
        ".".join(("loti", *path.relative_to(root).with_suffix("").parts))
        for pattern in ("*/charts.py", "*/*/charts.py")
        for path in root.glob(pattern)
    )


def test_every_public_function_of_a_charts_module_has_a_case():
    public = set()
    for name in _charts_modules():
        module = importlib.import_module(name)
        public |= {
            (name, attribute)
            for attribute, value in vars(module).items()
            if inspect.isfunction(value)
            and value.__module__ == name
            and not attribute.startswith("_")
        }
    assert len(public) > 20
    assert public - NOT_BUILDERS == set(CASES)


def _x(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["layer"][0]["encoding"]["x"]


def test_counts_have_whole_number_axes_and_amounts_do_not():
    assert _x(_bar_chart().spec)["axis"] == {"tickMinStep": 1, "format": ",d"}
    assert _x(_themes_chart().spec)["axis"] == {"tickMinStep": 1, "format": ",d"}
    assert _x(_npsv_spread_chart().spec)["axis"] == {"format": "$,.0f"}  # pounds
    assert _x(_stacked_bar())["axis"] == {"format": "$,.0f"}
    assert _x(_suppliers_chart().spec)["axis"] == {"format": ",.0f"}  # shares in per cent


def test_a_chart_is_in_its_tables_order_and_as_tall_as_its_rows():
    chart = _income_chart()
    bars = chart.spec["layer"][0]["encoding"]
    assert bars["y"]["sort"] is None  # the data's order, which is the table's
    assert [v["source"] for v in chart.spec["data"]["values"][::2]] == [
        row[0] for row in chart.rows[:-1]
    ]
    # Segments stack and the legend reads in the order of the table's columns.
    assert bars["color"]["sort"] == ["Paid", "Invoiced, not yet paid"] == chart.columns[2:4]
    assert chart.spec["height"] == 2 * 36
    assert _expiry_chart().spec["height"] == 13 * 36


def _expiry_chart():
    return CASES[("loti.techmap.charts", "expiry_chart")]["none"]()


def test_the_largest_suppliers_chart_shows_the_share_the_table_is_ordered_by():
    from loti.techmap.charts import suppliers_chart
    from loti.techmap.market import BY_CONTRACTS, SupplierShare

    top = [
        SupplierShare("Civica", 14, Decimal(900000), 0.28, 0.31),
        SupplierShare("Capita", 9, Decimal(0), 0.18, 0.0),
    ]
    by_value = suppliers_chart(top)
    assert by_value.title == "Share of value held by the largest suppliers"
    assert [v["value"] for v in by_value.spec["data"]["values"]] == [31.0, 0.0]
    assert by_value.columns == ["Supplier", "Contracts", "Share of value", "Share of contracts"]
    assert by_value.rows[0] == ["Civica", "14", "31.0%", "28.0%"]

    by_contracts = suppliers_chart(top, by=BY_CONTRACTS)
    assert by_contracts.title == "Share of contracts held by the largest suppliers"
    assert [v["value"] for v in by_contracts.spec["data"]["values"]] == [28.0, 18.0]
    assert by_contracts.columns == ["Supplier", "Contracts", "Share of contracts"]
    assert by_contracts.rows[1] == ["Capita", "9", "18.0%"]


def test_the_tornado_axis_starts_near_its_values_and_labels_sit_beyond_the_bars():
    spec = _tornado_chart().spec
    scale = spec["layer"][0]["encoding"]["x"]["scale"]
    assert scale["zero"] is False
    low, high = scale["domain"]
    # Values run from £610,000 to £2,150,000: the axis starts well above zero, with room for
    # the labels each side.
    assert 0 < low < 610_000 and 2_150_000 < high < 3_000_000
    assert spec["height"] == 2 * 48
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert [(t["mark"]["align"], t["transform"][0]["filter"]) for t in texts] == [
        ("right", "datum.npsv < datum.base"),
        ("left", "datum.npsv >= datum.base"),
    ]
    assert spec["config"]["axis"]["labelLimit"] == 0
