"""Charts of memberships and money."""

from __future__ import annotations

from loti.core.charts import Chart, stacked_bar
from loti.members.selectors import FinanceSummary


def pounds(amount) -> str:
    return f"£{amount:,.0f}" if amount == int(amount) else f"£{amount:,.2f}"


def income_chart(summary: FinanceSummary) -> Chart:
    values = []
    for source in summary.sources:
        values.append({"source": source.label, "status": "Paid", "amount": float(source.paid)})
        values.append(
            {
                "source": source.label,
                "status": "Invoiced, not yet paid",
                "amount": float(source.invoiced),
            }
        )
    budget = summary.budget
    description = f"Income for {summary.year} by source: {pounds(summary.total)} in all" + (
        f" against a budget of {pounds(budget.amount)}." if budget else "."
    )
    rows = [
        [s.label, str(s.organisations), pounds(s.paid), pounds(s.invoiced), pounds(s.total)]
        for s in summary.sources
    ]
    rows.append(
        ["Total", "", pounds(summary.paid), pounds(summary.invoiced), pounds(summary.total)]
    )
    return Chart(
        id="income-by-source",
        title=f"Income by source, {summary.year}",
        spec=stacked_bar(
            title=f"Income by source, {summary.year}",
            description=description,
            values=values,
            category="source",
            series="status",
            value="amount",
            value_title="Income",
            currency=True,
            rule=("Budget", float(budget.amount)) if budget else None,
            series_order=["Paid", "Invoiced, not yet paid"],
        ),
        columns=["Source", "Organisations", "Paid", "Invoiced, not yet paid", "Total"],
        rows=rows,
        numeric=[False, True, True, True, True],
    )
