"""The lawful bases a data-sharing agreement names, in the words of UK GDPR and the Data
Protection Act 2018, and the rules that tie them together (which Article 9 conditions need a
Schedule 1 condition, and from which part). Reference data with no ORM: the models use the
choices, the services and tests the rules."""

from __future__ import annotations

from django.db import models


class Article6(models.TextChoices):
    CONSENT = "a", "6(1)(a) Consent"
    CONTRACT = "b", "6(1)(b) Contract"
    LEGAL_OBLIGATION = "c", "6(1)(c) Legal obligation"
    VITAL_INTERESTS = "d", "6(1)(d) Vital interests"
    PUBLIC_TASK = "e", "6(1)(e) Public task"
    LEGITIMATE_INTERESTS = "f", "6(1)(f) Legitimate interests"


class Article9(models.TextChoices):
    EXPLICIT_CONSENT = "a", "9(2)(a) Explicit consent"
    EMPLOYMENT = "b", "9(2)(b) Employment, social security and social protection"
    VITAL_INTERESTS = "c", "9(2)(c) Vital interests"
    NOT_FOR_PROFIT = "d", "9(2)(d) Not-for-profit bodies"
    MADE_PUBLIC = "e", "9(2)(e) Made public by the data subject"
    LEGAL_CLAIMS = "f", "9(2)(f) Legal claims or judicial acts"
    SUBSTANTIAL_PUBLIC_INTEREST = "g", "9(2)(g) Reasons of substantial public interest"
    HEALTH_OR_SOCIAL_CARE = "h", "9(2)(h) Health or social care"
    PUBLIC_HEALTH = "i", "9(2)(i) Public health"
    ARCHIVING_RESEARCH = "j", "9(2)(j) Archiving, research and statistics"


class Schedule1(models.TextChoices):
    """Conditions of Schedule 1 to the Data Protection Act 2018, by part and paragraph."""

    # Part 1: conditions relating to employment, health and research
    EMPLOYMENT = "1", "Para 1: Employment, social security and social protection"
    HEALTH_OR_SOCIAL_CARE = "2", "Para 2: Health or social care purposes"
    PUBLIC_HEALTH = "3", "Para 3: Public health"
    RESEARCH = "4", "Para 4: Research etc"
    # Part 2: substantial public interest conditions
    STATUTORY = "6", "Para 6: Statutory and government purposes"
    JUSTICE = "7", "Para 7: Administration of justice and parliamentary purposes"
    EQUALITY = "8", "Para 8: Equality of opportunity or treatment"
    DIVERSITY = "9", "Para 9: Racial and ethnic diversity at senior levels"
    UNLAWFUL_ACTS = "10", "Para 10: Preventing or detecting unlawful acts"
    PROTECTING_PUBLIC = "11", "Para 11: Protecting the public"
    REGULATORY = "12", "Para 12: Regulatory requirements"
    JOURNALISM = "13", "Para 13: Journalism etc in connection with unlawful acts"
    FRAUD = "14", "Para 14: Preventing fraud"
    TERRORIST_FINANCING = "15", "Para 15: Suspicion of terrorist financing or money laundering"
    DISABILITY_SUPPORT = "16", "Para 16: Support for individuals with a particular disability"
    COUNSELLING = "17", "Para 17: Counselling etc"
    SAFEGUARDING = "18", "Para 18: Safeguarding of children and individuals at risk"
    ECONOMIC_WELLBEING = "19", "Para 19: Safeguarding of economic well-being of individuals"
    INSURANCE = "20", "Para 20: Insurance"
    PENSIONS = "21", "Para 21: Occupational pensions"
    POLITICAL_PARTIES = "22", "Para 22: Political parties"
    REPRESENTATIVES = "23", "Para 23: Elected representatives responding to requests"
    DISCLOSURE_REPRESENTATIVES = "24", "Para 24: Disclosure to elected representatives"
    PRISONERS = "25", "Para 25: Informing elected representatives about prisoners"
    JUDGMENTS = "26", "Para 26: Publication of legal judgments"
    ANTI_DOPING = "27", "Para 27: Anti-doping in sport"
    SPORT_STANDARDS = "28", "Para 28: Standards of behaviour in sport"
    # Part 3: additional conditions relating to criminal convictions etc
    CRIMINAL_CONSENT = "29", "Para 29: Consent"
    CRIMINAL_VITAL_INTERESTS = "30", "Para 30: Protecting individual's vital interests"
    CRIMINAL_NOT_FOR_PROFIT = "31", "Para 31: Processing by not-for-profit bodies"
    CRIMINAL_MADE_PUBLIC = "32", "Para 32: Personal data in the public domain"
    CRIMINAL_LEGAL_CLAIMS = "33", "Para 33: Legal claims"
    CRIMINAL_JUDICIAL = "34", "Para 34: Judicial acts"
    CRIMINAL_INDECENCY = "35", "Para 35: Administration of accounts used in indecency offences"
    CRIMINAL_PART_2 = "36", "Para 36: Extension of conditions in Part 2"
    CRIMINAL_INSURANCE = "37", "Para 37: Extension of insurance conditions"


PART_1 = {"1", "2", "3", "4"}
PART_2 = {str(n) for n in range(6, 29)}
PART_3 = {str(n) for n in range(29, 38)}

# Article 9 conditions that need a Schedule 1 condition (DPA 2018 s.10(2) and (3)), and the
# paragraphs that can meet each.
SCHEDULE_1_FOR_ARTICLE_9: dict[str, set[str]] = {
    Article9.EMPLOYMENT: {"1"},
    Article9.HEALTH_OR_SOCIAL_CARE: {"2"},
    Article9.PUBLIC_HEALTH: {"3"},
    Article9.ARCHIVING_RESEARCH: {"4"},
    Article9.SUBSTANTIAL_PUBLIC_INTEREST: PART_2,
}


class Article10(models.TextChoices):
    OFFICIAL_AUTHORITY = "official_authority", "Under the control of official authority"
    SCHEDULE_1 = "schedule_1", "Authorised by law: a condition in Schedule 1 of the DPA 2018"
    LAW_ENFORCEMENT = (
        "law_enforcement",
        "Law enforcement processing by a competent authority (Part 3 of the DPA 2018)",
    )


def schedule_1_needed(*, article9: str, article10: str) -> set[str] | None:
    """The Schedule 1 paragraphs that can meet the conditions named, or None when no Schedule
    1 condition is needed."""
    allowed: set[str] = set()
    needed = False
    if article9 in SCHEDULE_1_FOR_ARTICLE_9:
        allowed |= SCHEDULE_1_FOR_ARTICLE_9[article9]
        needed = True
    if article10 == Article10.SCHEDULE_1:
        allowed |= PART_1 | PART_2 | PART_3
        needed = True
    return allowed if needed else None
