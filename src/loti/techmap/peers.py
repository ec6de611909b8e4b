"""Peer-training suggestions: pairing organisations strong in a skill area with ones that
are weak in it, so members can learn from each other rather than buy training.

Levels run from 1 (weakest) to 5. In each skill area, learners are taken weakest first and
dealt to mentors, strongest first, in turn, so the weakest learners meet the strongest mentors
and the work spreads across mentors before any takes a second learner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

LOWEST_LEVEL = 1
HIGHEST_LEVEL = 5


class Level(NamedTuple):
    organisation_id: int
    organisation_name: str
    skill_area: str  # slug
    skill_area_name: str
    level: int  # 1-5


@dataclass(frozen=True)
class PeerPair:
    skill_area: str  # slug
    skill_area_name: str
    mentor_id: int
    mentor_name: str
    mentor_level: int
    learner_id: int
    learner_name: str
    learner_level: int
    gap: int  # mentor_level - learner_level


def suggest_pairs(
    levels: Iterable[tuple[int, str, str, str, int]],
    *,
    strong_at_least: int = 4,
    weak_at_most: int = 2,
    max_per_mentor: int = 3,
) -> list[PeerPair]:
    """Mentor-learner pairs, ordered by skill area name, then learner (weakest first, then by
    name), which is the order they were dealt in.

    Each learner gets one mentor per area and each mentor at most ``max_per_mentor`` learners
    per area; when mentors run out of room, the strongest learners go without. Ties between
    organisations at the same level go by name.
    """
    if not LOWEST_LEVEL <= weak_at_most < strong_at_least <= HIGHEST_LEVEL:
        # Overlapping bands would let an organisation mentor itself.
        raise ValueError("expected 1 <= weak_at_most < strong_at_least <= 5")
    if max_per_mentor < 1:
        raise ValueError("max_per_mentor must be at least 1")

    areas: dict[str, str] = {}
    by_area: defaultdict[str, dict[int, Level]] = defaultdict(dict)
    for row in levels:
        level = Level(*row)
        if not LOWEST_LEVEL <= level.level <= HIGHEST_LEVEL:
            raise ValueError(f"level {level.level} is outside 1-5")
        if level.organisation_id in by_area[level.skill_area]:
            raise ValueError(
                f"organisation {level.organisation_id} has two levels in {level.skill_area}"
            )
        by_area[level.skill_area][level.organisation_id] = level
        areas.setdefault(level.skill_area, level.skill_area_name)

    pairs: list[PeerPair] = []
    for area in sorted(areas, key=lambda slug: (areas[slug], slug)):
        entries = by_area[area].values()
        mentors = sorted(
            (e for e in entries if e.level >= strong_at_least),
            key=lambda e: (-e.level, e.organisation_name, e.organisation_id),
        )
        learners = sorted(
            (e for e in entries if e.level <= weak_at_most),
            key=lambda e: (e.level, e.organisation_name, e.organisation_id),
        )
        # Dealing in turn gives no mentor more than ceil(learners / mentors), so capping the
        # number of learners at the total capacity is enough to respect each mentor's cap.
        capacity = len(mentors) * max_per_mentor
        for turn, learner in enumerate(learners[:capacity]):
            mentor = mentors[turn % len(mentors)]
            pairs.append(
                PeerPair(
                    skill_area=area,
                    skill_area_name=areas[area],
                    mentor_id=mentor.organisation_id,
                    mentor_name=mentor.organisation_name,
                    mentor_level=mentor.level,
                    learner_id=learner.organisation_id,
                    learner_name=learner.organisation_name,
                    learner_level=learner.level,
                    gap=mentor.level - learner.level,
                )
            )
    return pairs
