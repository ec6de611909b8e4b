"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server, with the demo consortium in the live server's database: built once per test
session and copied back in before each test (see `demo_snapshot`).

Chromium is never downloaded: the tests use /usr/bin/chromium and are skipped where it is
absent, unless LOTI_REQUIRE_BROWSER=1 (as in CI), when its absence is a failure.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DEMO_SEED = 2019
SIGN_IN_PATH = "/accounts/sign-in/"

# Records Content-Security-Policy violations in the page, whatever else reports them.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || ""}:${event.lineNumber || ""})`
  );
});
"""


def _require_browser() -> bool:
    return os.environ.get("LOTI_REQUIRE_BROWSER", "") == "1"


@pytest.fixture(scope="module")
def chromium_browser():
    """Chromium for one test module. While Playwright runs, its sync API keeps an asyncio
    event loop in the main thread, and Django's ORM (building the demo, flushing after each
    test) must be told that is safe; both end with the module, so no other test runs so."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is absent (apt-get install chromium); Playwright never downloads one"
        if _require_browser():
            pytest.fail(f"LOTI_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield from _launch()


def _launch():
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo consortium, built once for the session in the (in-memory SQLite) test
    database and kept as a copy of it. On another database there is no copy (None): each
    test builds the demo itself, which is slower but checks the same things."""
    from django.db import connection
    from django.utils import timezone

    from loti.core import demo as core_demo

    if connection.vendor != "sqlite":
        yield None
        return
    with django_db_blocker.unblock():
        core_demo.build(seed=DEMO_SEED, today=timezone.localdate())
        snapshot = sqlite3.connect(":memory:")
        connection.ensure_connection()
        connection.connection.backup(snapshot)
    yield snapshot
    snapshot.close()


@pytest.fixture
def demo(live_server, demo_snapshot):
    """The demo consortium in the live server's (transactional) database, as the session's
    copy holds it; pytest-django flushes the database after each test.

    Returns the live server's base URL."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from loti.core import demo as core_demo

    if demo_snapshot is None:
        core_demo.build(seed=DEMO_SEED, today=timezone.localdate())
    else:
        connection.ensure_connection()
        demo_snapshot.backup(connection.connection)
        # The copy's content types have the ids it was built with; forget any others.
        ContentType.objects.clear_cache()
    return live_server.url


@pytest.fixture
def demo_password():
    from loti.core.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


@dataclass
class PageProblems:
    """Everything a page reported that a healthy page would not."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()


def watch(page) -> PageProblems:
    problems = PageProblems()
    page.on(
        "console",
        lambda message: (
            problems.console_errors.append(f"{message.text} ({message.location.get('url', '')})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    return problems


def assert_no_problems(page, problems: PageProblems) -> None:
    violations = page.evaluate("window.__cspViolations || []")
    assert not violations, f"CSP violations on {page.url}: {violations}"
    assert not problems.page_errors, f"Uncaught errors on {page.url}: {problems.page_errors}"
    assert not problems.console_errors, f"Console errors on {page.url}: {problems.console_errors}"


@pytest.fixture
def new_context(chromium_browser, demo):
    """new_context(**options) -> a new browser context on the live server, closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("base_url", demo)
        context = chromium_browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    page = new_context().new_page()
    page.problems = watch(page)
    return page


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the real form and check it worked."""
    page.goto(SIGN_IN_PATH)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    errors = page.locator(".govuk-error-summary").all_inner_texts()
    assert not errors, f"Signing in as {email} failed: {errors}"
    assert urlsplit(page.url).path != SIGN_IN_PATH, f"Signing in as {email} stayed on {page.url}"
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
