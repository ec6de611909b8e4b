"""Templates a new agreement starts from: the built-in blank agreement shipped with the
package (data/agreement-template.md), and the library's resources of the kind "Data-sharing
agreement template" the person may read.

Both are read by one parser (`parse`): Markdown with a `##` heading per section of the ICO's
Data Sharing Code of Practice, and `###` headings for the fields of a section with several
(the headings the agreement's page uses, `content.SECTIONS`, and its fields' names). The text
under a field's heading is its starting value; lines starting with ">" are guidance and are not
copied; a heading the parser does not know is skipped with its text. A `#` heading is the
agreement's title. Reading stops at the limits below, saying which was hit and where.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db.models import TextChoices

from loti.datasharing.agreements import services
from loti.datasharing.lawful_basis import Article6, Article9, Article10, Schedule1
from loti.datasharing.models import Category, Frequency
from loti.library import selectors as library_selectors

BUILT_IN = "built-in"
BUILT_IN_NAME = "Blank agreement"
BUILT_IN_SUMMARY = (
    "Every section the ICO's Data Sharing Code of Practice asks an agreement to cover, with "
    "guidance, and model clauses for moving data, security, deletion, rights, privacy "
    "information and breach reporting."
)
BUILT_IN_PATH = Path(__file__).resolve().parent / "data" / "agreement-template.md"
LIBRARY_KEY = re.compile(r"library-([1-9][0-9]{0,9})")

# Limits on what is read of a template.
MAX_CHARS = 200_000
MAX_LINES = 5_000
MAX_HEADINGS = 100
MAX_FIELD_CHARS = 20_000
MAX_TITLE_CHARS = 200
MAX_ITEM_NAME_CHARS = 200
MAX_DATA_ITEMS = services.MAX_DATA_ITEMS

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
ITEM = re.compile(
    r"^[-*+][ \t]+(?P<name>[^(:]+?)[ \t]*"
    r"(?:\((?P<category>[^)]*)\))?[ \t]*"
    r"(?::[ \t]*(?P<description>.*))?$"
)

TEXT_FIELDS = {
    "purpose": ("purpose",),
    "benefits": ("benefits", "benefits sought"),
    "article6_detail": ("legal power or duty", "legal power", "legal duty"),
    "data_subjects": ("data subjects",),
    "transfer_method": ("how the data moves", "transfer method", "method"),
    "security": ("security", "security measures"),
    "retention": ("retention",),
    "deletion": ("deletion",),
    "rights": ("individuals' rights and complaints", "rights", "rights and complaints"),
    "privacy_information": ("privacy information",),
    "breach_reporting": ("breach reporting",),
}
CHOICE_FIELDS: dict[str, tuple[type[TextChoices], tuple[str, ...]]] = {
    "article6": (Article6, ("lawful basis (uk gdpr article 6)", "article 6")),
    "article9": (
        Article9,
        ("condition for special category data (uk gdpr article 9)", "article 9"),
    ),
    "schedule1": (
        Schedule1,
        ("condition in schedule 1 of the data protection act 2018", "schedule 1"),
    ),
    "article10": (
        Article10,
        ("basis for criminal offence data (uk gdpr article 10)", "article 10"),
    ),
    "frequency": (Frequency, ("how often", "frequency")),
}
DATE_FIELDS = {
    "start_date": ("start date",),
    "review_date": ("review date",),
    "end_date": ("end date",),
}
DATA_ITEMS = "data items"


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").casefold()
    return " ".join(text.split()).strip(" .:")


# Heading (normalised) -> what its text fills.
TARGETS: dict[str, str] = {DATA_ITEMS: DATA_ITEMS}
for _fields in (TEXT_FIELDS, DATE_FIELDS, {k: v[1] for k, v in CHOICE_FIELDS.items()}):
    for _name, _headings in _fields.items():
        for _heading in _headings:
            TARGETS[_heading] = _name


@dataclass
class Parsed:
    title: str = ""
    version: dict[str, Any] = field(default_factory=dict)
    data_items: list[dict[str, str]] = field(default_factory=list)
    # What could not be read, in words, with where.
    problems: list[str] = field(default_factory=list)


def choice(choices: type[TextChoices], text: str) -> str | None:
    """The one choice `text` names, by its code, its label, its label's words without the
    reference ("Public task") or the start of its label up to a word's end ("6(1)(e)",
    "Para 2"), or None when it names none or several."""
    wanted = _normal(text)
    if not wanted:
        return None
    found = set()
    for code, label in choices.choices:
        name = _normal(str(label))
        if wanted in (code.casefold(), name, _words_of(name)):
            return code
        if name.startswith(wanted) and not name[len(wanted)].isalnum():
            found.add(code)
    return found.pop() if len(found) == 1 else None


def _words_of(label: str) -> str:
    """A label's words without its reference: "public task" of "6(1)(e) public task",
    "health or social care purposes" of "para 2: health or social care purposes"."""
    if ": " in label:
        return label.split(": ", 1)[1]
    first, _, rest = label.partition(" ")
    return rest if any(c.isdigit() for c in first) else label


def _item(line: str, number: int, parsed: Parsed) -> None:
    match = ITEM.match(line)
    if match is None:
        return
    name = match["name"].strip()
    if len(name) > MAX_ITEM_NAME_CHARS:
        parsed.problems.append(
            f"Line {number}: a data item's name may have at most {MAX_ITEM_NAME_CHARS} characters"
        )
        return
    if any(_normal(item["name"]) == _normal(name) for item in parsed.data_items):
        return
    if len(parsed.data_items) >= MAX_DATA_ITEMS:
        parsed.problems.append(
            f"Line {number}: an agreement may list at most {MAX_DATA_ITEMS} data items"
        )
        return
    category = choice(Category, match["category"] or "") or ""
    parsed.data_items.append(
        {
            "name": name,
            "category": category,
            "description": (match["description"] or "").strip()[:MAX_FIELD_CHARS],
        }
    )


def _fill(target: str, lines: list[tuple[int, str]], parsed: Parsed) -> None:
    if target == DATA_ITEMS:
        for number, line in lines:
            _item(line.strip(), number, parsed)
        return
    text = "\n".join(line for _, line in lines).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not text:
        return
    first = next(number for number, line in lines if line.strip())
    if len(text) > MAX_FIELD_CHARS:
        parsed.problems.append(
            f"Line {first}: a section's text may have at most {MAX_FIELD_CHARS:,} characters; "
            "the rest was left out"
        )
        text = text[:MAX_FIELD_CHARS]
    if target in TEXT_FIELDS:
        parsed.version[target] = text
    elif target in CHOICE_FIELDS:
        code = choice(CHOICE_FIELDS[target][0], text.splitlines()[0])
        if code is not None:
            parsed.version[target] = code
    elif target in DATE_FIELDS:
        try:
            parsed.version[target] = datetime.date.fromisoformat(text.splitlines()[0].strip())
        except ValueError:
            parsed.problems.append(f"Line {first}: write the date as 2026-04-01")


def parse(text: str) -> Parsed:
    """What a template's text gives a new agreement: its title, version fields and data
    items, read as the module says."""
    parsed = Parsed()
    if len(text) > MAX_CHARS:
        parsed.problems.append(
            f"A template may have at most {MAX_CHARS:,} characters: only the first were read"
        )
        text = text[:MAX_CHARS]
    target: str | None = None
    lines: list[tuple[int, str]] = []
    headings = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if number > MAX_LINES:
            parsed.problems.append(
                f"Line {number}: a template may have at most {MAX_LINES:,} lines; the rest was "
                "not read"
            )
            break
        line = line.replace("\x00", "")
        heading = HEADING.match(line)
        if heading is None:
            if target is not None and not line.lstrip().startswith(">"):
                lines.append((number, line.rstrip()))
            continue
        headings += 1
        if headings > MAX_HEADINGS:
            parsed.problems.append(
                f"Line {number}: a template may have at most {MAX_HEADINGS} headings; the rest "
                "was not read"
            )
            break
        if target is not None:
            _fill(target, lines, parsed)
        target, lines = None, []
        level, words = len(heading[1]), heading[2].strip()
        if level == 1 and not parsed.title:
            parsed.title = words[:MAX_TITLE_CHARS]
        elif level in (2, 3):
            target = TARGETS.get(_normal(words))
    if target is not None:
        _fill(target, lines, parsed)
    return parsed


@dataclass(frozen=True)
class TemplateChoice:
    key: str
    name: str
    summary: str
    # The library's resource, for a template from the library.
    url: str = ""


def built_in_text() -> str:
    return BUILT_IN_PATH.read_text(encoding="utf-8")


def _library_templates(user: Any):
    return library_selectors.resources_seen_by(user).filter(
        kind=library_selectors.Kind.DATA_SHARING_TEMPLATE
    )


def template_choices(*, user: Any) -> list[TemplateChoice]:
    """The templates `user` may start an agreement from: the built-in one, then the
    library's, by title."""
    library = [
        TemplateChoice(
            key=f"library-{resource.pk}",
            name=resource.title,
            summary=resource.summary,
            url=resource.get_absolute_url(),
        )
        for resource in _library_templates(user).order_by("title", "pk")
    ]
    return [TemplateChoice(key=BUILT_IN, name=BUILT_IN_NAME, summary=BUILT_IN_SUMMARY), *library]


def initial_for(*, user: Any, key: str) -> dict[str, Any] | None:
    """The new agreement's form values from the template `key` ("built-in", or
    "library-<id>" for a library resource `user` may read): {"title", "version" (the version
    fields the template fills), "data_items", "template" (the library's resource, to pass to
    `agreement_create`; None for the built-in one), "problems" (what could not be read)}.
    None when `key` names no template `user` may read."""
    if key == BUILT_IN:
        resource, text = None, built_in_text()
    else:
        match = LIBRARY_KEY.fullmatch(key or "")
        if match is None:
            return None
        resource = _library_templates(user).filter(pk=int(match[1])).first()
        if resource is None:
            return None
        text = resource.latest_text()
    parsed = parse(text)
    return {
        "title": parsed.title if resource is not None else "",
        "version": parsed.version,
        "data_items": parsed.data_items,
        "template": resource,
        "problems": parsed.problems,
    }
