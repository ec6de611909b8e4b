"""Writes for the member survey and the interviews.

Questionnaires, invitations and interviews go through the audit trail. Respondents' answers
do not: an audit entry names who made a change, and answers are never shown with a name.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from loti.core import audit
from loti.evaluation.surveys.models import Answer, Likert, Option, Question, Respondent, Survey
from loti.evaluation.surveys.selectors import questions_locked, respondent_answered, survey_answered

SURVEY_ANSWERED = (
    "This survey cannot be deleted because people have answered it. Their answers are "
    "evidence for published reports."
)


def survey_create(
    *,
    actor: Any,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    introduction: str = "",
    synthetic: bool = False,
) -> Survey:
    survey = Survey(
        title=title.strip(),
        introduction=introduction.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        synthetic=synthetic,
    )
    return audit.create(actor=actor, obj=survey)


def survey_update(*, actor: Any, survey: Survey, **fields: Any) -> Survey:
    """Change the survey. Once people have answered, its opening date stays: moving it
    later would leave answers given before the survey opened."""
    opens_on = fields.get("opens_on", survey.opens_on)
    if opens_on != survey.opens_on and questions_locked(survey=survey):
        raise ValidationError(
            {"opens_on": "The opening date cannot change because people have already answered"}
        )
    return audit.update(actor=actor, obj=survey, **fields)


@transaction.atomic
def survey_delete(*, actor: Any, survey: Survey) -> None:
    """Delete a survey nobody has answered, with its questions, their options and its
    invitations, each leaving its own line in the history. A survey with answers stays:
    they are evidence for the published reports."""
    # The invitations are locked first, as `response_submit` locks its respondent, so that
    # no answer can be saved between the check and the deletion.
    invitations = list(
        survey.respondents.select_for_update(of=("self",)).select_related("person", "organisation")
    )
    if survey_answered(survey=survey):
        raise ValidationError(SURVEY_ANSWERED)
    for respondent in invitations:
        audit.delete(actor=actor, obj=respondent)
    for question in survey.questions.prefetch_related("options"):
        for option in question.options.all():
            audit.delete(actor=actor, obj=option)
        audit.delete(actor=actor, obj=question)
    audit.delete(actor=actor, obj=survey)


def _check_unlocked(survey: Survey) -> None:
    if questions_locked(survey=survey):
        raise ValidationError(
            "The questions cannot be changed because people have already answered the survey"
        )


def _clean_options(kind: str, options: Iterable[str]) -> list[str]:
    if kind not in {Question.Kind.SINGLE, Question.Kind.MULTIPLE}:
        return []
    labels = [label.strip() for label in options if label.strip()]
    if len(labels) < 2:
        raise ValidationError({"options": "Enter at least 2 options, one on each line"})
    if len({label.lower() for label in labels}) != len(labels):
        raise ValidationError({"options": "Enter each option only once"})
    too_long = Option._meta.get_field("label").max_length
    if any(len(label) > too_long for label in labels):
        raise ValidationError({"options": f"Each option must be {too_long} characters or fewer"})
    return labels


def _options_set(*, actor: Any, question: Question, labels: list[str]) -> None:
    """Make the question's options `labels`, in order, keeping existing rows where they are."""
    existing = list(question.options.all())
    for order, label in enumerate(labels, start=1):
        if order <= len(existing):
            audit.update(actor=actor, obj=existing[order - 1], label=label, order=order)
        else:
            audit.create(actor=actor, obj=Option(question=question, order=order, label=label))
    for option in existing[len(labels) :]:
        audit.delete(actor=actor, obj=option)


@transaction.atomic
def question_create(
    *,
    actor: Any,
    survey: Survey,
    text: str,
    kind: str,
    required: bool = True,
    help_text: str = "",
    options: Iterable[str] = (),
) -> Question:
    _check_unlocked(survey)
    labels = _clean_options(kind, options)
    last = survey.questions.aggregate(last=Max("order"))["last"] or 0
    question = audit.create(
        actor=actor,
        obj=Question(
            survey=survey,
            order=last + 1,
            text=text.strip(),
            kind=kind,
            required=required,
            help_text=help_text.strip(),
        ),
    )
    _options_set(actor=actor, question=question, labels=labels)
    return question


@transaction.atomic
def question_update(
    *, actor: Any, question: Question, options: Iterable[str] = (), **fields: Any
) -> Question:
    _check_unlocked(question.survey)
    labels = _clean_options(fields.get("kind", question.kind), options)
    audit.update(actor=actor, obj=question, **fields)
    _options_set(actor=actor, question=question, labels=labels)
    return question


def question_delete(*, actor: Any, question: Question) -> None:
    _check_unlocked(question.survey)
    audit.delete(actor=actor, obj=question)


@transaction.atomic
def question_move(*, actor: Any, question: Question, up: bool) -> None:
    """Swap the question with the one before (`up`) or after it; the first cannot go up nor
    the last down."""
    _check_unlocked(question.survey)
    ordered = list(question.survey.questions.all())
    at = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = at - 1 if up else at + 1
    if not 0 <= other < len(ordered):
        return
    ordered[at], ordered[other] = ordered[other], ordered[at]
    for order, each in enumerate(ordered, start=1):
        if each.order != order:
            audit.update(actor=actor, obj=each, order=order)


def _check_not_closed(survey: Survey, today: datetime.date) -> None:
    if survey.state_on(today) == Survey.State.CLOSED:
        raise ValidationError(f"The survey closed on {survey.closes_on:%-d %B %Y}")


@transaction.atomic
def respondents_invite(
    *, actor: Any, survey: Survey, people: Iterable[Any], today: datetime.date | None = None
) -> int:
    """Make a personal link for each of `people` not invited yet; returns how many."""
    _check_not_closed(survey, today or timezone.localdate())
    already = set(survey.respondents.values_list("person_id", flat=True))
    created = 0
    for person in people:
        if person.pk in already:
            continue
        audit.create(
            actor=actor,
            obj=Respondent(
                survey=survey,
                person=person,
                organisation_id=person.organisation_id,
                role=person.role,
            ),
        )
        already.add(person.pk)
        created += 1
    return created


def invitation_message(*, survey: Survey, respondent: Respondent, link: str) -> tuple[str, str]:
    """The subject and plain-text body of an invitation."""
    subject = f"Please answer: {survey.title}"
    body = (
        f"Dear {respondent.person.full_name},\n\n"
        f"You are invited to answer “{survey.title}”. It takes a few minutes.\n\n"
        f"Your personal link is:\n{link}\n\n"
        "Sign in with your own account to answer. The link works only for you: please do not "
        "forward it. Results are reported without names.\n\n"
        f"You can change your answers until {survey.closes_on:%-d %B %Y}.\n"
    )
    return subject, body


@transaction.atomic
def invitations_send(
    *,
    actor: Any,
    survey: Survey,
    link_for: Callable[[Respondent], str],
    today: datetime.date | None = None,
) -> int:
    """Email each respondent not sent their link yet; returns how many were sent."""
    _check_not_closed(survey, today or timezone.localdate())
    pending = list(survey.respondents.filter(invited_at__isnull=True).select_related("person"))
    messages = []
    for respondent in pending:
        subject, body = invitation_message(
            survey=survey, respondent=respondent, link=link_for(respondent)
        )
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [respondent.person.email]))
    now = timezone.now()
    for respondent in pending:
        audit.update(actor=actor, obj=respondent, invited_at=now)
    # Sent last: a failure to save leaves nobody emailed twice on the next attempt.
    send_mass_mail(messages, fail_silently=False)
    return len(pending)


@transaction.atomic
def respondent_withdraw(*, actor: Any, respondent: Respondent) -> None:
    """Withdraw an invitation: the person's link stops working. Someone who has answered
    stays invited, so that their answers stay counted."""
    # Locked, as `response_submit` locks it, so that answers being saved through the link
    # at this moment are not deleted with it.
    current = (
        Respondent.objects.select_for_update(of=("self",))
        .select_related("person", "survey", "organisation")
        .filter(pk=respondent.pk)
        .first()
    )
    if current is None:
        # Withdrawn a moment ago (the button pressed twice): nothing left to do.
        return
    if respondent_answered(respondent=current):
        raise ValidationError(
            f"{current.person} cannot be withdrawn because they have answered the survey"
        )
    audit.delete(actor=actor, obj=current)


def _answer_fields(question: Question, value: Any) -> dict[str, Any] | None:
    """What to store for `value` (None when there is no answer to store)."""
    if question.kind == Question.Kind.LIKERT:
        if not value:
            return None
        if value not in Likert.values:
            raise ValidationError(f"“{value}” is not an answer to “{question.text}”")
        return {"likert": value, "options": []}
    if question.kind == Question.Kind.FREE_TEXT:
        text = (value or "").strip()
        return {"text": text, "options": []} if text else None
    chosen = [value] if question.kind == Question.Kind.SINGLE and value else list(value or [])
    if not chosen:
        return None
    valid = {str(pk): pk for pk in question.options.values_list("pk", flat=True)}
    if any(str(choice) not in valid for choice in chosen):
        raise ValidationError(f"Choose from the options given for “{question.text}”")
    return {"options": [valid[str(choice)] for choice in chosen]}


@transaction.atomic
def response_submit(
    *, respondent: Respondent, answers: dict[int, Any], today: datetime.date | None = None
) -> Respondent:
    """Save a respondent's answers (question id -> value) in full: the answers replace any
    given before. Only while the survey is open; required questions must be answered."""
    # One submission at a time per respondent (two open tabs sending at once), so that the
    # second replaces the first rather than clashing with it.
    current = Respondent.objects.select_for_update().filter(pk=respondent.pk).first()
    if current is None:
        # Withdrawn between the page being sent and the answers coming back.
        raise ValidationError("This invitation has been withdrawn: your answers were not saved")
    respondent = current
    survey = respondent.survey
    state = survey.state_on(today or timezone.localdate())
    if state == Survey.State.NOT_OPEN:
        raise ValidationError(f"The survey opens on {survey.opens_on:%-d %B %Y}")
    if state == Survey.State.CLOSED:
        raise ValidationError(f"The survey closed on {survey.closes_on:%-d %B %Y}")
    for question in survey.questions.all():
        values = _answer_fields(question, answers.get(question.pk))
        if values is None:
            if question.required:
                raise ValidationError(f"Answer “{question.text}”")
            Answer.objects.filter(respondent=respondent, question=question).delete()
            continue
        options = values.pop("options")
        answer, _ = Answer.objects.update_or_create(
            respondent=respondent,
            question=question,
            defaults={"likert": "", "text": "", **values},
        )
        answer.options.set(options)
    now = timezone.now()
    respondent.submitted_at = respondent.submitted_at or now
    respondent.updated_at = now
    respondent.save(update_fields=["submitted_at", "updated_at"])
    return respondent
