"""Recording an agreement's DPIA screening and its DPIA: what is refused, who may, and that
nothing is half saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from loti.core import audit
from loti.core.models import AuditEntry
from loti.datasharing.dpia import services
from loti.datasharing.dpia.screening import KEYS
from loti.datasharing.models import Dpia, DpiaRisk, Screening
from tests.datasharing.world import build_world

NO = dict.fromkeys(KEYS, False)


@pytest.fixture(scope="module")
def world(module_transaction):
    return build_world()


def dpia_fields(**overrides):
    return {
        "description": "Monthly placement lists shared between three boroughs",
        "consultation": "Residents' panel",
        "necessity": "Only the fields a placement needs",
        "residual_risk": "low",
        "dpo_name": "Dana Officer",
        "dpo_advice": "Proceed with the encryption in place",
        "dpo_advice_accepted": True,
        "dpo_advice_response": "",
        "signed_off_by": "",
        "signed_off_on": None,
    } | overrides


def risk(**overrides):
    return {
        "description": "A list sent to the wrong borough",
        "likelihood": "possible",
        "severity": "significant",
        "mitigation": "Named recipients only, over secure transfer",
        "residual_risk": "low",
    } | overrides


def errors_of(excinfo):
    return excinfo.value.message_dict


# Screening


def test_a_screening_is_stored_with_what_it_found(db, world):
    found = services.screening_record(
        actor=world["staff"],
        agreement=world["signed"],
        answers=NO | {"ico_data_matching": True, "edpb_vulnerable": True},
    )
    found.refresh_from_db()
    assert found.required is True
    assert found.answers == NO | {"ico_data_matching": True, "edpb_vulnerable": True}
    assert found.reasons[0].startswith("Data matching (ICO list")
    assert found.screened_by == world["staff"]
    entry = AuditEntry.objects.get(object_id=str(found.pk), content_type__model="screening")
    assert entry.action == AuditEntry.Action.CREATE


def test_screening_again_replaces_the_answers_and_the_trail_keeps_both(db, world):
    agreement = world["signed"]
    services.screening_record(
        actor=world["staff"], agreement=agreement, answers=NO | {"edpb_large_scale": True}
    )
    again = services.screening_record(actor=world["staff"], agreement=agreement, answers=NO)
    assert Screening.objects.filter(agreement=agreement).count() == 1
    assert again.required is False and again.reasons == []
    actions = list(
        AuditEntry.objects.filter(object_id=str(again.pk), content_type__model="screening")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]


def test_every_question_must_be_answered(db, world):
    answers = dict(NO)
    del answers["edpb_large_scale"]
    del answers["art35_evaluation"]
    with pytest.raises(ValidationError) as excinfo:
        services.screening_record(actor=world["staff"], agreement=world["signed"], answers=answers)
    assert errors_of(excinfo) == {
        "art35_evaluation": ["Select yes or no"],
        "edpb_large_scale": ["Select yes or no"],
    }
    assert not Screening.objects.filter(agreement=world["signed"]).exists()


def test_an_answer_must_be_yes_or_no_and_a_question_must_exist(db, world):
    with pytest.raises(ValidationError) as excinfo:
        services.screening_record(
            actor=world["staff"], agreement=world["signed"], answers=NO | {"edpb_matching": "y"}
        )
    assert errors_of(excinfo) == {"edpb_matching": ["Select yes or no"]}
    with pytest.raises(ValidationError, match="no question mystery"):
        services.screening_record(
            actor=world["staff"], agreement=world["signed"], answers=NO | {"mystery": True}
        )


@pytest.mark.parametrize(
    ("persona", "agreement", "allowed"),
    [
        ("staff", "signed", True),
        ("lead_a", "signed", False),
        ("partner", "signed", False),
        ("officer_b", "draft", True),
        ("partner", "draft", False),
        ("officer_a", "barnet_draft", True),
        ("lead_a", "barnet_draft", True),
        ("officer_b", "barnet_draft", False),
    ],
)
def test_who_may_screen_is_who_may_change_the_agreement(db, world, persona, agreement, allowed):
    def record():
        return services.screening_record(
            actor=world[persona], agreement=world[agreement], answers=NO
        )

    if allowed:
        assert record().screened_by == world[persona]
    else:
        with pytest.raises(PermissionDenied):
            record()


def test_the_system_screens_with_no_one_named(db, world):
    assert (
        services.screening_record(actor=None, agreement=world["draft"], answers=NO).screened_by
        is None
    )


# DPIA


def test_a_dpia_is_saved_with_its_risks_in_order(db, world):
    dpia = services.dpia_save(
        actor=world["staff"],
        agreement=world["signed"],
        fields=dpia_fields(),
        risks=[risk(), risk(description="Kept too long", severity="minimal")],
    )
    dpia.refresh_from_db()
    assert dpia.updated_by == world["staff"]
    assert [(r.description, r.order) for r in dpia.risks.all()] == [
        ("A list sent to the wrong borough", 0),
        ("Kept too long", 1),
    ]
    assert AuditEntry.objects.filter(content_type__model="dpiarisk").count() == 2


def test_changing_a_dpia_keeps_updates_and_removes_risks(db, world):
    agreement = world["signed"]
    dpia = services.dpia_save(
        actor=world["staff"],
        agreement=agreement,
        fields=dpia_fields(),
        risks=[risk(description="First"), risk(description="Second")],
    )
    first, second = dpia.risks.all()
    services.dpia_save(
        actor=world["staff"],
        agreement=agreement,
        fields=dpia_fields(residual_risk="medium"),
        risks=[risk(id=second.pk, description="Second, reworded"), risk(description="Third")],
    )
    dpia.refresh_from_db()
    assert Dpia.objects.filter(agreement=agreement).count() == 1
    assert dpia.residual_risk == "medium"
    assert [(r.pk == second.pk, r.description) for r in dpia.risks.all()] == [
        (True, "Second, reworded"),
        (False, "Third"),
    ]
    assert not DpiaRisk.objects.filter(pk=first.pk).exists()
    deleted = AuditEntry.objects.get(
        content_type__model="dpiarisk", object_id=str(first.pk), action=AuditEntry.Action.DELETE
    )
    assert deleted.changes["Risk"] == ["First", None]
    changed = AuditEntry.objects.get(
        content_type__model="dpia", object_id=str(dpia.pk), action=AuditEntry.Action.UPDATE
    )
    assert changed.changes["Overall residual risk"] == ["Low", "Medium"]


def test_a_dpia_needs_its_fields_and_a_risk_and_says_so_in_govuk_words(db, world):
    with pytest.raises(ValidationError) as excinfo:
        services.dpia_save(
            actor=world["staff"],
            agreement=world["signed"],
            fields=dpia_fields(description="  ", residual_risk="", dpo_name="", dpo_advice=""),
            risks=[],
        )
    assert errors_of(excinfo) == {
        "description": ["Enter the nature, scope, context and purposes of the processing"],
        "residual_risk": ["Select the overall residual risk"],
        "dpo_name": ["Enter the name of the data protection officer"],
        "dpo_advice": ["Enter the data protection officer's advice"],
        "risks": ["Add at least one risk"],
    }
    assert not Dpia.objects.filter(agreement=world["signed"]).exists()


def test_each_risk_is_checked_and_its_errors_name_it(db, world):
    with pytest.raises(ValidationError) as excinfo:
        services.dpia_save(
            actor=world["staff"],
            agreement=world["signed"],
            fields=dpia_fields(),
            risks=[risk(), risk(description="", likelihood="certain", mitigation="")],
        )
    assert errors_of(excinfo) == {
        "risks-1-description": ["Enter the risk"],
        "risks-1-likelihood": ["Select how likely the harm is"],
        "risks-1-mitigation": ["Enter the measures to reduce or eliminate the risk"],
    }
    assert not Dpia.objects.filter(agreement=world["signed"]).exists()
    assert not DpiaRisk.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"signed_off_on": datetime.date(2025, 5, 1)},
            {"signed_off_by": ["Enter the name of who signed off the DPIA"]},
        ),
        (
            {"signed_off_by": "Sian Senior, Caldicott Guardian"},
            {"signed_off_on": ["Enter the date the DPIA was signed off"]},
        ),
        (
            {"dpo_advice_accepted": False},
            {
                "dpo_advice_response": [
                    "Enter why the data protection officer's advice was not accepted"
                ]
            },
        ),
        (
            {"dpo_advice_accepted": None},
            {
                "dpo_advice_accepted": [
                    "Select whether the data protection officer's advice was accepted"
                ]
            },
        ),
    ],
)
def test_the_rules_between_fields(db, world, overrides, expected):
    with pytest.raises(ValidationError) as excinfo:
        services.dpia_save(
            actor=world["staff"],
            agreement=world["signed"],
            fields=dpia_fields(**overrides),
            risks=[risk()],
        )
    assert errors_of(excinfo) == expected


def test_sign_off_is_not_in_the_future(db, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.dpia_save(
            actor=world["staff"],
            agreement=world["signed"],
            fields=dpia_fields(signed_off_by="Sian Senior", signed_off_on=tomorrow),
            risks=[risk()],
        )
    assert errors_of(excinfo) == {
        "signed_off_on": ["The date the DPIA was signed off must be today or in the past"]
    }


def test_signed_off_and_overruled_advice_with_its_reasons_is_saved(db, world):
    dpia = services.dpia_save(
        actor=world["staff"],
        agreement=world["signed"],
        fields=dpia_fields(
            signed_off_by="Sian Senior",
            signed_off_on=datetime.date(2025, 5, 1),
            dpo_advice_accepted=False,
            dpo_advice_response="The board accepted the residual risk",
        ),
        risks=[risk()],
    )
    assert dpia.signed_off_on == datetime.date(2025, 5, 1)
    assert dpia.dpo_advice_accepted is False


def test_a_failed_change_leaves_the_dpia_as_it_was(db, world):
    agreement = world["signed"]
    dpia = services.dpia_save(
        actor=world["staff"], agreement=agreement, fields=dpia_fields(), risks=[risk()]
    )
    (kept,) = dpia.risks.all()
    with pytest.raises(ValidationError):
        services.dpia_save(
            actor=world["staff"],
            agreement=agreement,
            fields=dpia_fields(dpo_name="Someone else"),
            risks=[risk(id=kept.pk, description="Reworded"), risk(mitigation="")],
        )
    dpia.refresh_from_db()
    assert dpia.dpo_name == "Dana Officer"
    assert [r.description for r in dpia.risks.all()] == ["A list sent to the wrong borough"]


def test_nothing_is_half_saved_when_a_write_fails_midway(db, world, monkeypatch):
    agreement = world["signed"]
    real_create = audit.create
    calls = []

    def failing_create(*, actor, obj):
        calls.append(obj)
        if isinstance(obj, DpiaRisk) and len(calls) == 3:
            raise RuntimeError("the database went away")
        return real_create(actor=actor, obj=obj)

    monkeypatch.setattr(services.audit, "create", failing_create)
    with pytest.raises(RuntimeError):
        services.dpia_save(
            actor=world["staff"],
            agreement=agreement,
            fields=dpia_fields(),
            risks=[risk(), risk(description="Second")],
        )
    assert len(calls) == 3
    assert not Dpia.objects.filter(agreement=agreement).exists()
    assert not DpiaRisk.objects.exists()


def test_a_risk_of_another_dpia_cannot_be_changed_through_this_one(db, world):
    other = services.dpia_save(
        actor=world["staff"], agreement=world["draft"], fields=dpia_fields(), risks=[risk()]
    )
    (theirs,) = other.risks.all()
    with pytest.raises(ValidationError) as excinfo:
        services.dpia_save(
            actor=world["staff"],
            agreement=world["signed"],
            fields=dpia_fields(),
            risks=[risk(id=theirs.pk, description="Taken over")],
        )
    assert errors_of(excinfo) == {"risks": ["A risk was changed that this DPIA does not have"]}
    theirs.refresh_from_db()
    assert theirs.description == "A list sent to the wrong borough"


def test_unknown_fields_are_a_programming_error(db, world):
    with pytest.raises(TypeError, match="unknown DPIA fields: agreement"):
        services.dpia_save(
            actor=world["staff"],
            agreement=world["signed"],
            fields=dpia_fields(agreement=world["draft"]),
            risks=[risk()],
        )


@pytest.mark.parametrize(
    ("persona", "agreement", "allowed"),
    [
        ("staff", "signed", True),
        ("officer_a", "signed", False),
        ("partner", "signed", False),
        ("officer_b", "draft", True),
        ("lead_a", "barnet_draft", True),
        ("officer_b", "barnet_draft", False),
    ],
)
def test_who_may_record_a_dpia(db, world, persona, agreement, allowed):
    def save():
        return services.dpia_save(
            actor=world[persona], agreement=world[agreement], fields=dpia_fields(), risks=[risk()]
        )

    if allowed:
        assert save().updated_by == world[persona]
    else:
        with pytest.raises(PermissionDenied):
            save()
        assert not Dpia.objects.filter(agreement=world[agreement]).exists()
