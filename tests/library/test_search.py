"""The library's search page and its selector: words, phrases, filters, ranking, extracts,
pagination and visibility, with hostile queries. The same results on SQLite and on
PostgreSQL: CI runs this module on both, and `test_the_same_results_on_every_database`
names the exact results of each query, so a difference between the engines fails it."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loti.core import search
from loti.library import selectors
from loti.library.models import Kind, Licence, Resource, Version
from loti.portfolio.workstreams.models import Workstream
from loti.techmap.models import ServiceArea
from tests.personas import build_personas

URL = reverse("library:resources")
FILLERS = 25  # more than a page of 20


def moment(year, month=6, day=1):
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def world(module_transaction):
    built = build_personas()
    area_a, area_b = ServiceArea.objects.order_by("pk")[:2]
    roads = Workstream.objects.create(name="Search test roads", slug="search-test-roads")
    homes = Workstream.objects.create(name="Search test homes", slug="search-test-homes")
    barnet, camden = built["borough_a"], built["borough_b"]

    def resource(title, summary, *, text="", authors, areas=(), streams=(), **fields):
        made = Resource.objects.create(title=title, summary=summary, **fields)
        made.organisations.set(authors)
        made.service_areas.set(areas)
        made.workstreams.set(streams)
        if text:
            Version.objects.create(
                resource=made,
                label="1.0",
                link="https://example.org/x",
                text=text,
                text_state="read",
            )
        return made

    made = {
        "permits": resource(
            "Parking permits specification",
            "How boroughs issue resident permits online.",
            text="Visitor vouchers and resident permits, renewed each year. "
            "The forms are at https://forms.example.org/permits, version 2.5.",
            authors=[barnet],
            areas=[area_a],
            streams=[roads],
            kind=Kind.SPECIFICATION,
            licence=Licence.OGL,
            published_at=moment(2024, 3),
        ),
        "repairs": resource(
            "Housing repairs tender",
            "A tender for responsive repairs to council homes.",
            text="Parking enforcement is out of scope of this contract.",
            authors=[camden],
            areas=[area_b],
            streams=[homes],
            kind=Kind.TENDER,
            licence=Licence.CC_BY,
            published_at=moment(2025),
        ),
        "members": resource(
            "Zebra budget guide",
            "What the zebra crossings programme costs each borough.",
            authors=[barnet, camden],
            kind=Kind.GUIDE,
            licence=Licence.MEMBERS_ONLY,
            published_at=moment(2025, 2),
        ),
        "draft": resource(
            "Quokka toolkit",
            "A draft toolkit about quokka-friendly parks.",
            authors=[camden],
            kind=Kind.TOOLKIT,
            licence=Licence.OGL,
            created_at=moment(2023),
        ),
        "hostile": resource(
            "<script>alert(1)</script> Escaping & sharing",
            "<b>bold</b> claims about sharing data safely.",
            authors=[built["police"]],
            kind=Kind.CASE_STUDY,
            licence=Licence.MIT,
            published_at=moment(2024, 9),
        ),
    }
    for number in range(FILLERS):
        made[f"filler{number}"] = resource(
            f"Filler template {number:02d}",
            "A filler template for paging.",
            authors=[barnet],
            kind=Kind.TEMPLATE,
            licence=Licence.OGL,
            published_at=moment(2022, 1, number + 1),
        )
    search.index_all(Resource, made.values())
    return {**built, "made": made, "areas": (area_a, area_b), "streams": (roads, homes)}


def titles(results):
    return {resource.title for resource in results}


def found(world, persona="staff", **arguments):
    return titles(selectors.resource_search(user=world[persona], **arguments))


def title(world, key):
    return world["made"][key].title


FILLER_TITLES = {f"Filler template {number:02d}" for number in range(FILLERS)}

# Query -> the titles it finds (for the office, which reads every resource). The exact
# sets, so that CI's run on PostgreSQL proves the engines agree with this run on SQLite.
PARITY = [
    ("parking", {"Parking permits specification", "Housing repairs tender"}),
    ("PARKING", {"Parking permits specification", "Housing repairs tender"}),
    ("permits parking", {"Parking permits specification"}),
    ('"resident permits"', {"Parking permits specification"}),
    ('"permits resident"', set()),
    ('"parking enforcement" contract', {"Housing repairs tender"}),
    ("housing-repairs", {"Housing repairs tender"}),
    ("zebra", {"Zebra budget guide"}),
    ("quokka", {"Quokka toolkit"}),
    ("sharing", {"<script>alert(1)</script> Escaping & sharing"}),
    ("script alert", {"<script>alert(1)</script> Escaping & sharing"}),
    ("filler", FILLER_TITLES),
    ("parking OR zebra", set()),
    ("nothingmatchesthis", set()),
    ("vouchers", {"Parking permits specification"}),
    ("renewed year", {"Parking permits specification"}),
    # Words PostgreSQL's own parser would keep whole or drop: a host, a version, a tag.
    ("forms example", {"Parking permits specification"}),
    ("version 2.5", {"Parking permits specification"}),
    ('"https forms example org permits"', {"Parking permits specification"}),
]


@pytest.mark.parametrize(("text", "expected"), PARITY, ids=[text for text, _ in PARITY])
def test_the_same_results_on_every_database(world, db, text, expected):
    assert found(world, text=text) == expected


def test_a_title_match_ranks_above_a_match_in_the_text_only(world, db):
    ranked = list(selectors.resource_search(user=world["staff"], text="parking"))
    assert [resource.title for resource in ranked] == [
        "Parking permits specification",
        "Housing repairs tender",
    ]


def test_without_words_the_newest_come_first_drafts_by_when_they_were_started(world, db):
    ranked = [resource.title for resource in selectors.resource_search(user=world["staff"])]
    assert ranked[:5] == [
        "Housing repairs tender",  # 2025-06
        "Zebra budget guide",  # 2025-02
        "<script>alert(1)</script> Escaping & sharing",  # 2024-09
        "Parking permits specification",  # 2024-03
        "Quokka toolkit",  # a draft started in 2023
    ]
    assert ranked[5] == "Filler template 24"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"kind": Kind.TENDER}, {"repairs"}),
        ({"licence": Licence.MEMBERS_ONLY}, {"members"}),
        ({"licence": Licence.MIT}, {"hostile"}),
        ({"organisation": "camden"}, {"repairs", "members", "draft"}),
        ({"organisation": "met-police"}, {"hostile"}),
        ({"year": 2025}, {"repairs", "members"}),
        ({"year": 2023}, {"draft"}),
        ({"year": 2024, "text": "parking"}, {"permits"}),
        ({"organisation": "barnet", "text": "parking"}, {"permits"}),
        ({"kind": Kind.TENDER, "text": "zebra"}, set()),
        ({"kind": "no-such-kind"}, set()),
        ({"organisation": "no-such-borough"}, set()),
    ],
)
def test_each_filter_narrows(world, db, arguments, expected):
    assert found(world, **arguments) == {title(world, key) for key in expected}


def test_service_area_and_workstream_filters_narrow(world, db):
    area_a, area_b = world["areas"]
    roads, homes = world["streams"]
    assert found(world, service_area=area_a.slug) == {title(world, "permits")}
    assert found(world, service_area=area_b.slug, text="parking") == {title(world, "repairs")}
    assert found(world, workstream=roads.slug) == {title(world, "permits")}
    assert found(world, workstream=homes.slug, text="permits") == set()


def test_the_facets_count_the_matches_under_the_other_filters(world, db):
    facets = {
        facet.name: facet
        for facet in selectors.resource_facets(
            user=world["staff"], text="parking", chosen={"year": 2025}
        )
    }
    kinds = {option.value: option.count for option in facets["kind"].options}
    assert kinds == {Kind.TENDER.value: 1}  # the 2025 one of the two parking matches
    # The year's own counts ignore the chosen year.
    assert {option.value: option.count for option in facets["year"].options} == {
        "2025": 1,
        "2024": 1,
    }
    assert facets["year"].chosen == "2025"
    authors = {option.value: option.count for option in facets["organisation"].options}
    assert authors == {"camden": 1}


def test_the_facets_count_only_what_the_reader_may_read(world, db):
    facets = {f.name: f for f in selectors.resource_facets(user=None, chosen={})}
    licences = {option.value for option in facets["licence"].options}
    assert Licence.MEMBERS_ONLY.value not in licences
    assert {option.value for option in facets["year"].options} == {"2025", "2024", "2022"}


@pytest.mark.parametrize(
    ("persona", "members_only", "draft"),
    [
        ("anonymous", False, False),
        ("officer_a", True, False),  # Barnet's: the draft is Camden's
        ("officer_b", True, True),
        ("partner", True, False),
        ("staff", True, True),
    ],
)
def test_a_search_shows_only_what_its_reader_may_read(
    world, db, client, persona, members_only, draft
):
    if world[persona] is not None:
        client.force_login(world[persona])
    # The searched word is marked in a title shown: the rest of it is what is looked for.
    canaries = [
        ("zebra", "members", " budget guide", members_only),
        ("quokka", "draft", " toolkit</a>", draft),
    ]
    for text, key, rest_of_title, shown in canaries:
        for address in [{"q": text}, {}]:
            html = client.get(URL, address).content.decode()
            assert (rest_of_title in html) is shown, (text, address)
            assert (f'data-result="{world["made"][key].pk}"' in html) is shown


def test_the_page_marks_the_words_and_escapes_titles_and_summaries(world, db, client):
    html = client.get(URL, {"q": "sharing"}).content.decode()
    assert "1 resource matches" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Escaping &amp; <mark>sharing</mark>" in html
    assert "&lt;b&gt;bold&lt;/b&gt; claims about <mark>sharing</mark> data safely." in html
    assert "<script>alert(1)" not in html
    assert "<b>bold</b>" not in html


def test_the_extract_comes_from_the_latest_versions_text(world, db, client):
    html = client.get(URL, {"q": "enforcement"}).content.decode()
    assert "<mark>Parking</mark>" not in html  # only the searched word is marked
    assert "<mark>enforcement</mark> is out of scope" in html


def test_results_are_paged_and_the_pages_keep_the_words_and_filters(world, db, client):
    first = client.get(URL, {"q": "filler", "kind": "template"}).content.decode()
    assert f"{FILLERS} resources match" in first
    assert first.count("data-result=") == 20
    assert 'href="?q=filler&amp;kind=template&amp;page=2"' in first
    second = client.get(URL, {"q": "filler", "kind": "template", "page": 2}).content.decode()
    assert second.count("data-result=") == FILLERS - 20


def test_clear_filters_keeps_the_words(world, db, client):
    html = client.get(URL, {"q": "parking", "year": "2024"}).content.decode()
    assert "1 resource matches" in html
    assert f'href="{URL}?q=parking" data-clear-filters>Clear filters</a>' in html
    assert "data-clear-filters" not in client.get(URL, {"q": "parking"}).content.decode()


def test_no_match_suggests_removing_filters(world, db, client):
    html = client.get(URL, {"q": "zebra", "kind": "tender"}).content.decode()
    assert "0 resources match" in html
    assert "remove some filters" in html
    assert "data-empty" in html


@pytest.mark.parametrize("text", ["😀🎉", "!!! ???", '""', "-- ; */"])
def test_a_query_with_no_words_asks_for_words(world, db, client, text):
    response = client.get(URL, {"q": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter words to search for" in html
    assert 'href="#q"' in html  # in the error summary
    # Nothing to search for: the library, newest first.
    assert html.index("Housing repairs tender") < html.index("Parking permits specification")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("kind", "poem", "Choose a kind of resource from the list"),
        ("licence", "gpl", "Choose a licence from the list"),
        ("service_area", "no-such-area", "Choose a service area from the list"),
        ("workstream", "x" * 500, "Choose a workstream from the list"),
        ("organisation", "barnet\x00", "Choose an author from the list"),
        ("year", "２０２５", "Enter a year as 4 digits, like 2025"),
        ("year", "99999", "Enter a year as 4 digits, like 2025"),
    ],
)
def test_an_unknown_filter_is_left_out_with_a_message(world, db, client, name, value, message):
    response = client.get(URL, {"q": "parking", name: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert f'href="#{name}"' in html
    assert "2 resources match" in html  # the filter is left out, the words still apply


HOSTILE = [
    '"',
    '"unclosed phrase',
    'parking" OR 1=1 --',
    "'; DROP TABLE library_resource; --",
    "NEAR(parking permits, 2)",
    "parking* ^title:permits -zebra",
    "parking & !zebra | (quokka <-> toolkit)",
    "parking\x00permits",
    "\x00",
    "😀 parking 🎉",
    "a" * 10_000,
    "parking " * 2_000,
    "\\' \\\" %_ [] {} <> ::",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_fail_the_page(world, db, client, text):
    response = client.get(URL, {"q": text, "page": text[:50]})
    assert response.status_code == 200


def test_the_page_keeps_no_more_of_a_query_than_is_read(world, db, client):
    html = client.get(URL, {"q": "a" * 10_000}).content.decode()
    assert "a" * search.MAX_QUERY_CHARS in html
    assert "a" * (search.MAX_QUERY_CHARS + 1) not in html


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_searches_without_failing(world, db, text):
    results = selectors.resource_search(user=None, text=text)
    shown = list(results[:5])
    assert len(shown) <= results.count()
    assert all(resource.licence != Licence.MEMBERS_ONLY for resource in shown)


@pytest.mark.parametrize("year", ["0000", "9999"])
def test_a_year_beyond_the_calendar_matches_nothing(world, db, client, year):
    assert list(selectors.resource_search(user=None, text="parking", year=int(year))) == []
    response = client.get(URL, {"q": "parking", "year": year})
    assert response.status_code == 200
