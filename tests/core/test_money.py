from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from loti.core.money import estimate, estimate_range, money


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("72000"), "£72,000"),
        (Decimal("72000.00"), "£72,000"),
        (Decimal("72000.5"), "£72,000.50"),
        (Decimal("0.04"), "£0.04"),
        (0, "£0"),
        (-2500, "-£2,500"),
        (1234567.891, "£1,234,567.89"),
        (Decimal("0.005"), "£0.01"),
    ],
)
def test_money_shows_pence_only_where_there_are_pence(amount, shown):
    assert money(amount) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "£0"),
        (949.6, "£950"),
        (1234, "£1,200"),
        (9960, "£10k"),
        (12_345, "£12k"),
        (570_123, "£570k"),
        (1_700_000, "£1.7m"),
        (1_749_999, "£1.7m"),
        (1_750_000, "£1.8m"),
        (12_300_000, "£12m"),
        (999_999, "£1m"),
        (125_000_000, "£130m"),
        (-48_000, "-£48k"),
    ],
)
def test_estimates_are_rounded_to_two_significant_figures(amount, shown):
    assert estimate(amount) == shown


def test_an_estimate_may_keep_more_figures():
    assert estimate(242_000, figures=3) == "£242k"
    assert estimate(1_400_000, figures=3) == "£1.4m"
    assert estimate(1_234, figures=3) == "£1,230"


def test_a_range_of_estimates_reads_as_one_phrase():
    assert estimate_range(570_123, 1_710_000) == "£570k to £1.7m"
    assert estimate_range(570_123, 571_000) == "£570k"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_money_reads_back_as_the_amount(amount):
    shown = money(amount)
    assert Decimal(shown.replace("£", "").replace(",", "")) == amount
    assert shown.count(".") == (0 if amount == amount.to_integral_value() else 1)


def test_the_template_filters_write_money_the_same_way_and_nothing_for_nothing():
    template = Template("{% load loti_money %}[{{ a|money }}][{{ b|money }}][{{ c|estimate }}]")
    rendered = template.render(Context({"a": Decimal("30000.00"), "b": None, "c": 1_700_000}))
    assert rendered == "[£30,000][][£1.7m]"
