"""One search across the platform.

Each app registers, from its AppConfig.ready(), the kinds of record it makes searchable: the
model (a `modelsearch.index.Indexed` model), the rows a person may read, and how one record
is shown as a result. Core depends on no app: the header's search box and the results page
ask this registry, grouped by kind, and each kind's rows are filtered by the app's own
permission rules before they are searched, so a search never shows a title its reader may
not read.

The words people type never reach the engine's query syntax (SQLite's FTS5 or PostgreSQL's
`to_tsquery`): `parse` keeps only letters and digits, so quotes, operators, brackets and SQL
become word boundaries, and the query is built from words and quoted phrases through
modelsearch's query objects. The same words are matched on both databases, which tokenise
them alike (PostgreSQL's `simple` configuration, SQLite's `unicode61`).

Indexed models set `search_auto_update = False`: this module keeps the index in step, in the
same transaction as the save (modelsearch's own handler would enqueue a task per save), and
apps whose records change in bulk call `index_all` afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modelsearch import index as modelsearch_index
from modelsearch.backends import get_search_backend
from modelsearch.query import And, Or, Phrase, PlainText, SearchQuery

from loti.core import similarity

# What of a query is read: longer text is cut, so a pasted page cannot make a slow query.
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_TERM_CHARS = 40
WORD = re.compile(r"[^\W_]+")
QUOTED = re.compile(r'"([^"]*)"')
# A result's extract: about this many characters around the first matching word.
SNIPPET_CHARS = 240
# How many results of each kind the all-platform page shows before "see all".
PER_KIND = 5


@dataclass(frozen=True)
class Query:
    """What a person searched for, as words: `terms` must all match, each of `phrases` must
    match as words in that order."""

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    @property
    def words(self) -> tuple[str, ...]:
        """Every word searched for, phrases' included: what a result highlights."""
        seen = dict.fromkeys(self.terms)
        for phrase in self.phrases:
            seen.update(dict.fromkeys(phrase))
        return tuple(seen)

    def engine(self, *, operator: str = "and") -> SearchQuery:
        """The query in modelsearch's objects. With `operator` "or", any word may match (the
        "has anyone done this already?" search); phrases always match whole."""
        parts: list[SearchQuery] = []
        if self.terms:
            parts.append(PlainText(" ".join(self.terms), operator=operator))
        parts.extend(Phrase(" ".join(phrase)) for phrase in self.phrases)
        if len(parts) == 1:
            return parts[0]
        return And(parts) if operator == "and" else Or(parts)

    def __str__(self) -> str:
        return " ".join([*self.terms, *(f'"{" ".join(phrase)}"' for phrase in self.phrases)])


def _words(text: str) -> list[str]:
    # Lowercased before it is split: lowercasing can add a combining mark ("İ" becomes "i̇"),
    # which is no word character, and every word handed on must be letters and digits only.
    return [word[:MAX_TERM_CHARS] for word in WORD.findall(text.lower())]


def parse(text: str) -> Query:
    """The words and quoted phrases of `text`, safe to hand to the engine: at most
    MAX_TERMS words from the first MAX_QUERY_CHARS characters."""
    text = (text or "")[:MAX_QUERY_CHARS]
    budget = MAX_TERMS
    phrases: list[tuple[str, ...]] = []
    terms: dict[str, None] = {}
    for quoted in QUOTED.findall(text):
        words = _words(quoted)[:budget]
        budget -= len(words)
        if len(words) > 1:
            if tuple(words) not in phrases:
                phrases.append(tuple(words))
        elif words:
            terms[words[0]] = None
    for word in _words(QUOTED.sub(" ", text)):
        if len(terms) + sum(map(len, phrases)) >= MAX_TERMS:
            break
        terms[word] = None
    return Query(terms=tuple(terms), phrases=tuple(phrases))


def search(
    queryset: models.QuerySet, query: Query, *, operator: str = "and", score: str = ""
) -> Any:
    """`queryset`'s rows that match `query`, best first (modelsearch's results: sliced and
    counted like a queryset). With `score`, each row carries its relevance under that name."""
    if not query:
        return queryset.none()
    results = get_search_backend().search(query.engine(operator=operator), queryset)
    return results.annotate_score(score) if score else results


def highlight(text: str, query: Query, *, length: int = SNIPPET_CHARS) -> SafeString:
    """An escaped extract of `text` of about `length` characters around the first of the
    query's words it holds, each matching word marked; the start of `text` when none."""
    text = " ".join((text or "").split())
    words = query.words
    pattern = (
        re.compile(r"(?<![^\W_])(" + "|".join(map(re.escape, words)) + r")(?![^\W_])", re.I)
        if words
        else None
    )
    found = pattern.search(text) if pattern else None
    start = 0
    if found and found.start() > length // 3:
        start = text.rfind(" ", 0, found.start() - length // 3) + 1
    end = start + length
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + length // 2)
    extract = text[start:end]
    pieces: list[str] = ["…"] if start else []
    last = 0
    for match in pattern.finditer(extract) if pattern else ():
        pieces += [escape(extract[last : match.start()]), f"<mark>{escape(match[0])}</mark>"]
        last = match.end()
    pieces.append(escape(extract[last:]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))


def indexable(text: str) -> str:
    """`text` as the words `parse` reads, a space between each: what the index is given,
    so that both engines see the same words. PostgreSQL's parser alone drops what looks
    like an HTML tag or entity (`<script>`, `&amp;`) and keeps a host name or a version
    whole (`example.org`, `1.2`), where FTS5 reads the words inside them."""
    return " ".join(WORD.findall(text or ""))


class SearchField(modelsearch_index.SearchField):
    """A searched field whose text is indexed as `indexable` words, for the same results
    on SQLite and PostgreSQL: what indexed models declare instead of modelsearch's own."""

    def get_value(self, obj: Any) -> str:
        value = super().get_value(obj)
        return indexable(value if isinstance(value, str) else str(value or ""))


@dataclass(frozen=True)
class Hit:
    """One result as the results page shows it."""

    title: str
    url: str
    detail: str = ""  # a line about the record: whose, when, what kind
    snippet: SafeString | str = ""  # from `highlight`
    text: str = ""  # the words the similarity of "has anyone done this already?" reads


@dataclass(frozen=True)
class Kind:
    key: str
    heading: str  # plural, for the group of results: "Library resources"
    model: type[models.Model]
    readable: Callable[[Any], models.QuerySet]  # the rows `user` may read
    hit: Callable[[Any, Query], Hit]  # (record, query) -> how it is shown
    order: int = 100
    # The kind's own search page for the same words, with its filters, when it has one.
    more_url: Callable[[str], str] | None = None
    # One record's kind, where a list mixes kinds ("Library resource"); the heading if unset.
    label: str = ""
    # What the kind's records came from, as a condition on its rows: {"projects": pk -> Q}.
    links: Mapping[str, Callable[[Any], models.Q]] = field(default_factory=dict)

    @property
    def noun(self) -> str:
        return self.label or self.heading


_kinds: dict[str, Kind] = {}


def _index_saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        index(instance)


def _index_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    get_search_backend().delete(instance)


def register(
    *,
    key: str,
    heading: str,
    model: type[models.Model],
    readable: Callable[[Any], models.QuerySet],
    hit: Callable[[Any, Query], Hit],
    order: int = 100,
    more_url: Callable[[str], str] | None = None,
    label: str = "",
    links: Mapping[str, Callable[[Any], models.Q]] | None = None,
) -> None:
    """Make `model`'s records searchable, and keep their index entries in step with saves
    and deletions. modelsearch refuses a search of a queryset filtered on a field the
    model's `search_fields` does not declare as a FilterField: `readable` filters on
    declared fields, and on relations through `pk__in` a subquery (with FilterField("id")).

    `links` names the records of other kinds that this kind's records say they came from:
    for "projects", a function of a project's pk giving the condition on this kind's rows
    (see `linked`)."""
    if getattr(model, "search_auto_update", True):
        raise ValueError(f"{model.__name__} must set search_auto_update = False")
    _kinds[key] = Kind(
        key, heading, model, readable, hit, order, more_url, label, dict(links or {})
    )
    post_save.connect(_index_saved, sender=model, dispatch_uid=f"loti.search.{key}")
    post_delete.connect(_index_deleted, sender=model, dispatch_uid=f"loti.search.del.{key}")


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.heading))


def index(instance: models.Model) -> None:
    """Write (or rewrite) `instance`'s index entry: after a change its own save does not
    make, such as new text in one of its files."""
    get_search_backend().add(instance)


def index_all(model: type[models.Model], objects: Iterable[models.Model] | None = None) -> None:
    """Index `objects` of `model` in one pass (by default all of them, as the model's
    `get_indexed_objects()` reads them): after bulk writes, which send no signals."""
    rows = list(model.get_indexed_objects() if objects is None else objects)
    if rows:
        get_search_backend().add_bulk(model, rows)


@dataclass
class Group:
    kind: Kind
    total: int
    hits: list[Hit] = field(default_factory=list)
    more_url: str = ""  # the kind's own search page for the same words, if it has one


def everything(user: Any, text: str, *, per_kind: int = PER_KIND) -> list[Group]:
    """What `user` may read that matches `text`, grouped by kind: each group's best
    `per_kind` results and how many there are. Kinds with no match are left out."""
    query = parse(text)
    groups: list[Group] = []
    if not query:
        return groups
    for each in kinds():
        results = search(each.readable(user), query)
        total = results.count()
        if total:
            hits = [each.hit(record, query) for record in results[:per_kind]]
            more = each.more_url(str(query)) if each.more_url else ""
            groups.append(Group(kind=each, total=total, hits=hits, more_url=more))
    return groups


# "Has anyone done this already?": each kind's best candidates by the engine's ranking of
# any of the text's words, then all of them ranked together by one similarity.
SIMILAR_CANDIDATES = 30


def similar(
    user: Any, text: str, *, keys: Sequence[str], limit: int = 5, exclude: Sequence[str] = ()
) -> list[tuple[Kind, Hit, float]]:
    """The records of the kinds named by `keys` that `user` may read and whose words look
    most like `text`, best first, as (kind, hit, similarity). `exclude` names records not to
    offer, as "key:pk" (the proposal being edited)."""
    # The engine matches whole words: ask for each word and its stem ("councils", "council").
    words: dict[str, None] = {}
    for word in _words(text[: MAX_QUERY_CHARS * 4]):
        if word not in similarity.STOP_WORDS:
            words.update(dict.fromkeys([word, similarity.stem(word)]))
    query = Query(terms=tuple(words)[: MAX_TERMS * 3])
    if not query:
        return []
    found: dict[str, tuple[Kind, Hit]] = {}
    for key in keys:
        if key not in _kinds:
            continue
        each = _kinds[key]
        for record in search(each.readable(user), query, operator="or")[:SIMILAR_CANDIDATES]:
            ref = f"{key}:{record.pk}"
            if ref not in exclude:
                found[ref] = (each, each.hit(record, query))
    corpus = [(ref, hit.text or f"{hit.title} {hit.detail}") for ref, (_, hit) in found.items()]
    return [(*found[ref], score) for ref, score in similarity.similar(text, corpus, limit=limit)]


def linked(user: Any, *, to: str, pk: Any, limit: int = 20) -> list[tuple[Kind, Hit]]:
    """The records `user` may read, of every kind registered with a link to `to`, that say
    they came from record `pk` of it: the library's resources made by a project, for the
    project's page, without the portfolio knowing the library. Nothing is searched: each
    kind's condition filters its readable rows, which keep their own order."""
    found: list[tuple[Kind, Hit]] = []
    for each in kinds():
        if to in each.links:
            rows = each.readable(user).filter(each.links[to](pk))[:limit]
            found += [(each, each.hit(record, Query())) for record in rows]
    return found
