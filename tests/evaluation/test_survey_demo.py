import datetime
import random

import pytest
from django.urls import reverse

from loti.evaluation.interviews import demo as interview_demo
from loti.evaluation.models import Answer, Interview, Passage, Respondent, Survey, Theme
from loti.evaluation.surveys import demo as survey_demo
from loti.evaluation.surveys import selectors as survey_selectors
from loti.members import demo as members_demo

SYNTHETIC_NOTICE = (
    "This survey and these interviews are synthetic: made up for the demo. The answers, "
    "interviews and notes describe no real person's views."
)

TODAY = datetime.date(2026, 11, 22)


def build(seed: int) -> None:
    """The survey, then the interviews, from one random stream as the evaluation's demo
    builds them."""
    rng = random.Random(f"{seed}:evaluation")
    for part in (survey_demo, interview_demo):
        part.build(rng=rng, today=TODAY)


@pytest.fixture(scope="module")
def members(module_transaction):
    """The members' demo and the survey and interviews for seed 1, built once for this
    module; a test that builds them again clears them first (in its savepoint)."""
    members_demo.build(rng=random.Random("1:members"), today=TODAY)
    build(1)


def clear() -> None:
    for model in (Passage, Theme, Interview, Survey):
        model.objects.all().delete()


def fingerprint():
    return {
        "answers": sorted(
            (
                a.respondent.person.email,
                a.question.text,
                a.likert,
                a.text,
                tuple(sorted(a.options.values_list("label", flat=True))),
            )
            for a in Answer.objects.select_related("respondent__person", "question")
        ),
        "submitted": sorted(
            Respondent.objects.filter(submitted_at__isnull=False).values_list(
                "survey__title", "person__email", "submitted_at"
            )
        ),
        "passages": sorted(
            (p.interview.interviewee, p.excerpt, tuple(p.themes.values_list("name", flat=True)))
            for p in Passage.objects.select_related("interview")
        ),
    }


def test_the_demo_has_a_closed_survey_an_open_one_and_eight_interviews(db, members):
    closed = survey_selectors.latest_closed_survey(today=TODAY)
    assert closed.title == "Member value survey 2025"
    assert closed.synthetic
    assert 8 <= closed.questions.count() <= 12
    invited = closed.respondents.count()
    answered = closed.respondents.filter(submitted_at__isnull=False).count()
    assert invited == 54  # a lead and an officer of each of the 27 core members
    assert answered == round(0.68 * invited)
    # Every answer was given while the survey was open.
    for respondent in closed.respondents.filter(submitted_at__isnull=False):
        assert closed.opens_on <= respondent.submitted_at.date() <= closed.closes_on
    current = Survey.objects.get(title="Member value survey 2026")
    assert current.state_on(TODAY) == Survey.State.OPEN
    assert current.respondents.filter(submitted_at__isnull=False).count() == 6
    assert Interview.objects.count() == 8
    assert all(i.passages.exists() for i in Interview.objects.all())
    assert Theme.objects.filter(name="Data sharing").exists()


# Words a passage about each theme cannot avoid.
THEME_WORDS = {
    "Value of peer networks": ("ring", "spoke to", "communit", "network", "counterpart", "borough"),
    "Capacity constraints": ("time", "people", "capacity", "stretched"),
    "Procurement collaboration": ("tender", "specification", "supplier", "contract", "procure"),
    "Data sharing": ("data-sharing", "agreement", "information governance"),
    "Skills and recruitment": ("job description", "role", "recruit", "hired", "skills"),
    "Evidence of value": ("fee", "saving", "numbers", "budget", "worth", "paid for"),
}


def test_every_demo_passage_is_about_each_theme_it_is_coded_under(db, members):
    passages = list(Passage.objects.prefetch_related("themes"))
    assert len(passages) >= 24
    coded = set()
    for passage in passages:
        themes = [theme.name for theme in passage.themes.all()]
        assert themes
        for theme in themes:
            coded.add(theme)
            assert any(word in passage.excerpt.lower() for word in THEME_WORDS[theme]), (
                theme,
                passage.excerpt,
            )
    assert coded == set(THEME_WORDS) == set(Theme.objects.values_list("name", flat=True))


def test_the_demo_answers_are_mostly_positive_with_a_spread_and_some_dont_knows(db, members):
    findings = survey_selectors.report_findings(survey=survey_selectors.latest_closed_survey())
    assert len(findings) == 6
    assert all(f.agree_share > 0.3 for f in findings)
    assert sum(f.agree_share for f in findings) / len(findings) > 0.55
    assert any(f.agree_share < 0.9 for f in findings)
    assert Answer.objects.filter(likert="dont_know").exists()
    assert Answer.objects.filter(likert__in=["disagree", "strongly_disagree"]).exists()


def test_the_demo_is_the_same_for_the_same_seed(db, members):
    first = fingerprint()
    clear()
    build(1)
    assert fingerprint() == first
    clear()
    build(8)
    assert fingerprint() != first


def test_the_demo_survey_and_interviews_are_labelled_synthetic(db, members, client_as):
    closed = survey_selectors.latest_closed_survey(today=TODAY)
    interview = Interview.objects.first()
    client = client_as("staff")
    for url in (
        closed.get_absolute_url(),
        reverse("evaluation:survey_results", args=[closed.pk]),
        interview.get_absolute_url(),
        reverse("evaluation:theme_list"),
    ):
        assert SYNTHETIC_NOTICE in client.get(url).content.decode(), url
    respondent = closed.respondents.filter(submitted_at__isnull=False).first()
    client.force_login(respondent.person)
    page = client.get(respondent.response_url()).content.decode()
    assert SYNTHETIC_NOTICE in page
    assert "These are the answers you gave." in page
