"""Optimism bias: the Green Book supplementary guidance's upper and lower bounds.

Source: HM Treasury, "The Green Book supplementary guidance: optimism bias" (2013, from Mott
MacDonald's "Review of large public procurement in the UK", 2002), the capital expenditure
column; for outsourcing projects, whose works duration and capital expenditure bounds are not
applicable, the bounds for operating costs.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectType:
    name: str
    description: str
    upper: float
    lower: float
    applies_to: str


PROJECT_TYPES: dict[str, ProjectType] = {
    project.name: project
    for project in (
        ProjectType("standard_buildings", "standard buildings", 0.24, 0.02, "capital expenditure"),
        ProjectType(
            "non_standard_buildings", "non-standard buildings", 0.51, 0.04, "capital expenditure"
        ),
        ProjectType(
            "standard_civil_engineering",
            "standard civil engineering",
            0.44,
            0.03,
            "capital expenditure",
        ),
        ProjectType(
            "non_standard_civil_engineering",
            "non-standard civil engineering",
            0.66,
            0.06,
            "capital expenditure",
        ),
        ProjectType(
            "equipment_development", "equipment and development", 2.00, 0.10, "capital expenditure"
        ),
        ProjectType("outsourcing", "outsourcing", 0.4183, 0.0, "operating costs"),
    )
}

BOUNDS = ("upper", "lower")


def green_book_uplift(*, project_type: str, bound: str, mitigation: float = 0.0) -> float:
    """The uplift for a project type at a bound, reduced by the share of bias mitigated.

    The Green Book starts from the upper bound and reduces it as a project shows the
    contributory factors are managed; `mitigation` is that reduction as a share (0 to 1).
    """
    project = PROJECT_TYPES[project_type]
    return (project.upper if bound == "upper" else project.lower) * (1.0 - mitigation)
