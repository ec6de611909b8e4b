"""Vendor entity resolution: deciding whether a supplier name from an import ("CIVICA UK
LIMITED", "Civca") is a vendor we already know, and saying so only when it is safe to.

A name is reduced by ``normalise`` and then compared with every known vendor name and alias.
Only an exact normalised match, or one clear fuzzy winner, is linked automatically; anything
close but doubtful comes back "uncertain" with suggestions for a person to choose from.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from rapidfuzz import fuzz, process

from loti.core.text import fold_words

Status = Literal["exact", "fuzzy", "uncertain", "new"]

# Removed from the end of a name (repeatedly), as they distinguish no two suppliers we track:
# "Civica Group Ltd", "Civica UK Limited" and "Civica" are one vendor. "(UK)" loses its
# brackets with the rest of the punctuation.
TRAILING_NOISE = frozenset(
    {"ltd", "limited", "plc", "llp", "llc", "inc", "incorporated", "uk", "group", "holdings"}
)
LEADING_NOISE = frozenset({"the"})
MAX_SUGGESTIONS = 3


class Suggestion(NamedTuple):
    vendor_id: int
    name: str  # the candidate name or alias that matched, as given
    score: float


@dataclass(frozen=True)
class Match:
    vendor_id: int | None  # set only for "exact" and "fuzzy"
    status: Status
    # 0-100: the best score (100 for exact); 0 for "new", as scores below ``suggest`` are not
    # worked out (that would take a second full scan).
    score: float
    suggestions: tuple[Suggestion, ...] = ()  # for "uncertain": best first, one per vendor


def normalise(name: str) -> str:
    """The form names are compared in: "The Civica Group Ltd." and "CIVICA UK LIMITED" are both
    "civica". Idempotent. A name made only of noise words keeps its last word ("The Group" is
    "group") rather than vanishing."""
    words = fold_words(name)
    while len(words) > 1 and words[0] in LEADING_NOISE:
        words.pop(0)
    while len(words) > 1 and words[-1] in TRAILING_NOISE:
        words.pop()
    return " ".join(words)


class VendorIndex:
    """Known vendor names, prepared once for matching many names against them.

    Candidates are (vendor_id, name) pairs; a vendor appears once per name or alias.

    A fuzzy score is the better of ``fuzz.ratio`` and ``fuzz.token_sort_ratio`` on the
    normalised names: the Indel similarity of the names as written and with their words sorted.
    Sorting makes word order irrelevant ("Services Capita Business"), but alone it punishes a
    typo in a word's first letter, which can move the word ("Northgate Zublic Services" sorts
    "zublic" last); the plain ratio covers that. One wrong letter in a name of n letters
    scores 100 - 100/n, one missing or extra letter about 100 - 50/n. So with ``suggest`` at
    80 any one-typo misspelling of a name of five letters or more is at least suggested. With
    ``accept`` at 92 a wrong letter is linked automatically only in names of 13 letters or
    more, a missing or extra one from about 7 (6 for an extra letter: "Capital" would link to a
    known "Capita" if no other vendor is as close; raise ``accept`` where short names collide).
    WRatio was rejected: its partial matching scores a name inside a longer one at or near 100
    ("Civica" against "Civica Digital"), which would merge distinct suppliers.

    Candidates are normalised and token-sorted here once, so each lookup is two passes of the
    plain ``ratio`` over a list, in C, with no per-candidate processing.
    """

    def __init__(
        self, candidates: Iterable[tuple[int, str]], *, accept: float = 92, suggest: float = 80
    ) -> None:
        if not 0 <= suggest <= accept <= 100:
            raise ValueError("expected 0 <= suggest <= accept <= 100")
        self.accept = accept
        self.suggest = suggest
        # normalised name -> {vendor_id: the first of its names with that normal form}
        self._exact: dict[str, dict[int, str]] = {}
        for vendor_id, name in candidates:
            key = normalise(name)
            if key:  # a name of punctuation alone identifies nobody
                self._exact.setdefault(key, {}).setdefault(vendor_id, name)
        # Sorted by length, so a lookup scores only the slice whose lengths could reach
        # ``suggest`` (see _length_range); token-sorting keeps a name's length.
        self._keys = sorted(self._exact, key=len)
        self._lengths = [len(key) for key in self._keys]
        self._sorted = [_sort_tokens(key) for key in self._keys]
        # Imports repeat supplier names many times; a doubtful name is scored once.
        self._fuzzy: dict[str, Match] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def match(self, name: str) -> Match:
        key = normalise(name)
        if not key:
            return Match(vendor_id=None, status="new", score=0.0)
        exact = self._exact.get(key)
        if exact is not None:
            if len(exact) == 1:
                [vendor_id] = exact
                return Match(vendor_id=vendor_id, status="exact", score=100.0)
            # Two vendors share this normal form: a person decides which one is meant.
            tied = sorted(
                (Suggestion(vendor_id, known, 100.0) for vendor_id, known in exact.items()),
                key=_suggestion_order,
            )
            return Match(
                vendor_id=None,
                status="uncertain",
                score=100.0,
                suggestions=tuple(tied[:MAX_SUGGESTIONS]),
            )

        if key not in self._fuzzy:
            self._fuzzy[key] = self._match_fuzzy(key)
        return self._fuzzy[key]

    def _match_fuzzy(self, key: str) -> Match:
        ranked = self._ranked(key)
        if not ranked:
            return Match(vendor_id=None, status="new", score=0.0)
        best = ranked[0]
        clear_winner = len(ranked) == 1 or ranked[1].score < best.score
        if best.score >= self.accept and clear_winner:
            return Match(vendor_id=best.vendor_id, status="fuzzy", score=best.score)
        return Match(
            vendor_id=None,
            status="uncertain",
            score=best.score,
            suggestions=tuple(ranked[:MAX_SUGGESTIONS]),
        )

    def _ranked(self, key: str) -> list[Suggestion]:
        """Every vendor scoring at least ``suggest``, once each at its best name, best first."""
        start, stop = self._length_range(len(key))
        scores: dict[int, float] = {}
        for query, choices in ((key, self._keys), (_sort_tokens(key), self._sorted)):
            hits = process.extract(
                query,
                choices[start:stop],
                scorer=fuzz.ratio,
                processor=None,
                limit=None,
                score_cutoff=self.suggest,
            )
            for _choice, score, index in hits:
                scores[start + index] = max(score, scores.get(start + index, 0.0))
        best: dict[int, Suggestion] = {}
        for index, score in scores.items():
            for vendor_id, known in self._exact[self._keys[index]].items():
                if vendor_id not in best or score > best[vendor_id].score:
                    best[vendor_id] = Suggestion(vendor_id, known, score)
        return sorted(best.values(), key=_suggestion_order)

    def _length_range(self, length: int) -> tuple[int, int]:
        """The slice of candidates whose length allows a score of ``suggest`` against a name of
        ``length`` characters.

        The Indel distance is at least the difference in lengths, so ratio(a, b) is at most
        200 * min(len) / (len(a) + len(b)): against a name of length n, a candidate of length
        m can reach a cutoff c only if c * n / (200 - c) <= m <= n * (200 - c) / c. One
        character of slack each side keeps float rounding from excluding a borderline name.
        """
        cutoff = self.suggest
        if cutoff <= 0:
            return 0, len(self._keys)
        shortest = math.floor(cutoff * length / (200 - cutoff)) - 1
        longest = math.ceil(length * (200 - cutoff) / cutoff) + 1
        return bisect_left(self._lengths, shortest), bisect_right(self._lengths, longest)


def _sort_tokens(text: str) -> str:
    return " ".join(sorted(text.split()))


def _suggestion_order(suggestion: Suggestion) -> tuple[float, str, int]:
    return (-suggestion.score, suggestion.name.casefold(), suggestion.vendor_id)
