"""The DPIA's risk matrix, without a database."""

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti.datasharing.dpia import matrix
from loti.datasharing.models import Level

LIKELIHOODS = [likelihood.value for likelihood in matrix.LIKELIHOODS]
SEVERITIES = [severity.value for severity in matrix.SEVERITIES]


@pytest.mark.parametrize(
    ("likelihood", "severity", "expected"),
    [
        ("remote", "minimal", Level.LOW),
        ("remote", "significant", Level.LOW),
        ("remote", "severe", Level.MEDIUM),
        ("possible", "minimal", Level.LOW),
        ("possible", "significant", Level.MEDIUM),
        ("possible", "severe", Level.HIGH),
        ("probable", "minimal", Level.MEDIUM),
        ("probable", "significant", Level.HIGH),
        ("probable", "severe", Level.HIGH),
    ],
)
def test_each_cell_by_hand(likelihood, severity, expected):
    assert matrix.level(likelihood, severity) == expected


def test_an_unknown_likelihood_is_refused():
    with pytest.raises(ValueError):
        matrix.level("certain", "severe")


def test_the_table_reads_most_likely_first_and_places_each_risk():
    risks = [
        SimpleNamespace(likelihood="possible", severity="severe"),
        SimpleNamespace(likelihood="remote", severity="minimal"),
        SimpleNamespace(likelihood="possible", severity="severe"),
    ]
    rows = matrix.table(risks)
    assert [likelihood.value for likelihood, _ in rows] == ["probable", "possible", "remote"]
    possible = dict(rows)[matrix.Likelihood.POSSIBLE]
    assert [cell.severity.value for cell in possible] == SEVERITIES
    assert possible[2].risks == (1, 3) and possible[2].level == Level.HIGH
    assert dict(rows)[matrix.Likelihood.REMOTE][0].risks == (2,)
    assert sum(len(cell.risks) for _, cells in rows for cell in cells) == 3


ORDER = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}
# Least likely first, as SEVERITIES is least severe first.
RANKED = LIKELIHOODS[::-1]


@given(st.sampled_from(RANKED), st.sampled_from(SEVERITIES), st.sampled_from(SEVERITIES))
def test_a_worse_harm_is_never_a_lower_risk(likelihood, one, other):
    if SEVERITIES.index(one) <= SEVERITIES.index(other):
        assert ORDER[matrix.level(likelihood, one)] <= ORDER[matrix.level(likelihood, other)]


@given(st.sampled_from(RANKED), st.sampled_from(SEVERITIES))
def test_likelihood_and_severity_weigh_the_same(likelihood, severity):
    swapped = matrix.level(RANKED[SEVERITIES.index(severity)], SEVERITIES[RANKED.index(likelihood)])
    assert swapped == matrix.level(likelihood, severity)
