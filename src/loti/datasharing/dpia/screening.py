"""The DPIA screening questionnaire: does the sharing an agreement sets up need a data
protection impact assessment, and why? No ORM: the services store the answers and the result.

The questions come from three lists, asked in this order:

- UK GDPR Article 35(3): the three kinds of processing that always need a DPIA.
- The ICO's list of processing "likely to result in high risk" (made under Article 35(4)):
  a DPIA is required for each. For five of them (innovative technology, biometric data,
  genetic data, invisible processing, tracking) the ICO requires one only "when combined with
  any other criterion from WP248rev01", the EDPB's guidelines its list builds on.
- The EDPB's (WP248rev.01) nine criteria: where two or more apply, the ICO says a DPIA is
  required "in most cases"; where one does, it is worth considering one.

So a DPIA is required if any Article 35(3) case applies, any ICO-list item applies (the five
above only with another question answered yes, other than the item's own counterpart among
the EDPB's criteria), or two or more EDPB criteria apply. Otherwise, where something applies
(one EDPB criterion, or one of the five on its own) a DPIA is recommended, not required. The
ICO considers a DPIA good practice whatever the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Source(StrEnum):
    ARTICLE_35 = "article35"
    ICO = "ico"
    EDPB = "edpb"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    Source.ARTICLE_35: "UK GDPR Article 35(3)",
    Source.ICO: "ICO list of processing likely to result in high risk",
    Source.EDPB: "EDPB criteria (WP248rev.01)",
}

SOURCE_INTROS = {
    Source.ARTICLE_35: "The law names three kinds of processing that always need a DPIA.",
    Source.ICO: (
        "The Information Commissioner requires a DPIA for each kind of processing on this list."
    ),
    Source.EDPB: (
        "The European Data Protection Board's criteria, which the ICO's list builds on: where "
        "two or more apply, a DPIA is needed in most cases."
    ),
}


@dataclass(frozen=True)
class Question:
    key: str
    source: Source
    # What the criterion is called, for the reasons: "Data matching".
    title: str
    # The question as the form asks it, answered yes or no.
    text: str
    hint: str
    # ICO items the ICO requires a DPIA for only in combination with another criterion, and
    # the EDPB criteria that are the same thing said again (which do not count as "other").
    needs_another: bool = False
    counterparts: frozenset[str] = field(default_factory=frozenset)


QUESTIONS: tuple[Question, ...] = (
    # UK GDPR Article 35(3)
    Question(
        "art35_evaluation",
        Source.ARTICLE_35,
        "Systematic and extensive evaluation with legal or similarly significant effects",
        "Will people be evaluated systematically and extensively, by automated processing "
        "(including profiling), with decisions based on it that have legal or similarly "
        "significant effects on them?",
        "Article 35(3)(a). For example, deciding eligibility for a benefit or a service from "
        "a score worked out by a system.",
    ),
    Question(
        "art35_special_large_scale",
        Source.ARTICLE_35,
        "Large-scale special category or criminal offence data",
        "Will special category data or criminal offence data be processed on a large scale?",
        "Article 35(3)(b). Special category data includes health, ethnicity, religion, sexual "
        "orientation, and biometric and genetic data; criminal offence data includes "
        "allegations, convictions and offences.",
    ),
    Question(
        "art35_public_monitoring",
        Source.ARTICLE_35,
        "Systematic monitoring of a publicly accessible area on a large scale",
        "Will a publicly accessible area be monitored systematically on a large scale?",
        "Article 35(3)(c). For example, town-centre CCTV or automatic number plate recognition.",
    ),
    # The ICO's list
    Question(
        "ico_innovative_technology",
        Source.ICO,
        "Innovative technology",
        "Does it use new technology, or existing technology in a new way (including AI)?",
        "For example, machine learning, smart or connected devices, or the internet of things. "
        "The ICO requires a DPIA when this comes with another of these criteria.",
        needs_another=True,
        counterparts=frozenset({"edpb_innovative"}),
    ),
    Question(
        "ico_denial_of_service",
        Source.ICO,
        "Denial of service",
        "Will decisions about someone's access to a product, service, opportunity or benefit "
        "rest to any extent on automated decision-making (including profiling), or on special "
        "category data?",
        "For example, eligibility checks for housing, benefits or care.",
    ),
    Question(
        "ico_large_scale_profiling",
        Source.ICO,
        "Large-scale profiling",
        "Will people be profiled on a large scale?",
        "Profiling is analysing or predicting people's behaviour, circumstances or needs from "
        "their data, for example to target services.",
    ),
    Question(
        "ico_biometric",
        Source.ICO,
        "Biometric data",
        "Will biometric data be processed to identify people uniquely?",
        "For example, facial recognition, fingerprints or voice recognition. The ICO requires "
        "a DPIA when this comes with another of these criteria.",
        needs_another=True,
        counterparts=frozenset({"edpb_sensitive"}),
    ),
    Question(
        "ico_genetic",
        Source.ICO,
        "Genetic data",
        "Will genetic data be processed, other than by a GP or health professional providing "
        "health care directly to the person?",
        "The ICO requires a DPIA when this comes with another of these criteria.",
        needs_another=True,
        counterparts=frozenset({"edpb_sensitive"}),
    ),
    Question(
        "ico_data_matching",
        Source.ICO,
        "Data matching",
        "Will personal data from more than one source be combined, compared or matched?",
        "For example, matching records across councils to prevent fraud or to find who is "
        "eligible for a service but not receiving it.",
    ),
    Question(
        "ico_invisible_processing",
        Source.ICO,
        "Invisible processing",
        "Will personal data be obtained from somewhere other than the person, without telling "
        "them because that would be impossible or take disproportionate effort?",
        "This is the exception in UK GDPR Article 14(5)(b). The ICO requires a DPIA when this "
        "comes with another of these criteria.",
        needs_another=True,
    ),
    Question(
        "ico_tracking",
        Source.ICO,
        "Tracking",
        "Will people's location or behaviour be tracked, online or offline?",
        "For example, location data from devices or vehicles, or tracking use of a website. "
        "The ICO requires a DPIA when this comes with another of these criteria.",
        needs_another=True,
        counterparts=frozenset({"edpb_monitoring"}),
    ),
    Question(
        "ico_children_vulnerable",
        Source.ICO,
        "Targeting of children or other vulnerable people",
        "Will the personal data of children or other vulnerable people be used for marketing, "
        "profiling or other automated decision-making, or will online services be offered "
        "directly to children?",
        "Vulnerable people include those receiving social care, patients and people in crisis.",
    ),
    Question(
        "ico_physical_harm",
        Source.ICO,
        "Risk of physical harm",
        "Could a breach of the data put someone's physical health or safety at risk?",
        "For example, social care records, domestic abuse cases, or the addresses of people "
        "who must not be found.",
    ),
    # The EDPB's nine criteria
    Question(
        "edpb_evaluation",
        Source.EDPB,
        "Evaluation or scoring",
        "Will people be evaluated or scored, including profiling and predicting?",
        "For example, their economic situation, health, reliability, behaviour, location or "
        "movements.",
    ),
    Question(
        "edpb_automated_decisions",
        Source.EDPB,
        "Automated decision-making with legal or similarly significant effect",
        "Will decisions with legal or similarly significant effects on people be made by "
        "automated means?",
        "For example, a decision that could exclude someone or discriminate against them.",
    ),
    Question(
        "edpb_monitoring",
        Source.EDPB,
        "Systematic monitoring",
        "Will people be observed, monitored or controlled systematically?",
        "Including monitoring of publicly accessible areas, where people may not know who is "
        "collecting their data or how it will be used.",
    ),
    Question(
        "edpb_sensitive",
        Source.EDPB,
        "Sensitive or highly personal data",
        "Will special category data, criminal offence data, or other highly personal data be "
        "processed?",
        "Highly personal data includes financial data, location data and private communications.",
    ),
    Question(
        "edpb_large_scale",
        Source.EDPB,
        "Large scale",
        "Will data be processed on a large scale?",
        "Think of the number of people, the amount of data, how long it is kept and the area "
        "it covers: a whole borough's residents is large scale.",
    ),
    Question(
        "edpb_matching",
        Source.EDPB,
        "Matching or combining datasets",
        "Will datasets collected for different purposes, or by different controllers, be "
        "matched or combined in ways people would not expect?",
        "For example, joining one council's records to another's, or to a partner's.",
    ),
    Question(
        "edpb_vulnerable",
        Source.EDPB,
        "Vulnerable data subjects",
        "Is the data about vulnerable people?",
        "For example, children, older or disabled people, patients, asylum seekers, or "
        "employees, who may not be able to refuse or object.",
    ),
    Question(
        "edpb_innovative",
        Source.EDPB,
        "Innovative use of technology or organisational solutions",
        "Will new technological or organisational solutions be applied?",
        "For example, combining fingerprints and face recognition for access control, or a "
        "new way of working across organisations.",
    ),
    Question(
        "edpb_prevents_rights",
        Source.EDPB,
        "Prevents people exercising a right or using a service",
        "Could the processing itself stop people exercising a right, or using a service or a "
        "contract?",
        "For example, screening applicants against a database to decide whether to offer "
        "them a service.",
    ),
)

BY_KEY: dict[str, Question] = {question.key: question for question in QUESTIONS}
KEYS: tuple[str, ...] = tuple(BY_KEY)
SOURCES: tuple[Source, ...] = (Source.ARTICLE_35, Source.ICO, Source.EDPB)


def groups() -> list[tuple[Source, list[Question]]]:
    """The questions by source, in the order the form asks them."""
    return [(source, [q for q in QUESTIONS if q.source == source]) for source in SOURCES]


@dataclass(frozen=True)
class Result:
    # A DPIA must be done.
    required: bool
    # Not required, but advised: something applies that is not enough on its own.
    recommended: bool
    # One line for each criterion met, naming it and its source.
    reasons: list[str]

    @property
    def summary(self) -> str:
        return summary(required=self.required, recommended=self.recommended)


def summary(*, required: bool, recommended: bool) -> str:
    """The screening's outcome in one sentence (also for stored screenings, whose
    `recommended` is `not required and bool(reasons)`)."""
    if required:
        return "A DPIA is required."
    if recommended:
        return "A DPIA is not required, but you should consider doing one."
    return (
        "A DPIA is not required. The ICO still considers one good practice for any major "
        "project that involves personal data."
    )


def unanswered(answers: Mapping[str, object]) -> list[Question]:
    """The questions `answers` gives no yes or no to, in the form's order."""
    return [q for q in QUESTIONS if not isinstance(answers.get(q.key), bool)]


def _reason(question: Question, note: str = "") -> str:
    reason = f"{question.title} ({question.source.label})"
    return f"{reason}: {note}" if note else reason


def assess(answers: Mapping[str, bool]) -> Result:
    """Whether the answers (a yes or no to every question in QUESTIONS, by key) make a DPIA
    required or recommended, and the reasons. Raises ValueError for a missing answer or an
    unknown key."""
    unknown = sorted(set(answers) - set(BY_KEY))
    if unknown:
        raise ValueError(f"unknown questions: {', '.join(unknown)}")
    missing = unanswered(answers)
    if missing:
        raise ValueError(f"unanswered questions: {', '.join(q.key for q in missing)}")
    met = [q for q in QUESTIONS if answers[q.key]]
    met_keys = {q.key for q in met}
    edpb = [q for q in met if q.source == Source.EDPB]

    required = False
    reasons = []
    for question in met:
        if question.source == Source.ARTICLE_35:
            required = True
            reasons.append(_reason(question, "a DPIA is always required"))
        elif question.source == Source.ICO and not question.needs_another:
            required = True
            reasons.append(_reason(question, "the ICO requires a DPIA"))
        elif question.source == Source.ICO:
            others = met_keys - {question.key} - question.counterparts
            if others:
                required = True
                reasons.append(
                    _reason(question, "the ICO requires a DPIA, since another criterion applies")
                )
            else:
                reasons.append(
                    _reason(
                        question,
                        "the ICO requires a DPIA only when another criterion applies too",
                    )
                )
    if len(edpb) >= 2:
        required = True
        note = f"one of {len(edpb)} EDPB criteria that apply: two or more need a DPIA"
    elif required:
        note = "the only EDPB criterion that applies"
    else:
        note = "the only EDPB criterion that applies: on its own, consider a DPIA"
    reasons.extend(_reason(question, note) for question in edpb)
    return Result(required=required, recommended=not required and bool(met), reasons=reasons)
