"""Who may share with whom: the coverage of agreements over pairs of organisations, computed
without the database.

An agreement covers sharing between two organisations when both are parties sharing under it
(signed, not withdrawn, the agreement in force). With `held` the agreements × organisations
matrix of who shares under what, `held.T @ held` counts, for every pair of organisations,
the agreements both hold; its diagonal counts each organisation's own agreements. Counts are
multiplied as float32 (BLAS), exact for any count below 2**24.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Coverage", "build"]


@dataclass(frozen=True)
class Coverage:
    """`held[i, j]`: agreement `agreements[i]` has organisation `organisations[j]` sharing
    under it; `categories[i, k]`: its version in force names data of `category_names[k]`."""

    agreements: tuple[int, ...]
    organisations: tuple[int, ...]
    held: np.ndarray
    category_names: tuple[str, ...]
    categories: np.ndarray

    def __post_init__(self) -> None:
        # Counted once, when built: a coverage kept between requests keeps its counts too.
        held = self.held.astype(np.float32)
        object.__setattr__(self, "_counts", np.rint(held.T @ held).astype(np.int64))

    def counts(self) -> np.ndarray:
        """organisations × organisations: how many agreements each pair shares under (the
        diagonal: how many each organisation shares under at all)."""
        return self._counts

    def category_counts(self) -> dict[str, np.ndarray]:
        """For each category: organisations × organisations, how many agreements covering
        that category each pair shares under."""
        found = {}
        for index, name in enumerate(self.category_names):
            held = self.held[self.categories[:, index]].astype(np.float32)
            found[name] = np.rint(held.T @ held).astype(np.int64)
        return found

    def index_of(self, organisation: int) -> int | None:
        try:
            return self.organisations.index(organisation)
        except ValueError:
            return None

    def agreements_of(self, a: int, b: int) -> list[int]:
        """The agreements organisations `a` and `b` both share under, in `agreements` order."""
        i, j = self.index_of(a), self.index_of(b)
        if i is None or j is None:
            return []
        both = self.held[:, i] & self.held[:, j]
        return [self.agreements[k] for k in np.flatnonzero(both)]

    def categories_of(self, agreement_ids: Iterable[int]) -> list[str]:
        """The categories any of `agreement_ids` covers, in `category_names` order."""
        rows = [self.agreements.index(pk) for pk in agreement_ids]
        if not rows:
            return []
        covered = self.categories[rows].any(axis=0)
        return [name for name, on in zip(self.category_names, covered, strict=True) if on]

    def partners(self, organisation: int) -> list[int]:
        """The other organisations `organisation` may share with, in `organisations` order."""
        i = self.index_of(organisation)
        if i is None:
            return []
        mine = self.held[self.held[:, i]]
        together = mine.any(axis=0)
        together[i] = False
        return [self.organisations[j] for j in np.flatnonzero(together)]


def build(
    memberships: Iterable[tuple[int, int]],
    agreement_categories: Iterable[tuple[int, str]] = (),
    *,
    organisations: Sequence[int] | None = None,
    category_names: Sequence[str] = (),
) -> Coverage:
    """The coverage of the (agreement id, organisation id) pairs of `memberships`, each an
    organisation sharing under an agreement, and (agreement id, category) pairs of
    `agreement_categories`. The organisations are `organisations` (in that order; any other in
    `memberships` is left out) or else those of `memberships`, sorted; the agreements are those
    of `memberships`, sorted. Categories of agreements with no membership are left out."""
    pairs = np.asarray(list(memberships), dtype=np.int64).reshape(-1, 2)
    agreements = np.unique(pairs[:, 0])
    if organisations is None:
        columns = np.unique(pairs[:, 1])
        keep = np.ones(len(pairs), dtype=bool)
    else:
        columns = np.asarray(list(organisations), dtype=np.int64)
        keep = np.isin(pairs[:, 1], columns)
    held = np.zeros((len(agreements), len(columns)), dtype=bool)
    if len(columns):
        order = np.argsort(columns, kind="stable")
        rows = np.searchsorted(agreements, pairs[keep, 0])
        at = np.searchsorted(columns[order], pairs[keep, 1])
        held[rows, order[at]] = True
    agreement_categories = list(agreement_categories)
    names = tuple(category_names) or tuple(sorted({c for _, c in agreement_categories}))
    categories = np.zeros((len(agreements), len(names)), dtype=bool)
    position = {pk: i for i, pk in enumerate(agreements.tolist())}
    column = {name: k for k, name in enumerate(names)}
    for pk, category in agreement_categories:
        if pk in position and category in column:
            categories[position[pk], column[category]] = True
    return Coverage(
        agreements=tuple(agreements.tolist()),
        organisations=tuple(columns.tolist()),
        held=held,
        category_names=names,
        categories=categories,
    )
