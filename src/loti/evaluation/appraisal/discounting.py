"""Discount factors and real prices, by the HM Treasury Green Book.

Timing convention: year 0 is now and is not discounted; an amount in year t is multiplied by
factor(t). Green Book rates apply cumulatively: factor(t) = factor(t - 1) / (1 + r(t)), where
r(t) is the social time preference rate for year t, so the factor for year 31 is the factor
for year 30 divided by 1.03.
"""

from collections.abc import Mapping

import numpy as np

# (last year the rate applies to, rate): 3.5% for years 1-30, then the declining schedule.
GREEN_BOOK_SCHEDULE: tuple[tuple[float, float], ...] = (
    (30, 0.035),
    (75, 0.030),
    (125, 0.025),
    (200, 0.020),
    (300, 0.015),
    (float("inf"), 0.010),
)


def green_book_rate(year: int) -> float:
    """The social time preference rate that discounts year `year` from year `year - 1`."""
    for last_year, rate in GREEN_BOOK_SCHEDULE:
        if year <= last_year:
            return rate
    raise AssertionError("the schedule ends with an open band")


def discount_factors(horizon: int, *, rate: float | None = None) -> np.ndarray:
    """Factors for years 0..horizon: the Green Book schedule, or a flat `rate` if given."""
    years = np.arange(1, horizon + 1)
    if rate is None:
        rates = np.array([green_book_rate(int(year)) for year in years], dtype=float)
    else:
        rates = np.full(horizon, float(rate))
    return np.concatenate(([1.0], np.cumprod(1.0 / (1.0 + rates))))


def real_price_factors(
    *, start_year: int, horizon: int, deflator: Mapping[int, float], price_base_year: int
) -> np.ndarray:
    """Multipliers that turn nominal amounts in years 0..horizon into `price_base_year` prices.

    real = nominal x deflator[price base year] / deflator[calendar year], where year t of the
    appraisal is calendar (or financial) year start_year + t.
    """
    base = deflator[price_base_year]
    return np.array(
        [base / deflator[start_year + year] for year in range(horizon + 1)], dtype=float
    )
