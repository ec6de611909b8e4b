"""The accessibility crawl shared by the `test_crawl_*` modules: axe-core (vendored) on
every kind of page each persona can reach, to WCAG 2.2 AA.

For each persona: sign in through the real form, then crawl breadth-first from "/" by
following same-origin links (GET only), visiting every kind of page (URL route) before a
second page of the same kind, and run axe on each page.

The personas are crawled by several modules (`CRAWL_MODULES`) because `--dist loadscope`
keeps each module on one worker: in one module the six crawls ran one after another.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_problems, sign_in

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

MAX_PAGES = 160
# One page of each kind, and more of the kinds whose content varies most (another
# organisation's records, a contribution in another state, someone else's account, a call
# for ideas still being voted on beside a published one, each of the navigation's three
# groups): how many pages of each such kind.
REVISITED_ROUTES = {
    "core:section": 3,
    "members:organisation_detail": 2,
    "members:contribution_detail": 2,
    "members:person_detail": 2,
    "portfolio:call_detail": 2,
}
# Downloads (exports, templates, PDFs and JSON documents, which end in .pdf and .json, and
# the library's files, which end in /download/) are files, not pages.
SKIP_PREFIXES = (
    "/accounts/sign-out/",
    "/django-admin/",
    "/api/",
    "/static/",
    "/techmap/export/",
    "/techmap/template/",
)

# The personas of the demo (loti.core.demo.logins()), and the kinds of page (URL names)
# each must reach by following links, so that a crawl which silently stops early fails.
ALWAYS = {
    "core:home",
    "library:resources",
    "library:resource_detail",
    "core:accessibility",
    "members:organisation_list",
    "members:organisation_detail",
    "members:advisory_board",
    "techmap:map",
    "techmap:organisation_estate",
    "techmap:system_detail",
    "techmap:contract_detail",
    "techmap:product_list",
    "techmap:product_detail",
    "techmap:vendor_list",
    "techmap:vendor_detail",
    "techmap:expiry",
    "techmap:market",
    "techmap:tenders",
    "portfolio:projects",
    "portfolio:project_detail",
    "portfolio:timeline",
    "portfolio:quarterly",
    "portfolio:calls",
    "portfolio:call_detail",
    "portfolio:results",
    "evaluation:report_list",
    "evaluation:published_report",
    "datasharing:agreements",
    "datasharing:agreement_detail",
    "datasharing:agreement_document",
    "datasharing:version_detail",
    "datasharing:can_we_share",
    "datasharing:coverage",
    "datasharing:agreement_coverage",
}
# What every member (lead or officer) reaches beyond the public pages.
MEMBER = {
    "techmap:opportunities",
    "techmap:opportunity_detail",
    "techmap:skills",
    "portfolio:proposal_detail",
    "datasharing:reminders",
    "datasharing:screening",
}
PERSONAS = {
    "anonymous": (None, ALWAYS | {"login", "password_reset"}),
    "office": (
        "office@loti.example",
        ALWAYS
        | {
            "members:finance_year",
            "members:membership_detail",
            "members:membership_create",
            "members:membership_edit",
            "members:contribution_detail",
            "members:contribution_create",
            "members:contribution_edit",
            "members:organisation_create",
            "members:organisation_edit",
            "members:people_list",
            "members:person_detail",
            "members:person_create",
            "members:person_edit",
            "members:budget_edit",
            "members:fee_schedule_edit",
            "core:audit_log",
            "password_change",
            "techmap:system_create",
            "techmap:contract_create",
            "techmap:estate_import",
            "techmap:vendor_merge",
            "techmap:vendor_edit",
            "techmap:ocds_imports",
            "members:organisation_aliases",
            "portfolio:call_create",
            "portfolio:call_edit",
            "portfolio:workstream_create",
            "portfolio:project_create",
            "evaluation:home",
            "evaluation:activity_list",
            "evaluation:activity_detail",
            "evaluation:activity_create",
            "evaluation:activity_costs",
            "evaluation:activity_inputs",
            "evaluation:report_draft",
            "evaluation:survey_list",
            "evaluation:survey_detail",
            "evaluation:survey_results",
            "evaluation:interview_list",
            "evaluation:interview_detail",
            "evaluation:theme_list",
            "evaluation:theme_detail",
            "datasharing:agreement_create",
            "datasharing:agreement_templates",
            "datasharing:agreement_edit",
            "datasharing:dpia",
        }
        | MEMBER,
    ),
    "barnet_lead": (
        "barnet.lead@loti.example",
        ALWAYS
        | {
            "members:finance_year",
            "members:membership_detail",
            "members:contribution_detail",
            "members:person_detail",
            "techmap:skills_edit",
            "portfolio:ballot",
        }
        | MEMBER,
    ),
    "barnet_officer": (
        "barnet.officer@loti.example",
        ALWAYS
        | {"members:membership_detail", "members:contribution_detail", "members:person_detail"}
        | MEMBER,
    ),
    "camden_officer": (
        "camden.officer@loti.example",
        ALWAYS
        | {"members:membership_detail", "members:contribution_detail", "members:person_detail"}
        | MEMBER,
    ),
    "met_partner": ("met.partner@loti.example", ALWAYS | {"members:person_detail"}),
    # A partner's person who signs its agreements: the frailty agreement awaits them.
    "royal_free_signatory": (
        "royal-free.signatory@loti.example",
        ALWAYS | {"datasharing:agreement_sign", "datasharing:reminders", "datasharing:screening"},
    ),
}


# Which module crawls as which personas, balanced by how long each crawl takes (the
# office reaches the most kinds of page). Every persona is crawled by exactly one module
# (tests/browser/test_accessibility.py checks it).
CRAWL_MODULES = {
    "tests.browser.test_crawl_office": ("office",),
    "tests.browser.test_crawl_members": ("barnet_lead", "barnet_officer", "camden_officer"),
    "tests.browser.test_crawl_public": ("anonymous", "met_partner", "royal_free_signatory"),
}


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it is now; evaluate is not subject to the page's CSP."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")),
            }));
        }""",
        AXE_TAGS,
    )


def describe(url: str, violations: list[dict]) -> str:
    lines = [f"{url}:"]
    for v in violations:
        lines.append(f"  [{v['id']}] ({v['impact']}) {v['help']}")
        lines.extend(f"      {target}" for target in v["targets"][:10])
        if len(v["targets"]) > 10:
            lines.append(f"      ... and {len(v['targets']) - 10} more")
    return "\n".join(lines)


def settle(page) -> None:
    """Wait for anything drawn after load (charts) before checking the page."""
    page.wait_for_load_state("load")
    charts = page.locator(".loti-chart")
    for i in range(charts.count()):
        expect(charts.nth(i)).to_have_class(re.compile(r"\bloti-chart--rendered\b"))


def route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


class Crawl:
    def __init__(self, origin: str):
        self.origin = urlsplit(origin)
        self.queued: set[str] = set()
        self.queried_paths: set[str] = set()
        self.routes: Counter[str] = Counter()
        self.queue: deque[str] = deque()

    def offer(self, href: str) -> None:
        url = urlsplit(href)
        if (url.scheme, url.netloc) != (self.origin.scheme, self.origin.netloc):
            return
        if (
            url.path.startswith(SKIP_PREFIXES)
            or url.path == "/api"
            or url.path.endswith((".pdf", ".json", "/download/"))
        ):
            return
        target = url.path + (f"?{url.query}" if url.query else "")
        if target in self.queued:
            return
        if url.query:
            # Only the first link with a query string for each path.
            if url.path in self.queried_paths:
                return
            self.queried_paths.add(url.path)
        self.queued.add(target)
        self.queue.append(target)

    def next(self) -> str | None:
        """The first queued page of a kind not yet visited, else the first of a kind
        worth another visit."""
        for revisit in (False, True):
            for target in self.queue:
                route = route_of(urlsplit(target).path)
                limit = REVISITED_ROUTES.get(route, 1) if revisit else 1
                if self.routes[route] < limit:
                    self.queue.remove(target)
                    return target
        return None


def crawl_as(page, demo_password: str, persona: str) -> None:
    """Crawl as the persona and fail with every broken page, every axe violation and every
    expected kind of page the crawl never reached."""
    email, expected_routes = PERSONAS[persona]
    if email:
        sign_in(page, email, demo_password)
    page.goto("/")
    crawl = Crawl(page.evaluate("location.origin"))
    crawl.offer(page.url)

    failures: list[str] = []
    broken: list[str] = []
    visited: list[str] = []
    while len(visited) < MAX_PAGES and (target := crawl.next()) is not None:
        page.problems.clear()
        response = page.goto(target)
        final = urlsplit(page.url)
        route = route_of(final.path)
        crawl.routes[route] += 1
        if route_of(urlsplit(target).path) != route:
            crawl.routes[route_of(urlsplit(target).path)] += 1  # a redirect: count both kinds
        visited.append(f"{target} -> {route}")
        if response is None or response.status >= 400:
            broken.append(f"{target}: HTTP {response.status if response else 'no response'}")
            continue
        settle(page)
        try:
            assert_no_problems(page, page.problems)
        except AssertionError as problem:
            broken.append(str(problem))
        violations = axe_violations(page)
        if violations:
            failures.append(describe(page.url, violations))
        for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)"):
            crawl.offer(href)

    report = "\n".join(visited)
    assert not broken, f"Linked pages that failed for {persona}:\n" + "\n".join(broken)
    assert not failures, f"axe found violations for {persona}:\n" + "\n".join(failures)
    missing = expected_routes - set(crawl.routes)
    assert not missing, (
        f"The crawl as {persona} never reached {sorted(missing)}; it visited:\n{report}"
    )
