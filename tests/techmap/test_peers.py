from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti.techmap.peers import PeerPair, suggest_pairs

NAMES = {1: "Barnet", 2: "Camden", 3: "Hackney", 4: "Islington", 5: "Lambeth", 6: "Sutton"}
AREAS = {"cloud": "Cloud", "data": "Data", "security": "Cyber security"}


def level(organisation_id, area, value):
    return (organisation_id, NAMES[organisation_id], area, AREAS[area], value)


def summary(pairs):
    return [(p.skill_area, p.mentor_name, p.learner_name, p.gap) for p in pairs]


def test_hand_computed_round_robin():
    levels = [
        level(1, "data", 5),
        level(2, "data", 4),
        level(3, "data", 1),
        level(4, "data", 2),
        level(5, "data", 1),
        level(6, "data", 3),  # neither strong nor weak
    ]

    pairs = suggest_pairs(levels)

    # Learners weakest first, ties by name (Hackney, Lambeth, then Islington); mentors
    # strongest first (Barnet, then Camden), dealt in turn.
    assert summary(pairs) == [
        ("data", "Barnet", "Hackney", 4),
        ("data", "Camden", "Lambeth", 3),
        ("data", "Barnet", "Islington", 3),
    ]
    assert pairs[0] == PeerPair(
        skill_area="data",
        skill_area_name="Data",
        mentor_id=1,
        mentor_name="Barnet",
        mentor_level=5,
        learner_id=3,
        learner_name="Hackney",
        learner_level=1,
        gap=4,
    )


def test_mentor_cap_leaves_the_strongest_learners_without():
    levels = [
        level(1, "cloud", 4),
        level(2, "cloud", 2),
        level(3, "cloud", 1),
        level(4, "cloud", 2),
        level(5, "cloud", 1),
        level(6, "cloud", 1),
    ]

    pairs = suggest_pairs(levels, max_per_mentor=2)

    # Barnet has room for two: the two weakest by level then name. Camden and Islington (2)
    # and Sutton (1, after Hackney and Lambeth by name) go without.
    assert summary(pairs) == [
        ("cloud", "Barnet", "Hackney", 3),
        ("cloud", "Barnet", "Lambeth", 3),
    ]


def test_areas_are_independent_and_ordered_by_name():
    levels = [
        level(1, "security", 5),
        level(2, "security", 2),
        level(2, "cloud", 5),
        level(1, "cloud", 1),
        level(3, "data", 2),  # a learner with no mentor
    ]

    pairs = suggest_pairs(levels)

    assert summary(pairs) == [
        ("cloud", "Camden", "Barnet", 4),
        ("security", "Barnet", "Camden", 3),
    ]
    assert [p.skill_area_name for p in pairs] == ["Cloud", "Cyber security"]


def test_thresholds_can_be_moved():
    levels = [level(1, "data", 3), level(2, "data", 2), level(3, "data", 1)]

    assert suggest_pairs(levels) == []
    assert summary(suggest_pairs(levels, strong_at_least=3, weak_at_most=1)) == [
        ("data", "Barnet", "Hackney", 2)
    ]


def test_nothing_in_nothing_out():
    assert suggest_pairs([]) == []


@pytest.mark.parametrize(
    "options",
    [
        {"strong_at_least": 3, "weak_at_most": 3},
        {"strong_at_least": 6},
        {"weak_at_most": 0},
        {"max_per_mentor": 0},
    ],
)
def test_bad_options_are_refused(options):
    with pytest.raises(ValueError):
        suggest_pairs([], **options)


def test_bad_levels_are_refused():
    with pytest.raises(ValueError):
        suggest_pairs([level(1, "data", 6)])
    with pytest.raises(ValueError):
        suggest_pairs([level(1, "data", 4), level(1, "data", 2)])


# Properties ------------------------------------------------------------------------------

estates = st.dictionaries(
    st.tuples(st.sampled_from(sorted(NAMES)), st.sampled_from(sorted(AREAS))),
    st.integers(1, 5),
    max_size=18,
).map(lambda found: [level(org, area, value) for (org, area), value in found.items()])
bands = st.integers(1, 4).flatmap(lambda weak: st.tuples(st.just(weak), st.integers(weak + 1, 5)))


@given(estates, bands, st.integers(1, 4))
def test_pair_properties(levels, band, max_per_mentor):
    weak_at_most, strong_at_least = band

    pairs = suggest_pairs(
        levels,
        strong_at_least=strong_at_least,
        weak_at_most=weak_at_most,
        max_per_mentor=max_per_mentor,
    )

    for pair in pairs:
        assert pair.mentor_level >= strong_at_least
        assert pair.learner_level <= weak_at_most
        assert pair.mentor_id != pair.learner_id
        assert pair.gap == pair.mentor_level - pair.learner_level > 0
    per_mentor = Counter((p.skill_area, p.mentor_id) for p in pairs)
    assert all(count <= max_per_mentor for count in per_mentor.values())
    per_learner = Counter((p.skill_area, p.learner_id) for p in pairs)
    assert all(count == 1 for count in per_learner.values())
    for area in AREAS:
        in_area = [lv for lv in levels if lv[2] == area]
        mentors = [lv for lv in in_area if lv[4] >= strong_at_least]
        learners = [lv for lv in in_area if lv[4] <= weak_at_most]
        paired = [p for p in pairs if p.skill_area == area]
        # Every weak learner gets a mentor while capacity allows.
        assert len(paired) == min(len(learners), len(mentors) * max_per_mentor)
        # Those left out are never weaker than anyone paired.
        left_out = {lv[0] for lv in learners} - {p.learner_id for p in paired}
        if paired and left_out:
            assert max(p.learner_level for p in paired) <= min(
                lv[4] for lv in learners if lv[0] in left_out
            )
    assert (
        suggest_pairs(
            list(reversed(levels)),
            strong_at_least=strong_at_least,
            weak_at_most=weak_at_most,
            max_per_mentor=max_per_mentor,
        )
        == pairs
    )
