import json
from pathlib import Path
from urllib.parse import quote

import jsonschema_rs
import pytest

from loti.core.charts import stacked_bar

SCHEMA_TEXT = (Path(__file__).parent / "vendor" / "vega-lite-schema.json").read_text()


def _escape_refs(node):
    # Vega-Lite names definitions like "MarkPropDef<(Gradient|string|null)>"; a strict
    # validator wants each $ref to be a URI, so percent-encode the pointer (which it decodes).
    if isinstance(node, dict):
        return {
            key: quote(value, safe="#/") if key == "$ref" else _escape_refs(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_escape_refs(item) for item in node]
    return node


@pytest.fixture(scope="module")
def validator():
    return jsonschema_rs.validator_for(_escape_refs(json.loads(SCHEMA_TEXT)))


def test_a_stacked_bar_with_a_budget_line_is_valid_vega_lite(validator):
    spec = stacked_bar(
        title="Income",
        description="Income by source",
        values=[{"source": "Fees", "status": "Paid", "amount": 10.0}],
        category="source",
        series="status",
        value="amount",
        value_title="Income",
        currency=True,
        rule=("Budget", 12.0),
        series_order=["Paid", "Invoiced"],
    )
    errors = [error.message for error in validator.iter_errors(spec)]
    assert errors == []
    assert spec["layer"][1]["encoding"]["x"]["field"] == "at"
    assert spec["config"]["locale"]["number"]["currency"] == ["£", ""]


def test_the_validator_catches_a_broken_spec(validator):
    spec = stacked_bar(
        title="t", description="d", values=[], category="c", series="s", value="v", value_title="V"
    )
    spec["layer"][0]["mark"] = {"type": "no-such-mark"}
    assert not validator.is_valid(spec)


def test_the_finance_chart_is_valid_and_matches_its_table(validator):
    from decimal import Decimal

    from loti.members.charts import income_chart
    from loti.members.financial_year import FinancialYear
    from loti.members.selectors import FinanceSummary, IncomeSource

    summary = FinanceSummary(
        year=FinancialYear(2026),
        budget=None,
        sources=[
            IncomeSource(
                "Core member fees", organisations=27, invoiced=Decimal(240000), paid=Decimal(570000)
            )
        ],
    )
    chart = income_chart(summary)
    assert validator.is_valid(chart.spec)
    amounts = {(v["source"], v["status"]): v["amount"] for v in chart.spec["data"]["values"]}
    assert amounts == {
        ("Core member fees", "Paid"): 570000.0,
        ("Core member fees", "Invoiced, not yet paid"): 240000.0,
    }
    assert chart.rows[0] == ["Core member fees", "27", "£570,000", "£240,000", "£810,000"]
    assert chart.rows[-1][0] == "Total"
