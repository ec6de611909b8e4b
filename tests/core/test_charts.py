from decimal import Decimal


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
