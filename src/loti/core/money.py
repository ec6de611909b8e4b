"""Money as every page, export, chart and message of the service writes it.

- `money`: an amount exactly, in pounds, with pence only where there are pence:
  £72,000, £72,000.50, -£2,500.
- `estimate`: an estimate rounded to two significant figures, as a saving or a forecast
  should be (nobody can know one to the pound): £950, £1,200, £570k, £1.7m, £12m; a
  headline that quotes a figure people know takes three (£242k, as published).
- `estimate_range`: "£570k to £1.7m".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Amount = Decimal | float | int

PENNY = Decimal("0.01")


def _decimal(amount: Amount) -> Decimal:
    return amount if isinstance(amount, Decimal) else Decimal(str(amount))


def money(amount: Amount) -> str:
    """An amount to the penny, pence shown only where there are some."""
    value = _decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value == value.to_integral_value():
        return f"{sign}£{int(value):,}"
    return f"{sign}£{value:,.2f}"


def _significant(value: Decimal, figures: int) -> Decimal:
    """`value` (not negative) rounded to `figures` significant figures."""
    if value == 0:
        return value
    exponent = value.adjusted() - (figures - 1)  # the power of ten of the last figure kept
    step = Decimal(1).scaleb(exponent)
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def estimate(amount: Amount, figures: int = 2) -> str:
    """An estimate to `figures` significant figures: £950, £1,200, £570k, £1.7m, £12m."""
    value = _decimal(amount)
    sign = "-" if value < 0 else ""
    rounded = _significant(abs(value).quantize(Decimal(1), rounding=ROUND_HALF_UP), figures)
    if rounded >= 1_000_000:
        figure, unit = rounded / 1_000_000, "m"
    elif rounded >= 10_000:
        figure, unit = rounded / 1_000, "k"
    else:
        return f"{sign}£{int(rounded):,}"
    return f"{sign}£{figure.normalize():f}{unit}"


def estimate_range(low: Amount, high: Amount) -> str:
    """ "£570k to £1.7m"; one figure where both ends round to it."""
    shown_low, shown_high = estimate(low), estimate(high)
    return shown_low if shown_low == shown_high else f"{shown_low} to {shown_high}"
