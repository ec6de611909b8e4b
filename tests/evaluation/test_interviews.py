"""Interviews: notes recorded by the office, passages tagged with themes, themes counted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.evaluation.interviews import charts, selectors, services
from loti.evaluation.models import Interview, Passage, Theme

pytestmark = pytest.mark.django_db


def interview(staff, who="Head of Digital at a member borough", day=datetime.date(2025, 9, 8)):
    return services.interview_create(
        actor=staff, held_on=day, interviewee=who, notes="We reuse specifications a lot."
    )


def test_recording_an_interview_through_the_page(client_as, staff, borough_a):
    response = client_as("staff").post(
        reverse("evaluation:interview_create"),
        {
            "held_on_0": "8",
            "held_on_1": "9",
            "held_on_2": "2025",
            "interviewee": "Chief Information Officer at a member borough",
            "organisation": borough_a.pk,
            "notes": "The peer networks are worth the fee on their own.",
        },
    )
    recorded = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == recorded.get_absolute_url()
    assert recorded.recorded_by == staff
    assert recorded.organisation == borough_a
    assert AuditEntry.objects.filter(actor=staff, object_repr=str(recorded)).exists()


def test_an_empty_interview_form_says_what_is_missing(client_as):
    page = client_as("staff").post(reverse("evaluation:interview_create"), {}).content.decode()
    assert "Enter the date of the interview" in page
    assert "Enter who was interviewed" in page
    assert "Enter the notes of the interview" in page
    assert not Interview.objects.exists()


def test_a_passage_is_tagged_with_chosen_and_new_themes(client_as, staff):
    held = interview(staff)
    existing = services.theme_create(actor=staff, name="Procurement collaboration")
    response = client_as("staff").post(
        reverse("evaluation:passage_create", args=[held.pk]),
        {
            "excerpt": "We reuse specifications a lot.",
            "themes": [existing.pk],
            "new_themes": "Value of peer networks, procurement COLLABORATION",
        },
    )
    assert response.status_code == 302
    passage = Passage.objects.get()
    assert sorted(passage.themes.values_list("name", flat=True)) == [
        "Procurement collaboration",
        "Value of peer networks",
    ]
    assert Theme.objects.count() == 2
    assert Theme.objects.get(name="Value of peer networks").slug == "value-of-peer-networks"


def test_a_passage_needs_a_theme(client_as, staff):
    held = interview(staff)
    page = (
        client_as("staff")
        .post(reverse("evaluation:passage_create", args=[held.pk]), {"excerpt": "Something"})
        .content.decode()
    )
    assert "Select at least one theme, or name a new one" in page
    assert not Passage.objects.exists()


def test_two_themes_cannot_share_a_name(staff):
    services.theme_create(actor=staff, name="Data sharing")
    with pytest.raises(ValidationError) as error:
        services.theme_create(actor=staff, name="data sharing ")
    assert error.value.message_dict["name"] == ["There is already a theme called “data sharing”"]


def test_themes_count_passages_and_distinct_interviews(client_as, staff):
    first, second = interview(staff), interview(staff, who="Data protection officer")
    sharing = services.theme_create(actor=staff, name="Data sharing")
    capacity = services.theme_create(actor=staff, name="Capacity constraints")
    services.theme_create(actor=staff, name="Unused")
    for held, text in ((first, "One"), (first, "Two"), (second, "Three")):
        services.passage_create(actor=staff, interview=held, excerpt=text, themes=[sharing])
    services.passage_create(
        actor=staff, interview=second, excerpt="Four", themes=[capacity, sharing]
    )
    themes = list(selectors.theme_list(user=staff))
    assert [(t.name, t.passage_count, t.interview_count) for t in themes] == [
        ("Data sharing", 4, 2),
        ("Capacity constraints", 1, 1),
        ("Unused", 0, 0),
    ]
    chart = charts.themes_chart(themes)
    assert chart.rows[0] == ["Data sharing", "4", "2"]
    page = client_as("staff").get(reverse("evaluation:theme_list")).content.decode()
    assert "Passages and interviews for each theme" in page
    assert 'data-chart="themes"' in page
    assert sharing.get_absolute_url() in page
    detail = client_as("staff").get(sharing.get_absolute_url()).content.decode()
    assert all(text in detail for text in ("One", "Two", "Three", "Four"))
    assert "4 passages" in detail


def test_deleting_an_interview_deletes_its_passages(client_as, staff):
    held = interview(staff)
    theme = services.theme_create(actor=staff, name="Data sharing")
    services.passage_create(actor=staff, interview=held, excerpt="One", themes=[theme])
    response = client_as("staff").post(reverse("evaluation:interview_delete", args=[held.pk]))
    assert response.status_code == 302
    assert not Interview.objects.exists()
    assert not Passage.objects.exists()
    assert Theme.objects.filter(pk=theme.pk).exists()


def test_changing_a_passage_retags_it(client_as, staff):
    held = interview(staff)
    old = services.theme_create(actor=staff, name="Old")
    new = services.theme_create(actor=staff, name="New")
    passage = services.passage_create(actor=staff, interview=held, excerpt="One", themes=[old])
    client_as("staff").post(
        reverse("evaluation:passage_edit", args=[passage.pk]),
        {"excerpt": "One, edited", "themes": [new.pk]},
    )
    passage.refresh_from_db()
    assert passage.excerpt == "One, edited"
    assert list(passage.themes.all()) == [new]


def test_a_passage_is_named_by_its_first_words_never_half_a_word():
    from loti.evaluation.interviews.models import Passage

    passage = Passage(excerpt="The biggest thing for us is knowing who to ring when we were stuck.")
    assert str(passage) == "The biggest thing for us is knowing who to ring…"
