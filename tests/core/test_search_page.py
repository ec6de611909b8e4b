"""The results page of the one search: grouped by kind, only what its reader may read, and
never an error whatever is typed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from loti.core import search
from loti.library.models import Kind, Licence, Resource
from loti.techmap.models import Product, ProductCategory, Vendor
from tests.personas import PERSONAS, build_personas

URL = reverse("core:search")
OPEN = "Parking permits specification"
MEMBERS = "Parking enforcement tender pack"
DRAFT = "Parking business case draft"


def resource(title, *, licence=Licence.OGL, published=True, authors=()):
    made = Resource.objects.create(
        title=title,
        summary=f"{title}: what the boroughs wrote about parking <b>permits</b>.",
        kind=Kind.SPECIFICATION,
        licence=licence,
        published_at=timezone.now() if published else None,
    )
    made.organisations.set(authors)
    return made


@pytest.fixture(scope="module")
def objects(module_transaction):
    built = build_personas()
    borough_a = built["borough_a"]
    resource(OPEN, authors=[borough_a])
    resource(MEMBERS, licence=Licence.MEMBERS_ONLY, authors=[borough_a])
    resource(DRAFT, published=False, authors=[borough_a])
    kerbside = Vendor.objects.create(
        name="Kerbside Ltd", normalised_name="kerbside", slug="kerbside-ltd"
    )
    category = ProductCategory.objects.first()
    for n in range(search.PER_KIND + 2):
        Product.objects.create(
            vendor=kerbside, name=f"Parking Manager {n}", slug=f"pm-{n}", category=category
        )
    return {"personas": {name: built[name] for name in PERSONAS}}


def get(client, objects, persona, **params):
    client.logout()
    if objects["personas"][persona] is not None:
        client.force_login(objects["personas"][persona])
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_results_are_grouped_by_kind_with_counts_and_links(db, client, objects):
    response = get(client, objects, "staff", q="parking")
    groups = response.context["groups"]
    assert [group.kind.key for group in groups][:2] == ["library", "products"]
    library, products = groups[0], groups[1]
    assert library.total == 3
    assert products.total == search.PER_KIND + 2
    assert len(products.hits) == search.PER_KIND
    page = response.content.decode()
    assert "Search results for “parking”" in page
    assert '<h2 class="govuk-heading-m govuk-!-margin-bottom-1" id="kind-products">Products' in page
    assert "<mark>parking</mark>" in page
    # The snippet's own markup is escaped, never rendered.
    assert "&lt;b&gt;permits&lt;/b&gt;" in page
    assert "See all 7 products" in page
    assert products.more_url == "?q=parking&kind=products"
    # The library has its own search page, with its filters; with all three shown here,
    # the page does not offer it.
    assert library.more_url == "/library/?q=parking"
    assert "See all 3 library resources" not in page


def test_a_kind_with_its_own_search_page_links_to_it_when_there_are_more(db, client, objects):
    for n in range(search.PER_KIND):
        resource(f"Parking guide {n}")
    page = get(client, objects, "anonymous", q="parking").content.decode()
    assert (
        '<a class="govuk-link" href="/library/?q=parking">See all 6 library resources</a>' in page
    )


def test_see_all_lists_every_result_of_one_kind(db, client, objects):
    response = get(client, objects, "anonymous", q="parking", kind="products")
    assert response.context["kind"].key == "products"
    assert len(response.context["hits"]) == search.PER_KIND + 2
    assert "Products: 7 results" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "seen"),
    [
        ("anonymous", {OPEN}),
        ("partner", {OPEN, MEMBERS}),
        ("officer_b", {OPEN, MEMBERS}),
        ("officer_a", {OPEN, MEMBERS, DRAFT}),
        ("lead_a", {OPEN, MEMBERS, DRAFT}),
        ("staff", {OPEN, MEMBERS, DRAFT}),
    ],
)
def test_a_title_reaches_only_those_who_may_read_it(db, client, objects, persona, seen):
    page = get(client, objects, persona, q="parking").content.decode()
    for title in (OPEN, MEMBERS, DRAFT):
        assert (title in page) == (title in seen), (persona, title)
    # Nor does a count give an unreadable one away.
    (library,) = [
        g
        for g in get(client, objects, persona, q="parking").context["groups"]
        if g.kind.key == "library"
    ]
    assert library.total == len(seen)


@pytest.mark.parametrize(
    ("persona", "seen"), [("anonymous", [OPEN]), ("staff", [MEMBERS, DRAFT, OPEN])]
)
def test_a_kinds_full_list_shows_only_what_its_reader_may_read(db, client, objects, persona, seen):
    response = get(client, objects, persona, q="parking", kind="library")
    assert sorted(hit.title for hit in response.context["hits"]) == sorted(seen)
    page = response.content.decode()
    assert all((title in page) == (title in seen) for title in (OPEN, MEMBERS, DRAFT))


@pytest.mark.parametrize("persona", ["anonymous", "partner", "officer_b"])
def test_searching_a_hidden_title_word_for_word_finds_nothing_of_it(db, client, objects, persona):
    page = get(client, objects, persona, q=f'"{DRAFT}"').content.decode()
    assert "There are no results for" in page
    assert DRAFT not in page.replace(f"“&quot;{DRAFT}&quot;”", "").replace(
        f'value="&quot;{DRAFT}&quot;"', ""
    )


def test_without_words_the_page_asks_for_some(db, client, objects):
    page = get(client, objects, "anonymous", q="  *** ").content.decode()
    assert "<title>Error: Search" in page
    assert "Enter words to search for" in page
    assert "govuk-input--error" in page
    # Arriving with no search at all is no error.
    page = get(client, objects, "anonymous").content.decode()
    assert "Enter words to search for" not in page
    assert '<h1 class="govuk-heading-l">Search</h1>' in page


def test_no_results_says_how_to_find_more(db, client, objects):
    page = get(client, objects, "anonymous", q="zebra crossing").content.decode()
    assert "There are no results for “zebra crossing”" in page
    assert "checking your spelling" in page
    assert "Sign in</a> to search them too" in page


def test_every_page_has_the_search_box_in_its_header(db, client, objects):
    page = get(client, objects, "anonymous", q="parking").content.decode()
    header = page.split("</header>")[0]
    assert f'action="{URL}"' in header
    assert 'name="q"' in header
    assert '<label class="govuk-visually-hidden" for="header-search">Search' in header
    home = client.get(reverse("core:home")).content.decode().split("</header>")[0]
    assert 'id="header-search"' in home


HOSTILE = [
    '"',
    '"""',
    "'",
    "parking'; DROP TABLE library_resource; --",
    "' OR 1=1 --",
    "parking OR permits",
    "NEAR(parking permits, 2)",
    "parking*",
    "-parking",
    "^parking",
    "title:parking",
    "parking & !permits | (x <-> y)",
    "%",
    "_",
    "\\",
    "\0",
    "parking\0permits",
    "🅿️🚗 parking 🚦",
    "x" * 10_000,
    "parking " * 2_000,
    '"parking" "',
    "<script>alert(1)</script>",
    "{{ request }}{% debug %}",
    "İstanbul ǅemal ﬁle",
    "\u202eparking\u200b\ufeff",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[str(n) for n in range(len(HOSTILE))])
def test_no_query_gives_an_error(db, client, objects, text):
    for persona in ("anonymous", "officer_a"):
        response = get(client, objects, persona, q=text)
        # What was typed is shown back as text, never as markup.
        assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize(
    "params",
    [
        {"q": "parking", "kind": "nope"},
        {"q": "parking", "kind": "products", "page": "9999"},
        {"q": "parking", "kind": "products", "page": "-1'"},
        {"q": ["parking", "permits"]},
        {"kind": "products"},
    ],
)
def test_odd_parameters_give_no_error(db, client, objects, params):
    get(client, objects, "anonymous", **params)
