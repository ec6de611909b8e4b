import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti.members.financial_year import FinancialYear, year_choices


def test_hand_computed_examples():
    assert FinancialYear.containing(datetime.date(2026, 3, 31)) == FinancialYear(2025)
    assert FinancialYear.containing(datetime.date(2026, 4, 1)) == FinancialYear(2026)
    year = FinancialYear(2025)
    assert (year.label, year.slug) == ("2025/26", "2025-26")
    assert (year.start, year.end) == (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    assert FinancialYear(1999).label == "1999/00"


@given(st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(9998, 12, 31)))
def test_every_day_is_in_exactly_the_year_that_contains_it(day):
    year = FinancialYear.containing(day)
    assert day in year
    assert day not in year.next()
    assert day not in year.previous()
    assert year.end - year.start in (datetime.timedelta(days=364), datetime.timedelta(days=365))


@given(st.integers(min_value=1000, max_value=9998))
def test_slug_round_trips(start):
    year = FinancialYear(start)
    assert FinancialYear.from_slug(year.slug) == year


@pytest.mark.parametrize("slug", ["2025-27", "2025", "25-26", "2025/26", "abcd-ef", "2099-01"])
def test_bad_slugs_are_refused(slug):
    with pytest.raises(ValueError):
        FinancialYear.from_slug(slug)


def test_year_choices_run_newest_first_around_today():
    choices = year_choices(around=datetime.date(2026, 11, 22), before=1, after=1)
    assert choices == [(2027, "2027/28"), (2026, "2026/27"), (2025, "2025/26")]
