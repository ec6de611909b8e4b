"""The shape of an agreement's content (`content.agreement_content`) as JSON: what the API's
agreement operations answer and what an agreement's JSON export holds, one schema for both.
A value the reader may not see is null (a list of them empty), as the content withholds it.
The names are the API's own across every app (its schema's components): each says whose."""

import datetime

from ninja import Field, Schema

DETAIL = "An operational detail: null (or empty) unless you read the agreement's details."


class AgreementChoice(Schema):
    code: str
    label: str


class AgreementSignatureOut(Schema):
    name: str | None = Field(
        description="The signatory's name, as they signed (for readers of the details)"
    )
    capacity: str | None = Field(description="The capacity they signed in (likewise)")
    signed_at: datetime.datetime


class AgreementPartyOut(Schema):
    organisation: str = Field(description="The organisation's slug")
    name: str
    role: str = Field(description="controller, joint_controller or processor")
    role_label: str
    withdrawn_on: datetime.date | None
    withdrawal_reason: str | None = Field(description=DETAIL)
    signature: AgreementSignatureOut | None = Field(
        description="The party's signature of this version: null if not signed. " + DETAIL
    )


class AgreementDataItemOut(Schema):
    name: str
    category: str
    category_label: str
    description: str


class AgreementVersionOut(Schema):
    number: int
    created_at: datetime.datetime
    superseded_at: datetime.datetime | None = Field(
        description="When a later version replaced it as the one being signed"
    )
    in_force: bool = Field(description="Whether it is the version in force")
    current: bool = Field(description="Whether it is the version being edited or signed")
    change_summary: str | None = Field(description=DETAIL)
    purpose: str
    benefits: str | None = Field(description=DETAIL)
    article6: AgreementChoice | None = Field(description="Lawful basis (UK GDPR Article 6)")
    article6_detail: str = Field(description="The legal power or duty")
    article9: AgreementChoice | None = Field(description="Condition for special category data")
    schedule1: AgreementChoice | None = Field(description="Condition in Schedule 1 of the DPA 2018")
    article10: AgreementChoice | None = Field(description="Basis for criminal offence data")
    data_subjects: str | None = Field(description=DETAIL)
    data_items: list[AgreementDataItemOut] = Field(description=DETAIL)
    transfer_method: str | None = Field(description=DETAIL)
    frequency: AgreementChoice | None = Field(description=DETAIL)
    security: str | None = Field(description=DETAIL)
    retention: str | None = Field(description=DETAIL)
    deletion: str | None = Field(description=DETAIL)
    rights: str | None = Field(description=DETAIL)
    privacy_information: str | None = Field(description=DETAIL)
    breach_reporting: str | None = Field(description=DETAIL)
    start_date: datetime.date
    review_date: datetime.date
    end_date: datetime.date | None = Field(description="Null: it runs until withdrawn")
    parties: list[AgreementPartyOut]


class DpiaScreeningOut(Schema):
    required: bool = Field(description="Whether the screening found a DPIA required")
    outcome: str = Field(description="required, recommended or not_required")
    summary: str = Field(description="The outcome in one sentence")
    reasons: list[str]
    screened_at: datetime.datetime


class DpiaRiskOut(Schema):
    description: str
    likelihood: str
    severity: str
    mitigation: str
    residual_risk: str


class DpiaOut(Schema):
    description: str
    consultation: str
    necessity: str
    residual_risk: str
    dpo_name: str
    dpo_advice: str
    dpo_advice_accepted: bool
    dpo_advice_response: str
    signed_off_by: str
    signed_off_on: datetime.date | None
    risks: list[DpiaRiskOut]


class AgreementOut(Schema):
    slug: str
    title: str
    status: str = Field(
        description="draft, consultation, signed, review_due, expired or withdrawn, as of today"
    )
    status_label: str
    drafted_by: str | None = Field(
        description="The slug of the organisation that drafted it; null: the office"
    )
    synthetic: bool = Field(description="Made up for a demonstration")
    url: str = Field(description="The agreement's page")
    details: bool = Field(description="Whether you read its operational details")
    withdrawn_on: datetime.date | None
    withdrawal_reason: str | None = Field(description=DETAIL)
    version: AgreementVersionOut | None = Field(
        description="The version the register shows: the one in force, or else the one being signed"
    )


class AgreementDetailOut(AgreementOut):
    versions: list[AgreementVersionOut] = Field(description="Every version, oldest first")
    screening: DpiaScreeningOut | None = Field(description="The DPIA screening. " + DETAIL)
    dpia: DpiaOut | None = Field(description="The DPIA. " + DETAIL)
