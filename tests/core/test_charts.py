from decimal import Decimal

from loti.core.charts import stacked_bar


def test_a_stacked_bar_draws_its_budget_line_in_pounds():
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
    assert spec["layer"][1]["encoding"]["x"]["field"] == "at"
    assert spec["config"]["locale"]["number"]["currency"] == ["£", ""]


def test_the_finance_chart_matches_its_table():
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
    amounts = {(v["source"], v["status"]): v["amount"] for v in chart.spec["data"]["values"]}
    assert amounts == {
        ("Core member fees", "Paid"): 570000.0,
        ("Core member fees", "Invoiced, not yet paid"): 240000.0,
    }
    assert chart.rows[0] == ["Core member fees", "27", "£570,000", "£240,000", "£810,000"]
    assert chart.rows[-1][0] == "Total"
