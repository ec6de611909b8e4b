"""Calls for ideas: each call with its criteria and voting method, the proposals made in
them, the office's assessments, the core members' ballots and the selection."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from modelsearch import index

from loti.core import search
from loti.core.models import MONEY
from loti.portfolio.workstreams.models import Workstream

__all__ = [
    "Assessment",
    "Ballot",
    "BallotChoice",
    "Call",
    "CallState",
    "Criterion",
    "Proposal",
    "ProposalType",
    "SelectionResult",
    "Support",
    "SupportState",
    "VotingMethod",
]


class VotingMethod(models.TextChoices):
    POINTS = "points", "Points allocation"
    APPROVAL = "approval", "Approval"
    BASKET = "basket", "Budget basket"


class CallState(models.TextChoices):
    UPCOMING = "upcoming", "Not open yet"
    PROPOSING = "proposing", "Open for proposals"
    ASSESSING = "assessing", "Being assessed"
    VOTING = "voting", "Open for voting"
    CLOSED = "closed", "Voting closed"
    PUBLISHED = "published", "Results published"


class Call(models.Model):
    """A call for ideas: proposals, then assessment, then voting, then selection. Each stage
    runs between its dates (both inclusive); the state follows from them and today."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    proposals_open_on = models.DateField("Proposals open")
    proposals_close_on = models.DateField("Proposals close")
    voting_opens_on = models.DateField("Voting opens")
    voting_closes_on = models.DateField("Voting closes")
    budget = models.DecimalField(**MONEY)
    capacity_chunks = models.PositiveIntegerField(
        "Capacity in six-week chunks", validators=[MinValueValidator(1)]
    )
    method = models.CharField("Voting method", max_length=10, choices=VotingMethod.choices)
    points = models.PositiveSmallIntegerField(
        "Points each organisation spreads",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    approvals_max = models.PositiveSmallIntegerField(
        "Most proposals an organisation may approve",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    vote_weight = models.DecimalField(
        "Weight of the vote",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="From 0 (criteria scores only) to 1 (votes only)",
    )
    selection_run_at = models.DateTimeField(null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "call for ideas"
        verbose_name_plural = "calls for ideas"
        ordering = ["-proposals_open_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposals_close_on__gte=F("proposals_open_on")),
                name="portfolio_call_proposals_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(voting_opens_on__gt=F("proposals_close_on")),
                name="portfolio_call_voting_after_proposals",
            ),
            models.CheckConstraint(
                condition=Q(voting_closes_on__gte=F("voting_opens_on")),
                name="portfolio_call_voting_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(budget__gt=0), name="portfolio_call_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(capacity_chunks__gte=1), name="portfolio_call_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=1) & Q(approvals_max__gte=1),
                name="portfolio_call_points_and_approvals_positive",
            ),
            models.CheckConstraint(
                condition=Q(vote_weight__gte=0) & Q(vote_weight__lte=1),
                name="portfolio_call_vote_weight_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:call_detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        errors = {}
        p_open, p_close = self.proposals_open_on, self.proposals_close_on
        v_open, v_close = self.voting_opens_on, self.voting_closes_on
        if p_open and p_close and p_close < p_open:
            errors["proposals_close_on"] = (
                "The date proposals close must be the same as or after the date they open"
            )
        if p_close and v_open and v_open <= p_close:
            errors["voting_opens_on"] = (
                "Voting must open after proposals close, to leave time to assess them"
            )
        if v_open and v_close and v_close < v_open:
            errors["voting_closes_on"] = (
                "The date voting closes must be the same as or after the date it opens"
            )
        if errors:
            raise ValidationError(errors)

    def state(self, today: datetime.date) -> CallState:
        if self.results_published_at is not None:
            return CallState.PUBLISHED
        if today < self.proposals_open_on:
            return CallState.UPCOMING
        if today <= self.proposals_close_on:
            return CallState.PROPOSING
        if today < self.voting_opens_on:
            return CallState.ASSESSING
        if today <= self.voting_closes_on:
            return CallState.VOTING
        return CallState.CLOSED

    def voting_started(self, today: datetime.date) -> bool:
        return today >= self.voting_opens_on

    def voting_closed(self, today: datetime.date) -> bool:
        return today > self.voting_closes_on


class Criterion(models.Model):
    """A published criterion proposals are scored against, with its weight in the score."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["call", "name"], name="portfolio_criterion_unique_call_name"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100),
                name="portfolio_criterion_weight_1_to_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProposalType(models.TextChoices):
    CAPABILITY = "capability", "Capability building"
    ADOPTION = "adoption", "Adoption of an existing solution"
    INNOVATION = "innovation", "New innovation"


class Proposal(index.Indexed, models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=200)
    problem = models.TextField("The problem")
    outcome = models.TextField("The outcome sought")
    type = models.CharField(max_length=12, choices=ProposalType.choices)
    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="proposals")
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name="Proposing organisation",
    )
    # Organisations the proposer names as supporters; each counts as one only once its own
    # lead or officer confirms (see Support).
    supporters = models.ManyToManyField(
        "members.Organisation",
        blank=True,
        through="Support",
        related_name="supported_proposals",
        verbose_name="Supporting organisations",
    )
    estimated_cost = models.DecimalField("Estimated cost", **MONEY)
    chunks = models.PositiveSmallIntegerField(
        "Six-week chunks", validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    ethical_considerations = models.TextField(blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Kept in step by loti.core.search (registered in loti.portfolio.search).
    search_auto_update = False
    search_fields = [
        search.SearchField("title", boost=3),
        search.SearchField("problem"),
        search.SearchField("outcome"),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chunks__gte=1), name="portfolio_proposal_chunks_at_least_1"
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=0), name="portfolio_proposal_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:proposal_detail", args=[self.pk])

    @property
    def confirmed_supporters(self) -> list:
        """The supporting organisations that have confirmed their support: the only ones
        any page, export or count shows as supporters."""
        return [s.organisation for s in self.supports.all() if s.state == SupportState.CONFIRMED]

    @property
    def awaiting_supporters(self) -> list:
        """Organisations named as supporters that have not yet answered."""
        return [s.organisation for s in self.supports.all() if s.state == SupportState.AWAITING]

    @property
    def is_selected(self) -> bool:
        """Chosen in its call's published results (after any override by the office)."""
        result = getattr(self, "selection", None)
        return result is not None and result.selected and self.call.results_published_at is not None


class SupportState(models.TextChoices):
    AWAITING = "awaiting", "Awaiting confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"


class Support(models.Model):
    """An organisation named as a supporter of a proposal, and its own answer: it appears
    as a supporter only once its lead or an officer confirms."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=SupportState.choices, default=SupportState.AWAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table the supporters were kept in before they confirmed.
        db_table = "portfolio_proposal_supporters"
        ordering = ["organisation__short_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"],
                name="portfolio_support_unique_proposal_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} supporting {self.proposal}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:proposal_support", args=[self.proposal_id])


class Assessment(models.Model):
    """The office's score of one proposal against one criterion, with the reason for it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="assessments")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rationale = models.TextField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "criterion"],
                name="portfolio_one_assessment_per_proposal_criterion",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5),
                name="portfolio_assessment_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.criterion} {self.score}"


class Ballot(models.Model):
    """One core member organisation's ballot in a call. Its choices are secret until voting
    closes; a second ballot replaces the choices of the first."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="ballots")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.PROTECT, related_name="ballots"
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cast_at = models.DateTimeField()

    class Meta:
        ordering = ["call", "organisation__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"],
                name="portfolio_one_ballot_per_organisation_per_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}'s ballot in {self.call}"


class BallotChoice(models.Model):
    """Points given to a proposal (or 1 for an approval or a place in the basket)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["proposal__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "proposal"], name="portfolio_ballotchoice_unique_ballot_proposal"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1), name="portfolio_ballotchoice_value_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.value}"


class SelectionResult(models.Model):
    """What the selection made of one proposal: its scores, whether the optimiser and the
    greedy rule chose it, why not, and any override by the office."""

    class Override(models.TextChoices):
        NONE = "", "None"
        INCLUDE = "include", "Included by the office"
        EXCLUDE = "exclude", "Excluded by the office"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="selection_results")
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="selection")
    vote_share = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    # The weighted mean of the assessments on 1 to 5; None when it was not assessed.
    criteria_score = models.FloatField(null=True, blank=True)
    combined = models.FloatField()
    chosen_by_optimiser = models.BooleanField()
    chosen_by_greedy = models.BooleanField()
    selected = models.BooleanField()
    reason = models.TextField("Reason not chosen", blank=True)
    override = models.CharField(max_length=8, choices=Override.choices, blank=True, default="")
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-combined", "proposal__title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(override="") | ~Q(override_reason=""),
                name="portfolio_selectionresult_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(vote_share__gte=0) & Q(vote_share__lte=1),
                name="portfolio_selectionresult_vote_share_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {'selected' if self.selected else 'not selected'}"
