"""Charts of memberships and money."""

from __future__ import annotations

from loti.core.charts import Chart, stacked_bar
from loti.core.money import money
from loti.members.selectors import FinanceSummary


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
    description = f"Income for {summary.year} by source: {money(summary.total)} in all" + (
        f" against a budget of {money(budget.amount)}." if budget else "."
    )
    rows = [
        [s.label, str(s.organisations), money(s.paid), money(s.invoiced), money(s.total)]
        for s in summary.sources
    ]
    rows.append(["Total", "", money(summary.paid), money(summary.invoiced), money(summary.total)])
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
