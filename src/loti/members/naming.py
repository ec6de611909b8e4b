"""Recognising an organisation from how a contract notice names it.

Published notices (OCDS) name a buyer in many ways: "LONDON BOROUGH OF NEWHAM", "Croydon
Council", "LB Barnet", "London Borough of Haringey - Parks and Leisure", often with an
identifier such as "GB-LAE-NWM". ``OrganisationMatcher`` links a buyer to one of our
organisations only on an exact match of normalised forms: identifiers first, then names. It
never guesses: there is no fuzzy matching, and a form claimed by two organisations matches
neither.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from loti.core.text import fold_words

# Word sequences that say what kind of body it is rather than which one. Each is removed from
# the start (or end) of a name, repeatedly, as long as a word remains. The longest are tried
# first, so "Barnet London Borough Council" loses all three words rather than just "council".
# "City of" is kept on purpose: the City of London is "city of london", not "london".
LEADING_WORDS = tuple(
    sorted(
        (
            ("the",),
            ("london", "borough", "of"),
            ("royal", "borough", "of"),
            ("borough", "of"),
            ("lb", "of"),
            ("rb", "of"),
            ("lb",),
            ("rb",),
            ("lbo",),
        ),
        key=len,
        reverse=True,
    )
)
TRAILING_WORDS = tuple(
    sorted(
        (
            ("council",),
            ("borough", "council"),
            ("city", "council"),
            ("london", "borough", "council"),
            ("corporation",),
        ),
        key=len,
        reverse=True,
    )
)
# A spaced dash introduces a department: "London Borough of Haringey - Parks and Leisure".
# An unspaced hyphen is part of a name ("Tri-borough").
DEPARTMENT = re.compile(r"\s[-–—]\s")


def _strip_affixes(words: list[str]) -> list[str]:
    changed = True
    while changed:
        changed = False
        for affix in LEADING_WORDS:
            if len(words) > len(affix) and tuple(words[: len(affix)]) == affix:
                words = words[len(affix) :]
                changed = True
                break
        for affix in TRAILING_WORDS:
            if len(words) > len(affix) and tuple(words[-len(affix) :]) == affix:
                words = words[: -len(affix)]
                changed = True
                break
    return words


def normalise_organisation_name(name: str) -> str:
    """The form organisation names are compared in. Idempotent.

    1. Accents and compatibility forms are removed (NFKD, then casefold): "Ōxford" is
       "oxford", "ＬＢ" is "lb".
    2. "&" is "and"; apostrophes and full stops are dropped ("L.B." is "lb"); any other
       character that is not a letter or digit separates words; spaces are collapsed.
    3. Words naming the kind of body are removed, repeatedly, as long as one word remains:
       from the start "the", "london borough of", "royal borough of", "borough of", "lb (of)",
       "rb (of)", "lbo"; from the end "council", "borough council", "city council",
       "london borough council", "corporation".

    So "London Borough of Barnet", "Barnet Council", "LB Barnet" and "BARNET LONDON BOROUGH
    COUNCIL" are all "barnet"; "City of London Corporation" and "City of London" are both
    "city of london"; "Greater London Authority" and "London Councils" stay themselves.

    A department after a spaced dash is kept here (as words): ``organisation_name_keys``
    gives the form without it as a second choice.
    """
    return " ".join(_strip_affixes(fold_words(name)))


@functools.lru_cache(maxsize=4096)
def organisation_name_keys(name: str) -> tuple[str, ...]:
    """The normalised forms to look `name` up by, best first: the whole name, then the part
    before a spaced dash ("London Borough of Haringey - Parks and Leisure" is tried as
    "haringey parks and leisure", then "haringey"). Empty forms are left out."""
    keys = [normalise_organisation_name(name)]
    head = DEPARTMENT.split(name, maxsplit=1)[0]
    if head != name:
        keys.append(normalise_organisation_name(head))
    return tuple(dict.fromkeys(key for key in keys if key))


def normalise_identifier(value: str) -> str:
    """The form identifiers are compared in: upper case, without surrounding spaces, inner
    runs of spaces as one (" gb-lae-nwm " is "GB-LAE-NWM"). Idempotent."""
    return " ".join(value.upper().split())


class OrganisationMatcher:
    """Known organisation names and identifiers, prepared once for matching many buyers.

    Built from (organisation_id, name) and (organisation_id, identifier) pairs; an
    organisation may appear under many names and identifiers. A normalised form claimed by
    two different organisations is ambiguous and matches neither.
    """

    def __init__(
        self,
        names: Iterable[tuple[int, str]],
        identifiers: Iterable[tuple[int, str]],
    ) -> None:
        self._names = self._index(names, normalise_organisation_name)
        self._identifiers = self._index(identifiers, normalise_identifier)

    @staticmethod
    def _index(pairs: Iterable[tuple[int, str]], normalise) -> dict[str, int | None]:
        """Normalised form -> organisation id, or None where two organisations claim it."""
        index: dict[str, int | None] = {}
        for organisation_id, value in pairs:
            key = normalise(value)
            if not key:
                continue
            if key in index and index[key] != organisation_id:
                index[key] = None
            else:
                index[key] = organisation_id
        return index

    def knows(self, *, names: Iterable[str], identifiers: Iterable[str]) -> bool:
        """Whether any of the names or identifiers is one of ours (even an ambiguous one): a
        quick test that a buyer cannot be ours when it is False."""
        return any(
            normalise_identifier(value) in self._identifiers for value in identifiers
        ) or any(key in self._names for name in names for key in organisation_name_keys(name))

    def match(self, *, names: Iterable[str], identifiers: Iterable[str]) -> int | None:
        """The id of the one organisation the buyer is, or None if that is not certain.

        Identifiers are decisive when any is known: names are then not consulted. The
        identifiers (or else the names) given must all point to the same organisation; any
        ambiguous form, or two forms pointing to different organisations, gives None. For
        each name the whole name is tried before the part before a department dash.
        """
        known, organisation_id = self._lookup(
            self._identifiers, [(normalise_identifier(value),) for value in identifiers]
        )
        if known:
            return organisation_id
        return self._lookup(self._names, [organisation_name_keys(name) for name in names])[1]

    @staticmethod
    def _lookup(
        index: dict[str, int | None], candidates: list[tuple[str, ...]]
    ) -> tuple[bool, int | None]:
        """(whether any candidate is known, the one organisation they all name or None).

        Each candidate is its keys, best first: the first known key decides for it."""
        matched: set[int | None] = set()
        for keys in candidates:
            key = next((key for key in keys if key in index), None)
            if key is not None:
                matched.add(index[key])
        if not matched:
            return False, None
        return True, (matched.pop() if len(matched) == 1 else None)
