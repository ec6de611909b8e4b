"""What the registry reminds people of, on their page, their home page and in the weekly
email: reviews due within 60 days or past, and signatures a month late."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import override_settings

from loti.core import home as core_home
from loti.core import schedule
from loti.core.models import TaskProgress
from loti.datasharing.reminders import home, selectors, services, tasks, wording
from loti.datasharing.reminders.selectors import REVIEW_WITHIN, UNSIGNED_AFTER
from tests import clock
from tests.datasharing.reminders_world import ago, build_reminders_world
from tests.factories import OrganisationFactory, PersonFactory

frozen_today = clock.frozen_fixture()


@pytest.fixture(scope="module")
def world(module_transaction):
    return build_reminders_world()


def titles(agreements):
    return [agreement.title for agreement in agreements]


def late(parties):
    return [
        (party.version.agreement.title, party.version.number, party.organisation.short_name)
        for party in parties
    ]


def test_the_periods_are_60_and_30_days():
    assert datetime.timedelta(days=60) == REVIEW_WITHIN
    assert datetime.timedelta(days=30) == UNSIGNED_AFTER


def test_the_office_is_reminded_of_every_agreement(db, world):
    found = selectors.reminders_for(world["staff"])
    # Soonest first; the ended agreement and the one reviewed in 2028 are not due.
    assert titles(found.reviews) == ["Youth review past", "Care review soon"]
    assert late(found.unsigned) == [("Housing needs", 1, "Barnet"), ("Changed", 2, "Met Police")]
    assert found.organisation is None and not found.signs


def test_a_lead_is_reminded_of_their_own_organisations(db, world):
    found = selectors.reminders_for(world["lead_a"])
    assert titles(found.reviews) == ["Care review soon"]
    assert late(found.unsigned) == [("Housing needs", 1, "Barnet")]
    assert found.organisation == world["borough_a"] and found.signs


def test_an_organisations_officers_read_its_reminders_without_signing(db, world):
    found = selectors.reminders_for(world["officer_a"])
    assert titles(found.reviews) == ["Care review soon"]
    assert late(found.unsigned) == [("Housing needs", 1, "Barnet")]
    assert not found.signs
    camden = selectors.reminders_for(world["officer_b"])
    assert titles(camden.reviews) == ["Youth review past", "Care review soon"]
    assert camden.unsigned == []  # Camden signed "Housing needs"


def test_a_partners_signatory_is_reminded_of_the_partners(db, world):
    found = selectors.reminders_for(world["signatory"])
    assert titles(found.reviews) == ["Youth review past"]
    # Version 2 of "Changed" waits for the Met, whose signature of version 1 does not count.
    assert late(found.unsigned) == [("Changed", 2, "Met Police")]
    assert found.signs
    assert not selectors.reminders_for(world["partner"]).signs


def test_the_public_are_reminded_of_nothing(world, db):
    assert selectors.reminders_for(AnonymousUser()) is None
    assert selectors.reviews_due(AnonymousUser()) is None
    assert selectors.signatures_overdue(AnonymousUser()) is None


def test_a_party_waits_from_when_its_version_was_sent(db, world):
    waiting = {
        party.version.agreement.title: party.awaiting_since
        for party in selectors.to_sign(world["lead_a"])
    }
    # Drafted 90 days ago but sent for signature 10 days ago: 10 days, not 90.
    assert waiting == {
        "Housing needs": ago(40),
        "Long draft": ago(10),
        "Recently sent": ago(10),
    }
    # A new version is sent when it is made.
    (changed,) = [
        p for p in selectors.to_sign(world["signatory"]) if p.version.agreement.title == "Changed"
    ]
    assert (changed.version.number, changed.awaiting_since) == (2, ago(35))


def test_a_signature_is_late_from_30_days(db, world):
    with clock.frozen(ago(10) + UNSIGNED_AFTER - datetime.timedelta(seconds=1)):
        assert "Recently sent" not in [
            t for t, *_ in late(selectors.signatures_overdue(world["lead_a"]))
        ]
    with clock.frozen(ago(10) + UNSIGNED_AFTER):
        assert "Recently sent" in [
            t for t, *_ in late(selectors.signatures_overdue(world["lead_a"]))
        ]


def test_a_review_is_due_from_60_days_before_until_the_agreement_ends(db, world):
    review_date = world["review_soon"].in_force_version.review_date
    with clock.frozen(review_date - REVIEW_WITHIN - datetime.timedelta(days=1)):
        assert "Care review soon" not in titles(selectors.reviews_due(world["staff"]))
    with clock.frozen(review_date - REVIEW_WITHIN):
        assert "Care review soon" in titles(selectors.reviews_due(world["staff"]))
    with clock.frozen(review_date + datetime.timedelta(days=400)):
        assert "Care review soon" in titles(selectors.reviews_due(world["staff"]))


def test_only_those_who_sign_have_agreements_to_sign(db, world):
    assert selectors.to_sign(world["officer_a"]) is None
    assert selectors.to_sign(world["partner"]) is None
    assert selectors.to_sign(world["staff"]) is None
    assert late(selectors.to_sign(world["signatory"])) == [
        ("Changed", 2, "Met Police"),
        ("Recently sent", 1, "Met Police"),
    ]


def test_the_wording():
    today = clock.TODAY
    assert wording.review(today - datetime.timedelta(days=1), today) == "Review overdue by 1 day"
    assert wording.review(today, today) == "Review due today"
    assert wording.review(today + datetime.timedelta(days=12), today) == "Review due in 12 days"


# The page.


def test_the_page_lists_an_organisations_reminders(db, world, client):
    client.force_login(world["lead_a"])
    page = client.get("/data-sharing/reminders/").content.decode()
    assert "London Borough of Barnet's data-sharing agreements" in page
    assert 'data-review="care-review-soon"' in page
    assert "Youth review past" not in page
    assert 'data-unsigned-party="housing-needs:barnet"' in page
    assert "Sign Housing needs" in page
    assert "Waiting 40 days" in page and "Review due in 30 days" in page


def test_the_office_page_names_each_late_party(db, world, client):
    client.force_login(world["staff"])
    page = client.get("/data-sharing/reminders/").content.decode()
    assert "Every data-sharing agreement" in page
    assert 'data-unsigned-party="changed:met-police"' in page
    assert '<td class="govuk-table__cell">Metropolitan Police Service</td>' in page
    assert "Review overdue by 5 days" in page


def test_the_page_says_when_nothing_is_due(db, world, client):
    quiet = PersonFactory(role="lead", organisation=OrganisationFactory(name="Quiet council"))
    client.force_login(quiet)
    page = client.get("/data-sharing/reminders/").content.decode()
    assert 'data-empty="reviews"' in page and 'data-empty="signatures"' in page


# The home page.


def rows(found):
    return [row.text for row in found.rows]


def test_a_signer_is_waited_for_on_the_home_page(db, world):
    assert rows(home.to_sign(world["lead_a"])) == [
        "Sign Housing needs (version 1)",
        "Sign Long draft (version 1)",
        "Sign Recently sent (version 1)",
    ]
    tags = [(row.tag, row.tag_colour) for row in home.to_sign(world["lead_a"]).rows]
    assert tags == [
        ("Waiting 40 days", "red"),
        ("Waiting 10 days", "grey"),
        ("Waiting 10 days", "grey"),
    ]
    assert home.to_sign(world["officer_a"]) is None
    assert home.to_sign(world["staff"]) is None


def test_reviews_on_the_home_page(db, world):
    assert rows(home.own_reviews(world["officer_b"])) == ["Youth review past", "Care review soon"]
    overdue, soon = home.own_reviews(world["officer_b"]).rows
    assert (overdue.tag, overdue.tag_colour) == ("Review overdue by 5 days", "red")
    assert (soon.tag, soon.tag_colour) == ("Review due in 30 days", "yellow")
    assert home.own_reviews(world["staff"]) is None
    assert rows(home.all_reviews(world["staff"])) == ["Youth review past", "Care review soon"]
    assert home.all_reviews(world["lead_a"]) is None


def test_the_items_are_registered_in_their_sections(db, world):
    keys = {
        shown.item.key: section.section
        for section in core_home.sections_for(world["lead_a"])
        for shown in section.items
    }
    assert keys["datasharing-to-sign"] == core_home.WAITING
    assert keys["datasharing-own-reviews"] == core_home.ORGANISATION
    assert "datasharing-reviews" not in keys
    office = {
        shown.item.key
        for section in core_home.sections_for(world["staff"])
        for shown in section.items
    }
    assert "datasharing-reviews" in office and "datasharing-to-sign" not in office


def test_the_home_page_shows_them(db, world, client):
    client.force_login(world["lead_a"])
    page = client.get("/").content.decode()
    assert "Agreements to sign" in page and "Sign Housing needs (version 1)" in page
    assert "Agreements due for review" in page and "Care review soon" in page


# The weekly email.


def test_the_weekly_email_is_on_the_schedule():
    found = {scheduled.key: scheduled for scheduled in schedule.registered()}
    weekly = found["datasharing-reminders"]
    assert weekly.task == "loti.datasharing.reminders.tasks.send_reminders"
    assert weekly.every == datetime.timedelta(days=7)


def test_the_office_and_each_signer_are_sent_their_own_digest(db, world):
    quiet = PersonFactory(role="lead", organisation=OrganisationFactory(name="Quiet council"))
    PersonFactory(role="office", is_active=False, email="gone@loti.example")
    with override_settings(SITE_URL="https://loti.example.org"):
        assert services.reminders_send() == 4
    by_person = {message.to[0]: message for message in mail.outbox}
    # Officers and a partner's people who do not sign, the quiet lead and those who cannot
    # sign in are sent nothing.
    assert sorted(by_person) == [
        "dpo@met.example",
        "lead@barnet.example",
        "lead@camden.example",
        "staff@loti.example",
    ]
    assert quiet.email not in by_person
    barnet = by_person["lead@barnet.example"]
    assert barnet.subject == "Data-sharing agreements: 1 review due and 1 signature outstanding"
    assert "Care review soon: Review due in 30 days" in barnet.body
    assert "Housing needs, version 1, sent 13 Oct 2026, waiting 40 days" in barnet.body
    assert "Youth review past" not in barnet.body
    assert "https://loti.example.org/data-sharing/reminders/" in barnet.body
    html, kind = barnet.alternatives[0]
    assert kind == "text/html"
    assert "Housing needs</a>, version 1" in html and "&lt;" not in html.split("<body")[0]
    office = by_person["staff@loti.example"]
    assert office.subject == "Data-sharing agreements: 2 reviews due and 2 signatures outstanding"
    assert "Changed, version 2: Metropolitan Police Service" in office.body
    camden = by_person["lead@camden.example"]
    assert camden.subject == "Data-sharing agreements: 2 reviews due"
    assert "SIGNATURES OUTSTANDING" not in camden.body


def test_nothing_is_sent_when_nothing_is_due(db, world):
    with clock.frozen(datetime.date(2025, 5, 1)):  # before anything was made
        assert services.reminders_send() == 0
    assert mail.outbox == []


def test_the_task_sends_them_and_says_how_many(db, world):
    progress = TaskProgress.objects.create(label="Weekly data-sharing reminders")
    assert tasks.send_reminders.call(progress_id=str(progress.pk)) == 4
    progress.refresh_from_db()
    assert (progress.state, progress.message) == ("succeeded", "Sent 4 reminder emails.")
    assert len(mail.outbox) == 4


def test_the_task_says_when_nothing_was_due(db, world):
    progress = TaskProgress.objects.create(label="Weekly data-sharing reminders")
    with clock.frozen(datetime.date(2025, 5, 1)):
        assert tasks.send_reminders.call(progress_id=str(progress.pk)) == 0
    progress.refresh_from_db()
    assert progress.message == "Nothing was due, so no reminder was sent."
    assert mail.outbox == []


def test_one_failed_email_does_not_stop_the_others(db, world, monkeypatch):
    sent = []

    def send(message):
        if message.to == ["lead@barnet.example"]:
            raise OSError("the mail server hung up")
        sent.append(message.to[0])
        return 1

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", send)
    assert services.reminders_send() == 3
    assert "lead@barnet.example" not in sent and len(sent) == 3
