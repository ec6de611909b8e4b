"""Thirty ballots from one organisation at the same moment leave exactly one ballot, holding
exactly one of the submitted choices. SQLite writes one transaction at a time, so only
PostgreSQL (what production runs) can race."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from loti.portfolio.calls import services
from loti.portfolio.models import Ballot, BallotChoice
from tests.portfolio.call_helpers import make_call, make_core, make_proposal

THREADS = 30

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent writers need PostgreSQL: SQLite serialises every write transaction",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_thirty_simultaneous_ballots_from_one_organisation_leave_exactly_one(borough_a, lead_a):
    today = timezone.localdate()
    call = make_call(today=today, stage="voting", method="points", points=THREADS)
    proposals = [
        make_proposal(call=call, organisation=borough_a, title=f"Idea {n}") for n in range(3)
    ]
    make_core(borough_a, on=call.voting_closes_on)
    # Each thread spreads the points differently, so any mix of two ballots would show.
    submitted = [
        {proposals[0].pk: n, proposals[1].pk: THREADS - n} if n else {proposals[2].pk: THREADS}
        for n in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def vote(choices):
        try:
            barrier.wait()
            services.ballot_cast(actor=lead_a, call=call, choices=choices, today=today)
        except BaseException as error:  # reported below, with the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(choices,)) for choices in submitted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    ballot = Ballot.objects.get(call=call, organisation=borough_a)
    assert Ballot.objects.filter(call=call).count() == 1
    stored = {c.proposal_id: c.value for c in BallotChoice.objects.filter(ballot=ballot)}
    stored_without_zeros = {k: v for k, v in stored.items() if v}
    assert stored_without_zeros in [{k: v for k, v in s.items() if v} for s in submitted]
