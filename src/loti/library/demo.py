"""The library's demo: about sixty resources that London's boroughs and the office have shared,
of every kind and every file format, with versions, reuses and a couple of drafts. They are
SYNTHETIC: every title, document, date and reuse is made up, and each file's text says so.

Each resource comes from a topic (a service area, the workstream its work sits under, and
the demo project it came from when there is one) and a kind; its file's text is written
here from the topic's words and the kind's sections, so a search finds it by what it says.
Files are stored as uploads are, and their text is the text they were written from (what
reading the file would give), indexed at the end in one pass.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

from loti.core import search
from loti.core.demo import Login
from loti.core.permissions import Role
from loti.library import files
from loti.library.models import Kind, Licence, Resource, Reuse, TextState, Version
from loti.members import selectors as member_selectors
from loti.portfolio.projects import selectors as project_selectors
from loti.portfolio.workstreams import selectors as workstream_selectors
from loti.techmap import selectors as techmap_selectors

if TYPE_CHECKING:
    from loti.members.models import Organisation, Person

RESOURCES = 60
# Every allowed format appears; a few resources are links instead of files.
FORMATS = ["pdf", "docx", "xlsx", "odt", "csv", "md", "txt"]
LINKS = [
    "https://www.gov.uk/service-manual",
    "https://design-system.service.gov.uk/",
    "https://www.localdigital.gov.uk/",
    "https://www.ncsc.gov.uk/collection/10-steps",
    "https://www.gov.uk/government/publications/the-green-book-appraisal-and-evaluation-in-central-government",
]
LINK_EVERY, LINK_AT = 12, 5  # resources 5, 17, 29, 41, 53 are links
MEMBERS_ONLY_EVERY, MEMBERS_ONLY_AT = 12, 3
DRAFTS = 2  # the last resources, one of Barnet's and one of Camden's
OPEN_LICENCES = {Licence.OGL: 6, Licence.CC_BY: 2, Licence.CC_BY_SA: 1, Licence.MIT: 1}
SYNTHETIC_NOTE = (
    "SYNTHETIC DEMO CONTENT. This document was made up for the loti demo: it is not a real "
    "document of {authors} or of any council, and nothing in it should be relied on."
)
# Files carry a fixed date, so the same seed stores the same bytes.
FILE_DATE = (2026, 1, 1, 0, 0, 0)
FILE_STAMP = b"2026-01-01T00:00:00Z"
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*")


@dataclass(frozen=True)
class Topic:
    subject: str
    service_area: str
    workstream: str
    project: str | None  # the demo project it came from, if the demo has it
    author: str  # organisation slug
    words: tuple[str, ...]  # what the topic's documents talk about


TOPICS = [
    Topic(
        "contact centre platform",
        "Customer contact",
        "Sharing and reusing",
        "Joint procurement of a contact centre platform",
        "lewisham",
        ("telephony", "webchat", "call routing", "omnichannel queues", "callback"),
    ),
    Topic(
        "cyber incident response",
        "Cyber security",
        "Sharing and reusing",
        "Cyber incident response playbook",
        "merton",
        ("ransomware", "containment", "forensic triage", "backups", "tabletop exercise"),
    ),
    Topic(
        "parking permit data",
        "Parking permits",
        "Embedding standards",
        "Shared parking permit data schema",
        "havering",
        ("permit zones", "vehicle registration", "virtual permits", "schema", "visitor vouchers"),
    ),
    Topic(
        "children's social care case recording",
        "Children's social care",
        "Embedding standards",
        "Children's social care case recording standard",
        "westminster",
        ("case notes", "chronology", "child protection plan", "supervision", "recording"),
    ),
    Topic(
        "damp and mould monitoring",
        "Housing repairs and asset management",
        "Data collaboration",
        "Damp and mould sensors in social housing",
        "islington",
        ("humidity sensors", "condensation", "tenants", "repairs triage", "dashboards"),
    ),
    Topic(
        "homelessness prevention data sharing",
        "Homelessness and housing options",
        "Embedding standards",
        "One information-sharing agreement for homelessness prevention",
        "croydon",
        ("duty to refer", "lawful basis", "prevention", "temporary accommodation", "consent"),
    ),
    Topic(
        "data roles",
        "Recruitment",
        "Collective knowledge",
        "Common job descriptions for data roles",
        "hounslow",
        ("data analyst", "data engineer", "pay grade", "competencies", "career pathway"),
    ),
    Topic(
        "digital inclusion device recycling",
        "End-user computing and productivity",
        "Sharing and reusing",
        "Digital inclusion: device recycling across boroughs",
        "lewisham",
        ("laptops", "data wiping", "refurbishment", "residents", "inclusion partners"),
    ),
    Topic(
        "digital apprenticeships",
        "Learning and development",
        "Digital leadership",
        "Digital apprenticeships across boroughs",
        "harrow",
        ("apprentices", "levy", "training provider", "mentors", "placements"),
    ),
    Topic(
        "cloud skills for infrastructure teams",
        "ICT infrastructure and networks",
        "Digital leadership",
        "Cloud skills bootcamp for infrastructure teams",
        "hillingdon",
        ("cloud landing zone", "infrastructure as code", "certification", "networks"),
    ),
    Topic(
        "waste and recycling rounds",
        "Waste and recycling collection",
        "Shared experiments",
        None,
        "barnet",
        ("collection rounds", "missed bins", "route optimisation", "garden waste", "crews"),
    ),
    Topic(
        "adult social care assessments",
        "Adult social care assessment and care management",
        "Collective knowledge",
        None,
        "camden",
        ("care act assessment", "strengths-based practice", "reviews", "care packages"),
    ),
    Topic(
        "council tax online accounts",
        "Council tax",
        "Sharing and reusing",
        None,
        "barnet",
        ("direct debit", "single person discount", "online account", "arrears", "billing"),
    ),
    Topic(
        "planning application validation",
        "Planning and development management",
        "Embedding standards",
        None,
        "camden",
        ("validation checklist", "site plans", "back-office", "consultees", "decision notices"),
    ),
    Topic(
        "records retention",
        "Records and document management",
        "Embedding standards",
        None,
        "southwark",
        ("retention schedule", "disposal", "metadata", "electronic records", "file plan"),
    ),
    Topic(
        "identity and access management",
        "Identity and access",
        "Better partnerships",
        None,
        "hackney",
        ("single sign-on", "multi-factor authentication", "joiners movers leavers", "roles"),
    ),
    Topic(
        "library management systems",
        "Libraries",
        "Sharing and reusing",
        None,
        "enfield",
        ("library catalogue", "self-service kiosks", "e-books", "membership", "loans"),
    ),
    Topic(
        "data and analytics platforms",
        "Data and analytics",
        "Data collaboration",
        None,
        "newham",
        ("data warehouse", "data quality", "pipelines", "open data", "dashboards"),
    ),
]

KINDS = list(Kind)


@dataclass(frozen=True)
class Writing:
    title: str  # with {subject}
    summary: str  # with {subject}, {authors}
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # heading, sentences with {word}


WRITING = {
    Kind.SPECIFICATION: Writing(
        "Technical specification for {subject}",
        "The requirements {authors} wrote for {subject}, to reuse in your own procurement.",
        (
            (
                "Scope",
                (
                    "The system must support {word} for every service that needs it.",
                    "Suppliers should describe how their product handles {word}.",
                ),
            ),
            (
                "Functional requirements",
                (
                    "The solution shall record {word} against the case.",
                    "Officers need to search and report on {word}.",
                ),
            ),
            (
                "Non-functional requirements",
                (
                    "The service must be available during office "
                    "hours and handle {word} at peak load.",
                    "Data stays in the UK; {word} is encrypted.",
                ),
            ),
        ),
    ),
    Kind.TENDER: Writing(
        "Invitation to tender: {subject}",
        "The tender pack {authors} issued for {subject}, with the evaluation criteria.",
        (
            (
                "Background",
                (
                    "The council is buying a service for {word}.",
                    "The current contract for {word} ends next year.",
                ),
            ),
            (
                "Evaluation",
                (
                    "Quality is weighted at sixty per cent, including {word}.",
                    "Bidders will present how they would deliver {word}.",
                ),
            ),
            (
                "Pricing",
                (
                    "Prices for {word} are fixed for the first two years.",
                    "Bidders should price {word} as an optional extra.",
                ),
            ),
        ),
    ),
    Kind.GUIDE: Writing(
        "Implementation guide: {subject}",
        "How {authors} put {subject} in place, step by step, and what they would do again.",
        (
            (
                "Before you start",
                (
                    "Agree who owns {word} before the project begins.",
                    "Map how {word} works today with the people who do it.",
                ),
            ),
            (
                "Steps",
                (
                    "Start small: pilot {word} with one team for six weeks.",
                    "Train staff on {word} before go-live, not after.",
                ),
            ),
            (
                "Lessons learned",
                (
                    "We underestimated the time {word} would take.",
                    "Residents noticed {word} first, so tell them early.",
                ),
            ),
        ),
    ),
    Kind.BUSINESS_CASE: Writing(
        "Business case for {subject}",
        "The business case {authors} made for {subject}: options, costs and benefits.",
        (
            (
                "Strategic case",
                (
                    "Demand for {word} has grown every year since 2021.",
                    "Doing nothing leaves {word} on ageing systems.",
                ),
            ),
            (
                "Economic case",
                (
                    "The preferred option saves money through {word}.",
                    "Benefits of {word} are counted over five years.",
                ),
            ),
            (
                "Commercial and financial case",
                (
                    "The council will buy {word} through a framework.",
                    "Funding for {word} comes from the transformation budget.",
                ),
            ),
        ),
    ),
    Kind.TOOLKIT: Writing(
        "Toolkit: {subject}",
        "Checklists, templates and tools {authors} use for {subject}.",
        (
            (
                "Checklist",
                (
                    "Check that {word} is covered in the service design.",
                    "Confirm the owner of {word} has signed off.",
                ),
            ),
            (
                "Tools",
                (
                    "Use the spreadsheet to track {word} across teams.",
                    "The survey questions help you measure {word}.",
                ),
            ),
        ),
    ),
    Kind.TEMPLATE: Writing(
        "Template: {subject}",
        "A template for {subject} from {authors}: fill in the blanks for your council.",
        (
            (
                "How to use this template",
                (
                    "Replace the words in brackets with your own details for {word}.",
                    "Delete any section on {word} that does not apply.",
                ),
            ),
            (
                "Template text",
                (
                    "[Council name] will provide {word} to residents.",
                    "[Team] is responsible for {word}.",
                ),
            ),
        ),
    ),
    Kind.CASE_STUDY: Writing(
        "Case study: {subject} at {authors}",
        "What happened when {authors} changed how it does {subject}, and the results.",
        (
            (
                "The problem",
                (
                    "Residents waited too long because of {word}.",
                    "Staff spent hours each week on {word}.",
                ),
            ),
            (
                "What we did",
                (
                    "We redesigned {word} with the people who use it.",
                    "A small team tested {word} in one area first.",
                ),
            ),
            (
                "Results",
                (
                    "Complaints about {word} fell by a third in a year.",
                    "Other boroughs have asked to reuse our work on {word}.",
                ),
            ),
        ),
    ),
    Kind.JOB_DESCRIPTION: Writing(
        "Job description: {subject} lead",
        "A job description {authors} used to recruit someone to lead {subject}.",
        (
            (
                "Purpose of the job",
                (
                    "You will lead the council's work on {word}.",
                    "You will make {word} simpler for residents.",
                ),
            ),
            (
                "Responsibilities",
                (
                    "Manage the supplier relationship for {word}.",
                    "Report on {word} to the digital board.",
                ),
            ),
            (
                "Person specification",
                (
                    "Experience of {word} in a public service.",
                    "Able to explain {word} in plain English.",
                ),
            ),
        ),
    ),
    Kind.DATA_SHARING_TEMPLATE: Writing(
        "Data-sharing agreement template for {subject}",
        "The data-sharing agreement {authors} uses for {subject}, ready to adapt.",
        (
            (
                "Purpose",
                (
                    "The partners share data about {word} to improve services.",
                    "Only the data needed for {word} is shared.",
                ),
            ),
            (
                "Lawful basis",
                (
                    "Sharing for {word} relies on a public task.",
                    "A data protection impact assessment covers {word}.",
                ),
            ),
            (
                "Security and retention",
                (
                    "Data about {word} is sent encrypted.",
                    "Records of {word} are deleted after six years.",
                ),
            ),
        ),
    ),
}
CHANGES = [
    "Updated after feedback from {other}: clearer wording on {word}.",
    "Added a section on {word} and corrected the contact details.",
    "Revised for the new financial year; {word} requirements brought up to date.",
]


@dataclass(frozen=True)
class Document:
    title: str
    # (heading, paragraph) in order: what every format of the file holds.
    sections: list[tuple[str, str]]

    @property
    def text(self) -> str:
        return "\n\n".join([self.title, *(f"{h}\n\n{p}" for h, p in self.sections)])


def _write(
    rng: random.Random, *, title: str, writing: Writing, topic: Topic, authors: str, label: str
) -> Document:
    sections = [("About this document", SYNTHETIC_NOTE.format(authors=authors))]
    for heading, sentences in writing.sections:
        words = rng.sample(topic.words, k=min(len(topic.words), len(sentences) + 1))
        paragraph = " ".join(
            sentence.format(word=word) for sentence, word in zip(sentences, words, strict=False)
        )
        extra = words[len(sentences) :]
        if extra:
            paragraph += f" See also the notes on {extra[0]} for {topic.subject}."
        sections.append((heading, paragraph))
    sections.append(("Version", f"Version {label}, shared by {authors} through the library."))
    return Document(title=title, sections=sections)


def _title(writing: Writing, topic: Topic, author: Organisation) -> str:
    title = writing.title.format(subject=topic.subject, authors=author.short_name)
    return title[0].upper() + title[1:]


def _fixed_dates(data: bytes) -> bytes:
    """The same zip (DOCX, XLSX, ODT) with every entry, and the document's last change, dated
    FILE_DATE; order and compression kept (ODT's uncompressed mimetype first)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FILE_DATE)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                # openpyxl dates a workbook's last change when it saves it.
                data = MODIFIED.sub(rb"\g<1>" + FILE_STAMP, data)
            target.writestr(fixed, data)
    return out.getvalue()


def _pdf(document: Document) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime.datetime(*FILE_DATE, tzinfo=datetime.UTC))
    pdf.set_title(document.title)
    pdf.set_creator("loti demo")
    pdf.set_lang("en-GB")
    pdf.add_page()
    # The core fonts, not a Unicode one: the demo's text is plain ASCII.
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, document.title, new_x="LMARGIN", new_y="NEXT")
    for heading, paragraph in document.sections:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _docx(document: Document) -> bytes:
    import docx

    word = docx.Document()
    word.core_properties.title = document.title
    word.core_properties.created = datetime.datetime(*FILE_DATE)
    word.core_properties.modified = datetime.datetime(*FILE_DATE)
    word.add_heading(document.title, level=1)
    for heading, paragraph in document.sections:
        word.add_heading(heading, level=2)
        word.add_paragraph(paragraph)
    out = io.BytesIO()
    word.save(out)
    return _fixed_dates(out.getvalue())


def _xlsx(document: Document) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.properties.created = book.properties.modified = datetime.datetime(*FILE_DATE)
    sheet = book.active
    sheet.title = "Contents"
    sheet.append([document.title])
    sheet.append(["Section", "Text"])
    for heading, paragraph in document.sections:
        sheet.append([heading, paragraph])
    out = io.BytesIO()
    book.save(out)
    return _fixed_dates(out.getvalue())


def _odt(document: Document) -> bytes:
    from odf.element import Element
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    # odfpy declares, in every document it writes, each namespace any document of the
    # process has used so far (a class-level dict): start each from none, so a document
    # declares only its own and the same text gives the same bytes.
    Element.namespaces.clear()
    odt = OpenDocumentText()
    odt.text.addElement(H(outlinelevel=1, text=document.title))
    for heading, paragraph in document.sections:
        odt.text.addElement(H(outlinelevel=2, text=heading))
        odt.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    odt.write(out)
    return _fixed_dates(out.getvalue())


def _csv(document: Document) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "text"])
    writer.writerow(["Title", document.title])
    writer.writerows(document.sections)
    return out.getvalue().encode()


def _markdown(document: Document) -> bytes:
    parts = [f"# {document.title}", *(f"## {h}\n\n{p}" for h, p in document.sections)]
    return ("\n\n".join(parts) + "\n").encode()


def _plain(document: Document) -> bytes:
    return (document.text + "\n").encode()


RENDER: dict[str, Callable[[Document], bytes]] = {
    "pdf": _pdf,
    "docx": _docx,
    "xlsx": _xlsx,
    "odt": _odt,
    "csv": _csv,
    "md": _markdown,
    "txt": _plain,
}


def _store(rng: random.Random, version: Version, *, extension: str, data: bytes) -> None:
    """Store `data` as `version`'s file, as an upload is stored: a random storage name under
    the resource's folder, the name people download it by, and its type, size and hash."""
    version.storage_name = f"{rng.getrandbits(128):032x}.{extension}"
    path = f"library/{version.resource_id}/{version.storage_name}"
    # A demo built again (`loti demo --reset`) draws the same names: replace, not rename.
    if default_storage.exists(path):
        default_storage.delete(path)
    version.file.name = default_storage.save(path, ContentFile(data))
    version.content_type = files.CONTENT_TYPES[extension]
    version.size = len(data)
    version.sha256 = hashlib.sha256(data).hexdigest()


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    time = datetime.time(rng.randint(9, 17), rng.choice([0, 15, 30, 45]))
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _financial_year_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)


def logins() -> list[Login]:
    return []


def build(*, rng: random.Random, today: datetime.date) -> None:
    organisations = {org.slug: org for org in member_selectors.organisations()}
    councils = list(member_selectors.councils().order_by("slug"))
    areas = {area.name: area for area in techmap_selectors.service_areas()}
    workstreams = {ws.name: ws for ws in workstream_selectors.workstream_list()}
    projects = {project.title: project for project in project_selectors.project_choices()}
    writers = {}
    for person in member_selectors.people(roles=[Role.LEAD, Role.OFFICER]).order_by("email"):
        writers.setdefault(person.organisation_id, person)
    office = member_selectors.office_person()
    # Reuses fall in this financial year and the last.
    reuse_from = _financial_year_start(today).replace(year=_financial_year_start(today).year - 1)
    created: list[Resource] = []
    titles: set[str] = set()
    for number in range(RESOURCES):
        kind = KINDS[number % len(KINDS)]
        # Each of the first 18 takes a different topic and kind; each later block of 18 moves
        # the topics on by one, so no two resources share both.
        topic = TOPICS[(number * 7 + number // len(TOPICS)) % len(TOPICS)]
        draft = number >= RESOURCES - DRAFTS
        if draft:
            # Drafts are the demo personas' boroughs', of a topic and kind not yet shared.
            author = ("barnet", "camden")[number % 2]
            topic, kind = next(
                (t, k)
                for t in TOPICS
                if t.author == author
                for k in KINDS
                if _title(WRITING[k], t, organisations[author]) not in titles
            )
        authors = [organisations[topic.author]]
        if rng.random() < 0.3:
            authors.append(rng.choice([c for c in councils if c not in authors]))
        names = " and ".join(org.short_name for org in authors)
        writing = WRITING[kind]
        title = _title(writing, topic, authors[0])
        titles.add(title)
        if number % MEMBERS_ONLY_EVERY == MEMBERS_ONLY_AT:
            licence = Licence.MEMBERS_ONLY
        else:
            licence = rng.choices(list(OPEN_LICENCES), weights=list(OPEN_LICENCES.values()))[0]
        first_day = today - datetime.timedelta(days=rng.randint(40, 700))
        first = _moment(first_day, rng)
        author = writers.get(authors[0].pk) or office
        # bulk_create sends no post_save, so the resource is not indexed before it has
        # versions: all are indexed once, at the end.
        (resource,) = Resource.objects.bulk_create(
            [
                Resource(
                    title=title,
                    summary=writing.summary.format(subject=topic.subject, authors=names),
                    kind=kind,
                    licence=licence,
                    published_at=None if draft else first,
                    created_by=author,
                    created_at=first,
                    updated_at=first,
                    synthetic=True,
                )
            ]
        )
        resource.organisations.set(authors)
        resource.service_areas.set([areas[topic.service_area]])
        resource.workstreams.set([workstreams[topic.workstream]])
        # Which proposals a call chose depends on the seed: link the project if it was.
        if topic.project in projects:
            resource.projects.set([projects[topic.project]])
        link = number % LINK_EVERY == LINK_AT
        extension = FORMATS[number % len(FORMATS)]
        count = 3 if number % 11 == 0 else 2 if number % 4 == 1 else 1
        when = first
        for step in range(count):
            label = f"{step + 1}.0"
            version = Version(resource=resource, label=label, created_by=author, created_at=when)
            if step:
                version.changes = rng.choice(CHANGES).format(
                    other=rng.choice(councils).short_name, word=rng.choice(topic.words)
                )
            if link:
                version.link = LINKS[(number // LINK_EVERY + step) % len(LINKS)]
                version.text_state = TextState.NONE
            else:
                document = _write(
                    rng, title=title, writing=writing, topic=topic, authors=names, label=label
                )
                version.file_name = f"{slugify(title)[:80]}-v{label}.{extension}"
                _store(rng, version, extension=extension, data=RENDER[extension](document))
                version.text = document.text
                version.text_state = TextState.READ
            version.save()
            when += datetime.timedelta(days=rng.randint(20, 120))
        # An update, not a save: the index is written once, at the end, with every text.
        Resource.objects.filter(pk=resource.pk).update(updated_at=min(when, _moment(today, rng)))
        if not draft:
            _reuse(
                rng,
                resource,
                councils=councils,
                authors=authors,
                writers=writers,
                since=max(first_day, reuse_from),
                today=today,
            )
        created.append(resource)
    search.index_all(
        Resource, Resource.get_indexed_objects().filter(pk__in=[each.pk for each in created])
    )


def _reuse(
    rng: random.Random,
    resource: Resource,
    *,
    councils: list[Organisation],
    authors: list[Organisation],
    writers: dict[int, Person],
    since: datetime.date,
    today: datetime.date,
) -> None:
    """Some councils other than its authors say they reused `resource`, on days between
    `since` and `today`."""
    others = [council for council in councils if council not in authors]
    span = (today - since).days
    for organisation in rng.sample(others, k=rng.choice([0, 0, 1, 2, 3, 5])):
        Reuse.objects.create(
            resource=resource,
            organisation=organisation,
            recorded_by=writers.get(organisation.pk),
            recorded_on=since + datetime.timedelta(days=rng.randint(0, span)),
        )
