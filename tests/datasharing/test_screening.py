"""The DPIA screening rules, without a database: hand-worked cases from the ICO's and the
EDPB's wording, and properties that hold for every set of answers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti.datasharing.dpia import screening
from loti.datasharing.dpia.screening import BY_KEY, KEYS, QUESTIONS, Source, assess

NO = dict.fromkeys(KEYS, False)
EDPB = [q.key for q in QUESTIONS if q.source == Source.EDPB]
ICO = [q.key for q in QUESTIONS if q.source == Source.ICO]
ARTICLE_35 = [q.key for q in QUESTIONS if q.source == Source.ARTICLE_35]
ALONE_NOT_ENOUGH = {
    "ico_innovative_technology",
    "ico_biometric",
    "ico_genetic",
    "ico_invisible_processing",
    "ico_tracking",
}


def yes(*keys):
    return NO | dict.fromkeys(keys, True)


answers = st.fixed_dictionaries({key: st.booleans() for key in KEYS})


def test_the_questionnaire_asks_every_list_in_full():
    assert len(ARTICLE_35) == 3
    assert len(ICO) == 10
    assert len(EDPB) == 9
    assert len(set(KEYS)) == len(QUESTIONS)
    assert {q.key for q in QUESTIONS if q.needs_another} == ALONE_NOT_ENOUGH
    for question in QUESTIONS:
        assert question.text.endswith("?"), question.key
        assert question.hint and question.title
        assert question.counterparts <= set(EDPB)


def test_groups_follow_the_order_of_the_sources():
    groups = screening.groups()
    assert [source for source, _ in groups] == [Source.ARTICLE_35, Source.ICO, Source.EDPB]
    assert [q for _, questions in groups for q in questions] == list(QUESTIONS)


def test_nothing_applies_no_dpia():
    result = assess(NO)
    assert (result.required, result.recommended, result.reasons) == (False, False, [])
    assert result.summary.startswith("A DPIA is not required. The ICO still considers")


@pytest.mark.parametrize("key", ARTICLE_35)
def test_any_article_35_case_alone_requires_a_dpia(key):
    result = assess(yes(key))
    assert result.required and not result.recommended
    assert result.reasons == [
        f"{BY_KEY[key].title} (UK GDPR Article 35(3)): a DPIA is always required"
    ]


@pytest.mark.parametrize("key", sorted(set(ICO) - ALONE_NOT_ENOUGH))
def test_an_ico_item_alone_requires_a_dpia(key):
    result = assess(yes(key))
    assert result.required
    assert result.reasons == [
        f"{BY_KEY[key].title} (ICO list of processing likely to result in high risk): "
        "the ICO requires a DPIA"
    ]


@pytest.mark.parametrize("key", sorted(ALONE_NOT_ENOUGH))
def test_an_item_the_ico_wants_combined_is_alone_only_a_recommendation(key):
    result = assess(yes(key))
    assert not result.required and result.recommended
    assert result.reasons == [
        f"{BY_KEY[key].title} (ICO list of processing likely to result in high risk): "
        "the ICO requires a DPIA only when another criterion applies too"
    ]


def test_innovative_technology_with_another_criterion_requires_a_dpia():
    result = assess(yes("ico_innovative_technology", "edpb_large_scale"))
    assert result.required
    assert result.reasons == [
        "Innovative technology (ICO list of processing likely to result in high risk): "
        "the ICO requires a DPIA, since another criterion applies",
        "Large scale (EDPB criteria (WP248rev.01)): the only EDPB criterion that applies",
    ]


def test_a_criterion_said_twice_is_not_a_combination():
    # The EDPB's "innovative use" is the ICO's "innovative technology" again, and biometric
    # data is sensitive data: neither is "another criterion".
    for pair in (
        ("ico_innovative_technology", "edpb_innovative"),
        ("ico_biometric", "edpb_sensitive"),
        ("ico_tracking", "edpb_monitoring"),
    ):
        result = assess(yes(*pair))
        assert not result.required and result.recommended, pair
        assert len(result.reasons) == 2


def test_two_of_the_five_together_require_a_dpia():
    result = assess(yes("ico_biometric", "ico_tracking"))
    assert result.required
    assert all("since another criterion applies" in reason for reason in result.reasons)


def test_one_edpb_criterion_is_a_recommendation():
    result = assess(yes("edpb_vulnerable"))
    assert not result.required and result.recommended
    assert result.reasons == [
        "Vulnerable data subjects (EDPB criteria (WP248rev.01)): the only EDPB criterion "
        "that applies: on its own, consider a DPIA"
    ]
    assert result.summary == "A DPIA is not required, but you should consider doing one."


def test_two_edpb_criteria_require_a_dpia_and_each_is_named():
    result = assess(yes("edpb_sensitive", "edpb_large_scale"))
    assert result.required and not result.recommended
    assert result.summary == "A DPIA is required."
    assert result.reasons == [
        "Sensitive or highly personal data (EDPB criteria (WP248rev.01)): one of 2 EDPB "
        "criteria that apply: two or more need a DPIA",
        "Large scale (EDPB criteria (WP248rev.01)): one of 2 EDPB criteria that apply: two "
        "or more need a DPIA",
    ]


def test_a_typical_council_sharing_agreement():
    # Social care records matched across boroughs: data matching, risk of physical harm,
    # vulnerable people, sensitive data, matching datasets.
    result = assess(
        yes(
            "ico_data_matching",
            "ico_physical_harm",
            "edpb_vulnerable",
            "edpb_sensitive",
            "edpb_matching",
        )
    )
    assert result.required
    assert [reason.split(" (")[0] for reason in result.reasons] == [
        "Data matching",
        "Risk of physical harm",
        "Sensitive or highly personal data",
        "Matching or combining datasets",
        "Vulnerable data subjects",
    ]


def test_missing_and_unknown_answers_are_refused():
    partial = dict(NO)
    del partial["edpb_large_scale"]
    with pytest.raises(ValueError, match="unanswered questions: edpb_large_scale"):
        assess(partial)
    with pytest.raises(ValueError, match="unknown questions: mystery"):
        assess(NO | {"mystery": True})
    assert [q.key for q in screening.unanswered({"art35_evaluation": "yes"})] == list(KEYS)


@given(answers)
def test_required_and_recommended_never_both(given_answers):
    result = assess(given_answers)
    assert not (result.required and result.recommended)
    # Something applies exactly when there are reasons, and then a DPIA is at least advised.
    assert bool(result.reasons) == any(given_answers.values())
    assert (result.required or result.recommended) == any(given_answers.values())
    # What the stored screening keeps (required, reasons) is enough to say it again.
    assert result.recommended == (not result.required and bool(result.reasons))


@given(answers)
def test_each_reason_names_one_criterion_met_and_its_source(given_answers):
    result = assess(given_answers)
    met = [q for q in QUESTIONS if given_answers[q.key]]
    assert len(result.reasons) == len(met)
    for question in met:
        assert any(
            reason.startswith(f"{question.title} ({question.source.label})")
            for reason in result.reasons
        )


@given(answers)
def test_the_rule(given_answers):
    met = {key for key, value in given_answers.items() if value}
    combined = any(
        key in ALONE_NOT_ENOUGH and (met - {key} - BY_KEY[key].counterparts) for key in met
    )
    expected = (
        bool(met & set(ARTICLE_35))
        or bool(met & (set(ICO) - ALONE_NOT_ENOUGH))
        or combined
        or len(met & set(EDPB)) >= 2
    )
    assert assess(given_answers).required == expected


@given(answers, st.sampled_from(KEYS))
def test_saying_yes_to_more_never_lowers_the_outcome(given_answers, key):
    before = assess(given_answers)
    after = assess(given_answers | {key: True})
    assert after.required >= before.required
    assert (after.required or after.recommended) >= (before.required or before.recommended)
