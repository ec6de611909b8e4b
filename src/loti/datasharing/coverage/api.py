"""The "can we share?" question and the coverage matrix over the API, answering as the pages
do (selectors): anyone may ask, and data items come only to those who read an agreement's
details."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema

from loti.core.api import ERRORS, Text, public_or_token, user_of
from loti.datasharing.agreements.selectors import agreement_for
from loti.datasharing.coverage import selectors
from loti.datasharing.coverage.forms import PURPOSE_LENGTH, QuestionForm
from loti.datasharing.coverage.views import agreement_url
from loti.datasharing.models import Category

router = Router(tags=["data sharing"])


class Question(Schema):
    a: Text = Field(max_length=100, description="The slug of the organisation that has the data")
    b: Text = Field(max_length=100, description="The slug of the organisation to share it with")
    category: Category = Field(description="The category of data")
    purpose: Text = Field(
        "", max_length=PURPOSE_LENGTH, description="What it would be shared for: ranks the answer"
    )


class LawfulBasisOut(Schema):
    article6: str = Field(description="UK GDPR Article 6 basis")
    article6_detail: str
    article9: str = Field(description="Article 9 condition for special category data, if any")
    schedule1: str = Field(description="DPA 2018 Schedule 1 condition, if any")
    article10: str = Field(description="Article 10 basis for criminal offence data, if any")


class DataItemOut(Schema):
    name: str
    description: str


class CoveringOut(Schema):
    slug: str
    title: str
    url: str
    purpose: str
    version: int
    start_date: datetime.date
    review_date: datetime.date
    end_date: datetime.date | None
    lawful_basis: LawfulBasisOut
    role_a: str
    role_b: str
    data_items: list[DataItemOut] | None = Field(
        description="The data items of the category asked about; null where you may not read "
        "the agreement's details"
    )
    score: float = Field(description="How well the purpose matches, 0 to 1")


class NearOut(Schema):
    slug: str
    title: str
    url: str
    missing: str = Field(description="What keeps it from covering the question")


class AnswerOut(Schema):
    a: str
    b: str
    category: str
    purpose: str
    on: datetime.date
    covered: bool
    total: int = Field(description="How many agreements cover it (at most 20 are listed)")
    agreements: list[CoveringOut]
    nearest: list[NearOut] = Field(description="Where none covers it, the nearest ones")


class PairOut(Schema):
    a: str
    b: str
    agreements: list[str] = Field(description="The slugs of the agreements covering the pair")
    categories: list[str]


class AgreementNameOut(Schema):
    slug: str
    title: str


class MatrixOut(Schema):
    on: datetime.date
    organisations: list[str] = Field(description="The slugs of the organisations sharing")
    agreements: list[AgreementNameOut]
    pairs: list[PairOut] = Field(description="Each pair that may share, once")


class MatrixQuery(Schema):
    agreement: Text | None = Field(
        None, max_length=120, description="An agreement's slug: who shares under it alone"
    )


def _covering(found: selectors.Covering) -> dict:
    version = found.version
    return {
        "slug": found.agreement.slug,
        "title": found.agreement.title,
        "url": agreement_url(found.agreement.slug),
        "purpose": version.purpose,
        "version": version.number,
        "start_date": version.start_date,
        "review_date": version.review_date,
        "end_date": version.end_date,
        "lawful_basis": {
            "article6": version.article6,
            "article6_detail": version.article6_detail,
            "article9": version.article9,
            "schedule1": version.schedule1,
            "article10": version.article10,
        },
        "role_a": found.party_a.role,
        "role_b": found.party_b.role,
        "data_items": None
        if found.items is None
        else [{"name": item.name, "description": item.description} for item in found.items],
        "score": found.score,
    }


@router.get(
    "/datasharing/can-we-share",
    response={200: AnswerOut, **ERRORS},
    auth=public_or_token,
    summary="Can organisation A share a category of data with B?",
)
def can_we_share(request, question: Query[Question]):
    form = QuestionForm(
        {
            "a": question.a,
            "b": question.b,
            "category": question.category.value,
            "purpose": question.purpose,
        }
    )
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    answer = selectors.can_we_share(user=user_of(request), **form.cleaned_data)
    return {
        "a": answer.a.slug,
        "b": answer.b.slug,
        "category": answer.category,
        "purpose": answer.purpose,
        "on": answer.on,
        "covered": bool(answer.covering),
        "total": answer.total,
        "agreements": [_covering(found) for found in answer.covering],
        "nearest": [
            {
                "slug": near.agreement.slug,
                "title": near.agreement.title,
                "url": agreement_url(near.agreement.slug),
                "missing": near.missing,
            }
            for near in answer.nearest
        ],
    }


@router.get(
    "/datasharing/coverage",
    response={200: MatrixOut, **ERRORS},
    auth=public_or_token,
    summary="Who may share with whom, under which agreements",
)
def coverage_matrix(request, filters: Query[MatrixQuery]):
    user = user_of(request)
    agreement = agreement_for(user, filters.agreement) if filters.agreement else None
    return selectors.coverage_matrix(user=user, agreement=agreement).as_json()
