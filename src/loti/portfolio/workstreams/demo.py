"""The demo's workstreams: the seven London's consortium has worked under."""

from __future__ import annotations

import datetime
import random

from loti.portfolio.workstreams import services

WORKSTREAMS = [
    (
        "Digital leadership",
        "Helping leaders across London's councils make good decisions about technology.",
    ),
    ("Collective knowledge", "Finding out what boroughs know and do, and sharing it."),
    ("Sharing and reusing", "Reusing each other's specifications, code, contracts and guides."),
    (
        "Better partnerships",
        "Working with suppliers, the NHS, the police and the voluntary sector.",
    ),
    ("Embedding standards", "Common standards so that systems and data join up."),
    ("Data collaboration", "Sharing and joining data safely to improve services."),
    ("Shared experiments", "Trying new technology together, small and fast."),
]


def build(*, rng: random.Random, today: datetime.date) -> None:
    for order, (name, description) in enumerate(WORKSTREAMS):
        services.workstream_create(actor=None, name=name, description=description, order=order)
