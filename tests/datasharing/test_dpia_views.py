"""The screening and DPIA pages through the test client: what they show, what they save, and
their errors in the design system's words."""

import html
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from loti.datasharing.dpia import selectors, services
from loti.datasharing.dpia.screening import KEYS
from loti.datasharing.models import Dpia, DpiaRisk, Screening
from tests.datasharing.world import build_world

NO = dict.fromkeys(KEYS, False)


@pytest.fixture(scope="module")
def world(module_transaction):
    return build_world()


def url(name, agreement):
    return reverse(f"datasharing:{name}", args=[agreement.slug])


def signed_in(client, person):
    client.force_login(person)
    return client


def answers_posted(answers):
    return {key: "yes" if value else "no" for key, value in answers.items()}


DPIA = {
    "description": "Monthly placement lists shared between three boroughs",
    "consultation": "",
    "necessity": "",
    "residual_risk": "low",
    "dpo_name": "Dana Officer",
    "dpo_advice": "Proceed",
    "dpo_advice_accepted": "yes",
    "dpo_advice_response": "",
    "signed_off_by": "",
    "signed_off_on_0": "",
    "signed_off_on_1": "",
    "signed_off_on_2": "",
}
RISK = {
    "description": "A list sent to the wrong borough",
    "likelihood": "possible",
    "severity": "severe",
    "mitigation": "Named recipients only",
    "residual_risk": "low",
}


def dpia_posted(risks, initial=0, **fields):
    data = (
        DPIA
        | fields
        | {
            "risks-TOTAL_FORMS": str(len(risks)),
            "risks-INITIAL_FORMS": str(initial),
            "risks-MIN_NUM_FORMS": "0",
            "risks-MAX_NUM_FORMS": "100",
        }
    )
    for number, risk in enumerate(risks):
        data |= {f"risks-{number}-{name}": value for name, value in risk.items()}
    return data


def text(response):
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


# Screening


def test_the_questions_are_grouped_by_their_source_as_yes_or_no_radios(db, client, world):
    response = signed_in(client, world["staff"]).get(url("screening", world["signed"]))
    assert response.status_code == 200
    page = text(response)
    headings = re.findall(r'<h2 class="govuk-heading-m" id="(\w+)">([^<]+)</h2>', page)
    assert headings == [
        ("article35", "UK GDPR Article 35(3)"),
        ("ico", "ICO list of processing likely to result in high risk"),
        ("edpb", "EDPB criteria (WP248rev.01)"),
    ]
    assert page.count('type="radio"') == 2 * len(KEYS)
    assert 'name="ico_data_matching" type="radio" value="yes"' in page
    assert "Not screened" in page


def test_recording_a_screening_shows_its_result_and_reasons(db, client, world):
    agreement = world["signed"]
    client = signed_in(client, world["staff"])
    response = client.post(
        url("screening", agreement),
        answers_posted(NO | {"edpb_sensitive": True, "edpb_large_scale": True}),
    )
    assert response.status_code == 302 and response["Location"] == url("screening", agreement)
    assert Screening.objects.get(agreement=agreement).required is True
    page = text(client.get(url("screening", agreement)))
    assert "The screening has been saved: A DPIA is required." in page
    assert "DPIA required" in page
    assert "Large scale (EDPB criteria (WP248rev.01)): one of 2 EDPB criteria" in page
    # The form shows the answers given.
    assert 'name="edpb_large_scale" type="radio" value="yes" checked' in page
    assert 'name="edpb_matching" type="radio" value="no" checked' in page


def test_each_unanswered_question_is_an_error_linked_from_the_summary(db, client, world):
    agreement = world["signed"]
    answers = answers_posted(NO)
    del answers["art35_evaluation"]
    del answers["edpb_vulnerable"]
    response = signed_in(client, world["staff"]).post(url("screening", agreement), answers)
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error: DPIA screening" in page
    assert '<a href="#id_art35_evaluation_0">Select yes or no</a>' in page
    assert '<a href="#id_edpb_vulnerable_0">Select yes or no</a>' in page
    assert page.count("govuk-form-group--error") == 2
    # What was answered is kept.
    assert 'name="edpb_matching" type="radio" value="no" checked' in page
    assert not Screening.objects.filter(agreement=agreement).exists()


def test_a_reader_who_may_not_change_it_sees_the_answers_not_the_form(db, client, world):
    agreement = world["signed"]
    services.screening_record(
        actor=world["staff"], agreement=agreement, answers=NO | {"ico_physical_harm": True}
    )
    page = text(signed_in(client, world["officer_a"]).get(url("screening", agreement)))
    assert 'type="radio"' not in page
    assert "Risk of physical harm (ICO list of processing likely to result in high risk)" in page
    assert "Could a breach of the data put someone's physical health or safety at risk?" in page
    assert "Screen again" not in page


# DPIA


def test_no_dpia_yet(db, client, world):
    agreement = world["signed"]
    page = text(signed_in(client, world["staff"]).get(url("dpia", agreement)))
    assert "No DPIA has been recorded for this agreement." in page
    assert f'href="{url("dpia_edit", agreement)}">Record the DPIA' in page
    page = text(signed_in(client, world["officer_b"]).get(url("dpia", agreement)))
    assert "Record the DPIA" not in page


def test_the_form_starts_with_one_risk_and_the_matrix(db, client, world):
    page = text(signed_in(client, world["staff"]).get(url("dpia_edit", world["signed"])))
    assert '<h1 class="govuk-heading-l">Record the DPIA</h1>' in page
    assert 'name="risks-TOTAL_FORMS" value="1"' in page
    assert "Risk 1" in page and "Risk 2" not in page
    assert 'id="risk-matrix"' in page
    assert "There is a problem" not in page


def test_add_another_risk_works_without_javascript_and_saves_nothing(db, client, world):
    agreement = world["signed"]
    data = dpia_posted([RISK]) | {"add_risk": "1"}
    response = signed_in(client, world["staff"]).post(url("dpia_edit", agreement), data)
    assert response.status_code == 200
    page = text(response)
    assert 'name="risks-TOTAL_FORMS" value="2"' in page
    assert "Risk 2" in page
    # What was typed is kept, and nothing is refused or saved yet.
    assert "A list sent to the wrong borough" in page
    assert "There is a problem" not in page
    assert not Dpia.objects.filter(agreement=agreement).exists()


def test_saving_a_dpia_then_reading_it(db, client, world):
    agreement = world["signed"]
    client = signed_in(client, world["staff"])
    # The second risk was added and left empty: it is not a risk.
    data = dpia_posted([RISK, {}], signed_off_by="Sian Senior")
    data |= {"signed_off_on_0": "1", "signed_off_on_1": "5", "signed_off_on_2": "2025"}
    response = client.post(url("dpia_edit", agreement), data)
    assert response.status_code == 302 and response["Location"] == url("dpia", agreement)
    dpia = Dpia.objects.get(agreement=agreement)
    assert [r.description for r in dpia.risks.all()] == ["A list sent to the wrong borough"]
    page = text(client.get(url("dpia", agreement)))
    assert f"The DPIA of “{agreement.title}” has been saved." in page
    assert "By Sian Senior on 1 May 2025" in page
    assert "Named recipients only" in page
    # Possible and severe is a high risk before its measures: risk 1 is in that cell.
    assert (
        '<strong class="govuk-tag govuk-tag--red">High</strong><br>'
        '<span class="govuk-body-s">Risk 1</span>' in page
    )
    assert "Change the DPIA" in page


def test_a_dpia_is_changed_and_a_risk_removed(db, client, world):
    agreement = world["signed"]
    dpia = services.dpia_save(
        actor=world["staff"],
        agreement=agreement,
        fields={k: v for k, v in DPIA.items() if not k.startswith("signed")}
        | {"dpo_advice_accepted": True},
        risks=[RISK | {"description": "First"}, RISK | {"description": "Second"}],
    )
    first, second = dpia.risks.all()
    client = signed_in(client, world["staff"])
    page = text(client.get(url("dpia_edit", agreement)))
    assert 'name="risks-TOTAL_FORMS" value="2"' in page and "Change the DPIA" in page
    data = dpia_posted(
        [
            RISK | {"id": str(first.pk), "description": "First", "remove": "on"},
            RISK | {"id": str(second.pk), "description": "Second, reworded"},
        ],
        initial=2,
    )
    assert client.post(url("dpia_edit", agreement), data).status_code == 302
    assert [r.description for r in dpia.risks.all()] == ["Second, reworded"]
    assert not DpiaRisk.objects.filter(pk=first.pk).exists()


def test_errors_are_shown_on_their_fields_and_risks_and_nothing_is_saved(db, client, world):
    agreement = world["signed"]
    data = dpia_posted([RISK, RISK | {"mitigation": ""}], dpo_name="", dpo_advice_accepted="no")
    response = signed_in(client, world["staff"]).post(url("dpia_edit", agreement), data)
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert '<a href="#id_dpo_name">Enter the name of the data protection officer</a>' in page
    assert (
        '<a href="#id_dpo_advice_response">Enter why the data protection officer\'s advice'
        " was not accepted</a>" in page
    )
    assert (
        '<a href="#id_risks-1-mitigation">Enter the measures to reduce or eliminate the risk</a>'
        in page
    )
    assert not Dpia.objects.filter(agreement=agreement).exists()


def test_a_dpia_needs_a_risk(db, client, world):
    response = signed_in(client, world["staff"]).post(
        url("dpia_edit", world["signed"]), dpia_posted([{}])
    )
    assert response.status_code == 200
    assert "Add at least one risk" in text(response)


def test_a_bad_date_is_refused_by_the_form(db, client, world):
    data = dpia_posted([RISK], signed_off_by="Sian Senior")
    data |= {"signed_off_on_0": "31", "signed_off_on_1": "2", "signed_off_on_2": "2025"}
    response = signed_in(client, world["staff"]).post(url("dpia_edit", world["signed"]), data)
    assert response.status_code == 200
    assert "The date the DPIA was signed off must be a real date" in text(response)


# What the agreement's page shows


def test_the_summary_for_the_agreements_page(db, world):
    agreement = world["signed"]
    assert selectors.screening_summary(world["officer_b"], agreement)["screened"] is False
    services.screening_record(
        actor=world["staff"], agreement=agreement, answers=NO | {"edpb_vulnerable": True}
    )
    summary = selectors.screening_summary(world["officer_b"], agreement)
    assert summary["outcome"] == "recommended"
    assert summary["required"] is False
    assert summary["summary"] == "A DPIA is not required, but you should consider doing one."
    assert summary["reasons"][0].startswith("Vulnerable data subjects (EDPB")
    assert summary["screened_by"] == "Sam Staff"
    assert summary["has_dpia"] is False and summary["signed_off"] is False
    assert summary["may_write"] is False
    assert summary["url"] == f"/data-sharing/{agreement.slug}/screening/"
    assert summary["dpia_url"] == f"/data-sharing/{agreement.slug}/dpia/"
    assert selectors.screening_summary(world["staff"], agreement)["may_write"] is True


def test_the_summary_is_for_readers_of_details_only(db, world):
    assert selectors.screening_summary(AnonymousUser(), world["signed"]) is None
    # The Met is no party to "consultation": its partner reads the register, not the DPIA.
    assert selectors.screening_summary(world["partner"], world["consultation"]) is None
    assert selectors.screening_summary(world["partner"], world["signed"]) is not None


def test_the_summary_renders_for_the_agreements_page(db, world):
    from django.template.loader import render_to_string

    agreement = world["barnet_draft"]
    include = "datasharing/dpia/includes/summary.html"
    services.screening_record(
        actor=world["officer_a"], agreement=agreement, answers=NO | {"ico_data_matching": True}
    )
    shown = render_to_string(
        include, {"screening": selectors.screening_summary(world["lead_a"], agreement)}
    )
    assert "DPIA required" in shown
    assert "Data matching (ICO list of processing likely to result in high risk)" in shown
    assert f'href="{url("screening", agreement)}">Screen again' in shown
    assert f'href="{url("dpia", agreement)}">View' in shown
    # Those who may not read the details are given nothing to show.
    assert (
        render_to_string(
            include, {"screening": selectors.screening_summary(world["partner"], agreement)}
        ).strip()
        == ""
    )
