"""The agreements the reminders tests read, on the frozen clock's day (tests/clock.py),
built once per module. Besides build_world()'s (made 40 days ago, so Barnet's signature of
"Housing needs" is 40 days late):

- "Care review soon": Barnet and Camden, in force, review date in 30 days.
- "Youth review past": Camden and the Met, in force, review date 5 days ago.
- "Ended": Barnet and Camden, in force, ended last June: no review is due.
- "Recently sent": Barnet and the Met, sent 10 days ago: not late yet.
- "Long draft": Barnet and Camden, drafted 90 days ago and sent 10 days ago: not late.
- "Changed": Barnet and the Met, signed 60 days ago, then changed 35 days ago; Barnet has
  signed version 2, the Met has not.
"""

from __future__ import annotations

import datetime

from loti.datasharing.agreements import services
from loti.datasharing.models import Agreement
from tests import clock
from tests.datasharing.world import (
    build_world,
    items,
    make_agreement,
    parties,
    sign,
    version_fields,
)

TODAY = clock.TODAY
DAY = datetime.timedelta(days=1)


def ago(days: int) -> datetime.datetime:
    return clock.NOW - days * DAY


def _in_force(world, title, members, signers, **fields):
    agreement = make_agreement(None, None, members, title=title, **fields)
    services.agreement_open(actor=None, agreement=agreement)
    for person in signers:
        sign(agreement, world[person])
    return agreement


def build_reminders_world():
    with clock.frozen(ago(40)):
        world = build_world()
    barnet, camden, met = world["borough_a"], world["borough_b"], world["police"]
    with clock.frozen(ago(100)):
        world["review_soon"] = _in_force(
            world,
            "Care review soon",
            [barnet, camden],
            ["lead_a", "lead_b"],
            review_date=TODAY + 30 * DAY,
        )
        world["review_past"] = _in_force(
            world,
            "Youth review past",
            [camden, met],
            ["lead_b", "signatory"],
            review_date=TODAY - 5 * DAY,
        )
        world["ended"] = _in_force(
            world,
            "Ended",
            [barnet, camden],
            ["lead_a", "lead_b"],
            review_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 6, 1),
        )
    with clock.frozen(ago(10)):
        world["recent"] = _in_force(world, "Recently sent", [barnet, met], [])
    with clock.frozen(ago(90)):
        world["long_draft"] = make_agreement(None, None, [barnet, camden], title="Long draft")
    with clock.frozen(ago(10)):
        services.agreement_open(actor=None, agreement=world["long_draft"])
    with clock.frozen(ago(60)):
        changed = _in_force(world, "Changed", [barnet, met], ["lead_a", "signatory"])
    with clock.frozen(ago(35)):
        services.agreement_update(
            actor=None,
            agreement=changed,
            title="Changed",
            version=version_fields(purpose="Plan placements, and now respite care too"),
            data_items=items(),
            parties=parties(barnet, met),
            change_summary="Respite care added",
        )
    with clock.frozen(ago(34)):
        sign(changed, world["lead_a"])
    for key in ("review_soon", "review_past", "ended", "recent", "long_draft"):
        world[key] = Agreement.objects.get(pk=world[key].pk)
    world["changed"] = Agreement.objects.get(pk=changed.pk)
    return world
