"""The demo's interviews. They are SYNTHETIC: the notes are made up, and the pages they show
on say so. Eight interviews have their passages tagged with themes."""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from loti.evaluation.interviews import services
from loti.evaluation.surveys.demo import survey_people
from loti.members import selectors as member_selectors

if TYPE_CHECKING:
    from loti.members.models import Person


def build(*, rng: random.Random, today: datetime.date) -> None:
    office = member_selectors.office_person()
    _interviews(rng=rng, actor=office, today=today)


THEMES = [
    ("Value of peer networks", "Members finding and learning from counterparts elsewhere."),
    ("Capacity constraints", "Too few people or too little time to take part or to adopt."),
    ("Procurement collaboration", "Buying together, shared specifications, aligned contracts."),
    ("Data sharing", "Agreements, information governance and joined-up data."),
    ("Skills and recruitment", "Hiring and growing digital and data staff."),
    ("Evidence of value", "Showing members and funders what the consortium saves."),
]


PEERS, CAPACITY, PROCUREMENT, DATA, SKILLS, VALUE = (name for name, _ in THEMES)

# Each passage with the themes it is about: the first is what it is mainly about, any other
# a theme it also speaks to.
PASSAGES = [
    (
        "The biggest thing for us is knowing who to ring. When we were replacing our housing "
        "system I spoke to three boroughs that had done it in the past two years.",
        [PEERS],
    ),
    (
        "The communities of practice mean my team is not starting from a blank page: someone "
        "in another borough has usually solved it already.",
        [PEERS],
    ),
    (
        "Honestly the networks are worth the fee on their own; the projects are a bonus.",
        [PEERS, VALUE],
    ),
    (
        "Meeting counterparts from other boroughs every month is how I found out our "
        "problems were not unique to us.",
        [PEERS],
    ),
    (
        "We want to take part in more, but I have two people covering all of digital.",
        [CAPACITY],
    ),
    (
        "Adopting what others have built still takes our time, and time is what we lack.",
        [CAPACITY],
    ),
    (
        "Projects move at the pace of the slowest borough, and sometimes that is us, because "
        "our people are stretched across too many programmes.",
        [CAPACITY],
    ),
    (
        "Seeing every borough's contract end dates let us line up a joint tender with two "
        "neighbours for the first time.",
        [PROCUREMENT],
    ),
    (
        "We reused another borough's specification almost word for word and saved weeks of "
        "work on the tender.",
        [PROCUREMENT, PEERS],
    ),
    (
        "Suppliers take us more seriously when several boroughs ask the same question about "
        "their contract terms.",
        [PROCUREMENT],
    ),
    (
        "Signing one data-sharing agreement instead of negotiating with every partner "
        "separately made the difference.",
        [DATA],
    ),
    (
        "Our information governance team was sceptical until they saw the agreement template "
        "had been through other councils' lawyers.",
        [DATA],
    ),
    (
        "The data-sharing work with the police would not have happened without a neutral "
        "convenor bringing the agreement together.",
        [DATA],
    ),
    (
        "The shared job descriptions got our data roles graded properly, and we hired two "
        "analysts within a month.",
        [SKILLS],
    ),
    (
        "We filled a senior role without an agency fee because of the recruitment support, "
        "which paid for our membership twice over.",
        [SKILLS, VALUE],
    ),
    (
        "Our developers learned more from the cross-borough skills sessions than from any "
        "course we have paid for.",
        [SKILLS, PEERS],
    ),
    (
        "My finance director asks every year what we get for the fee; I need numbers, not "
        "anecdotes.",
        [VALUE],
    ),
    (
        "It would help to see the savings written up so I can put them in our budget paper.",
        [VALUE],
    ),
]


INTERVIEWEES = [
    "Chief Information Officer at a member borough",
    "Head of Digital at a member borough",
    "Data protection officer at a member borough",
    "Enterprise architect at a member borough",
    "Head of procurement at a member borough",
    "Director of policy at a funding partner",
    "Digital programme manager at a member borough",
    "Partnership lead at a partner organisation",
]


def _interviews(*, rng: random.Random, actor: Person | None, today: datetime.date) -> None:
    themes = {
        name: services.theme_create(actor=actor, name=name, description=description)
        for name, description in THEMES
    }
    organisations = sorted(
        {p.organisation for p in survey_people(today) if p.organisation}, key=lambda o: o.slug
    )
    for number, interviewee in enumerate(INTERVIEWEES):
        picked = rng.sample(PASSAGES, rng.randint(3, 4))
        notes = "\n\n".join(
            [
                "Notes of a semi-structured interview about the value of membership.",
                *(text for text, _ in picked),
            ]
        )
        interview = services.interview_create(
            actor=actor,
            held_on=datetime.date(today.year - 1, 9, 8) + datetime.timedelta(days=6 * number),
            interviewee=interviewee,
            organisation=(
                rng.choice(organisations)
                if organisations and "member borough" in interviewee
                else None
            ),
            notes=notes,
            synthetic=True,
        )
        for text, about in picked:
            services.passage_create(
                actor=actor,
                interview=interview,
                excerpt=text,
                themes=[themes[name] for name in about],
            )
