"""The DPIA's risk matrix: how likely a harm is against how severe it would be, as the ICO's
DPIA template scores them (remote, possible or probable; minimal, significant or severe). No
ORM: the pages draw the table from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from loti.datasharing.models import DpiaRisk, Level

Likelihood = DpiaRisk.Likelihood
Severity = DpiaRisk.Severity

# Most likely first, as the table reads from its top row.
LIKELIHOODS = (Likelihood.PROBABLE, Likelihood.POSSIBLE, Likelihood.REMOTE)
SEVERITIES = (Severity.MINIMAL, Severity.SIGNIFICANT, Severity.SEVERE)
_SCORE = {
    Likelihood.REMOTE: 1,
    Likelihood.POSSIBLE: 2,
    Likelihood.PROBABLE: 3,
    Severity.MINIMAL: 1,
    Severity.SIGNIFICANT: 2,
    Severity.SEVERE: 3,
}


def level(likelihood: str, severity: str) -> Level:
    """The risk before its mitigation: the product of its likelihood and severity (each 1 to
    3) is low up to 2, medium up to 4, high from 6."""
    score = _SCORE[Likelihood(likelihood)] * _SCORE[Severity(severity)]
    if score <= 2:
        return Level.LOW
    if score <= 4:
        return Level.MEDIUM
    return Level.HIGH


@dataclass(frozen=True)
class Cell:
    likelihood: Likelihood
    severity: Severity
    level: Level
    # The numbers (1, 2, …, in the DPIA's order) of the risks that fall in this cell.
    risks: tuple[int, ...]


def table(risks: Iterable[Any] = ()) -> list[tuple[Likelihood, list[Cell]]]:
    """The matrix's rows, most likely first, each with a cell per severity: its level and
    which of `risks` (anything with `likelihood` and `severity`) fall in it."""
    numbered = list(enumerate(risks, start=1))
    return [
        (
            likelihood,
            [
                Cell(
                    likelihood=likelihood,
                    severity=severity,
                    level=level(likelihood, severity),
                    risks=tuple(
                        number
                        for number, risk in numbered
                        if risk.likelihood == likelihood and risk.severity == severity
                    ),
                )
                for severity in SEVERITIES
            ],
        )
        for likelihood in LIKELIHOODS
    ]
