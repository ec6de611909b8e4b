"""The evaluation report's content as plain data (strings, numbers, lists and dicts), so
that the page, the PDF and a published snapshot all show the same thing.

Sections: membership and funding, survey findings, value for money per activity,
sensitivity, and method and caveats.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from loti.core import money as writing
from loti.core.text import join_words
from loti.evaluation.activities import selectors
from loti.evaluation.activities.models import Activity, ActivityInput

# How many tornado rows (largest swings) the report shows for each activity.
SENSITIVITY_ROWS = 4


def money(amount: float | Decimal | None) -> str:
    """£1,400,000; -£2,500 for a loss; "not defined" for nothing. An appraisal's pounds
    are estimates, so pence would claim a precision it does not have."""
    if amount is None:
        return "not defined"
    return writing.money(round(float(amount)))


def short_money(amount: float) -> str:
    """£1.4m, £300k, £242k, £950: the headline's rounding, to three significant figures, so
    that a headline quotes the figures an evaluation published as it published them."""
    return writing.estimate(amount, figures=3)


def ratio(value: float | None) -> str:
    return "not defined" if value is None else f"{value:.2f}"


def share(value: float | None) -> str:
    return "not defined" if value is None else f"{100 * value:.0f}%"


def quantity(value: float | Decimal | None, unit: str) -> str:
    """An input's value in words: money with a pound sign, shares as per cent."""
    if value is None:
        return ""
    number = float(value)
    if unit == "£":
        return writing.money(value)
    if unit == "share":
        return f"{100 * number:g}%"
    shown = f"{number:,.2f}".rstrip("0").rstrip(".")
    if number == 1 and unit.endswith("s") and not unit.endswith("ies"):
        unit = unit[:-1]
    return f"{shown} {unit}".strip()


def _units(activity: Activity) -> dict[str, str]:
    """Each input's unit: money and shares as the benefit model defines them, counts in the
    unit recorded with the input ("roles" rather than "units")."""
    recorded = {item.name: item.unit for item in activity.inputs.all() if item.unit}
    figures = selectors.drawn_figures(activity)
    for drawn in figures:
        recorded[drawn.key] = drawn.unit
    return {
        spec.key: spec.unit if spec.unit in {"£", "share"} else recorded.get(spec.key, spec.unit)
        for spec in selectors.input_specs(activity)
    } | {drawn.key: drawn.unit for drawn in figures}


def _labels(activity: Activity) -> dict[str, str]:
    """Each input's words, with those of the figures drawn from records."""
    labels = {spec.key: spec.label for spec in selectors.input_specs(activity)}
    return labels | {drawn.key: drawn.label for drawn in selectors.drawn_figures(activity)}


def headline(activity: Activity, appraisal: dict[str, Any]) -> str:
    """The activity's finding in one sentence, in the terms of its benefit model."""
    if not appraisal["ready"]:
        return "Not yet appraised: " + "; ".join(appraisal["problems"]).lower()
    result = appraisal["result"]
    model = activity.benefit_model
    if model == Activity.BenefitModel.AVOIDED_DUPLICATION:
        return (
            f"Saved a potential {short_money(result['pv_benefits'])} in agreements not made "
            f"({money(result['npsv'])} net of its costs)"
        )
    if model == Activity.BenefitModel.MARKET_RATE:
        ranged = [row["npsv_low"] for row in appraisal["tornado"] if row["basis"] == "distribution"]
        floor = (
            f"; at least {short_money(min(ranged))} with any input given as a range at its low end"
            if ranged
            else ""
        )
        return f"Saved {short_money(result['npsv'])} against market rates, net of its costs{floor}"
    if model == Activity.BenefitModel.AVOIDED_INCIDENTS:
        counts = [row for row in result["break_even"] if row["count"] is not None]
        if counts:
            count = quantity(counts[0]["count"], _units(activity)["incidents"])
            per = {item.name: item for item in activity.inputs.all()}["cost_per_incident"]
            return f"Breaks even if it avoids {count} costing {short_money(per.value)}"
    return f"Net present social value of {short_money(result['npsv'])}"


def input_rows(activity: Activity) -> list[dict[str, Any]]:
    """Each input with its value, range, source and confidence, in words, and whether it
    came from records or was entered."""
    units = _units(activity)
    labels = _labels(activity)
    rows = []
    figures = selectors.drawn_figures(activity)
    for drawn in figures:
        rows.append(
            {
                "label": drawn.label,
                "value": quantity(drawn.value, drawn.unit),
                "source": drawn.source,
                "from_records": True,
                "confidence": ActivityInput.Confidence.HIGH.label,
                "confidence_description": ActivityInput.CONFIDENCE_DESCRIPTIONS[
                    ActivityInput.Confidence.HIGH
                ],
                "illustrative": False,
            }
        )
    for item in activity.inputs.all():
        if any(item.name == drawn.key for drawn in figures):
            continue
        unit = units.get(item.name, item.unit)
        value = quantity(item.value, unit)
        if item.distribution == "lognormal":
            value += f" (median; lognormal, spread {item.sigma:g})"
        elif item.distribution:
            value += (
                f" (range {quantity(item.low, unit)} to {quantity(item.high, unit)}, "
                f"{item.get_distribution_display().split(' (')[0].lower()})"
            )
        rows.append(
            {
                "label": labels.get(item.name, item.name),
                "value": value,
                "source": item.source,
                "from_records": False,
                "confidence": item.get_confidence_display(),
                "confidence_description": item.confidence_description,
                "illustrative": item.illustrative,
            }
        )
    return rows


def records_note(activity: Activity) -> str:
    """Which figures came from records, which records and how they are counted, in words."""
    figures = selectors.drawn_figures(activity)
    if not figures:
        return "Every figure was entered, each with its source."
    kind = Activity.QuantityFrom
    which = activity.get_quantity_from_display().lower()
    if activity.quantity_from == kind.AGREEMENT_PARTIES and activity.quantity_agreement:
        which = f"the signed parties of “{activity.quantity_agreement}”"
    note = (
        f"The {join_words([drawn.label.lower() for drawn in figures])} "
        f"{'came' if len(figures) == 1 else 'both came'} from the platform's records ({which} "
        f"in the financial year starting in April {activity.quantity_year}), counted afresh "
        "each time this page is shown."
    )
    if activity.quantity_from == kind.AGREEMENT_PARTIES:
        note += (
            " The parties are those that signed the version in force and had not withdrawn "
            "on the year's last day (or today, while the year runs): n of them would otherwise "
            "need n(n−1)/2 bilateral agreements."
        )
    elif activity.quantity_from == kind.AGREEMENTS_IN_FORCE:
        note += (
            " Without the registry each pair of organisations sharing would make one bilateral "
            "agreement; a pair sharing under several agreements is counted once. The agreements "
            "in force that cover a pair were made instead, so the agreements avoided are the "
            "pairs less those agreements."
        )
    return note + " The other figures were entered, each with its source."


def tornado_rows(activity: Activity, appraisal: dict[str, Any]) -> list[dict[str, Any]]:
    units = _units(activity)
    labels = _labels(activity)
    rows = []
    for row in appraisal.get("tornado") or []:
        name = row["input"].rsplit(".", 1)[-1]
        unit = units.get(name, "£" if row["input"].startswith("costs") else "")
        rows.append(
            {
                "label": labels.get(name, row["label"]),
                "low_value_text": quantity(row["low_value"], unit),
                "high_value_text": quantity(row["high_value"], unit),
                "npsv_low": float(row["npsv_low"]),
                "npsv_high": float(row["npsv_high"]),
            }
        )
    return rows


def switching_rows(activity: Activity, appraisal: dict[str, Any]) -> list[dict[str, Any]]:
    units = _units(activity)
    labels = _labels(activity)
    rows = []
    for row in appraisal["result"].get("switching_values", []):
        name = row["input"].rsplit(".", 1)[-1]
        if name not in labels:
            continue
        found = row["switching_value"]
        rows.append(
            {
                "label": labels[name],
                "central": quantity(row["base_value"], units[name]),
                "switching": "none: NPSV does not reach zero"
                if found is None or not row["within_range"]
                else quantity(found, units[name]),
                "change": "" if row["change_percent"] is None else f"{row['change_percent']:+.0f}%",
            }
        )
    return rows


def yearly_rows(appraisal: dict[str, Any]) -> list[dict[str, Any]]:
    return appraisal["result"]["years"]


def activity_section(
    activity: Activity, *, appraisal: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One activity's part of the report (from its `appraisal`, if already made)."""
    appraisal = appraisal or selectors.activity_appraisal(activity=activity)
    section: dict[str, Any] = {
        "title": activity.title,
        "slug": activity.slug,
        "description": activity.description,
        "method": activity.get_benefit_model_display(),
        "headline": headline(activity, appraisal),
        "appraised": appraisal["ready"],
        "problems": appraisal["problems"],
        "inputs": input_rows(activity),
        "records_note": records_note(activity),
        "illustrative": any(item.illustrative for item in activity.inputs.all()),
    }
    if not appraisal["ready"]:
        return section
    result = appraisal["result"]
    monte_carlo = result.get("monte_carlo")
    section.update(
        {
            "assumptions": list(result.get("assumptions", [])),
            "pv_costs": float(result["pv_costs"]),
            "pv_benefits": float(result["pv_benefits"]),
            "npsv": float(result["npsv"]),
            "bcr": None if result["bcr"] is None else float(result["bcr"]),
            "payback_year": result.get("payback_year"),
            "monte_carlo": monte_carlo,
            "p_bcr_above_1": None if not monte_carlo else monte_carlo.get("p_bcr_above_1"),
            "text": {
                "pv_costs": money(result["pv_costs"]),
                "pv_benefits": money(result["pv_benefits"]),
                "npsv": money(result["npsv"]),
                "bcr": ratio(result["bcr"]),
                "p_bcr_above_1": share(monte_carlo["p_bcr_above_1"])
                if monte_carlo
                else "No ranges given",
                "payback_year": "not within the appraisal"
                if result["payback_year"] is None
                else f"year {result['payback_year']}",
            },
            "tornado": tornado_rows(activity, appraisal)[:SENSITIVITY_ROWS],
            "switching": switching_rows(activity, appraisal),
        }
    )
    return section


def value_for_money(activities) -> list[dict[str, Any]]:
    return [activity_section(activity) for activity in activities]
