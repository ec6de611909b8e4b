"""The library in a real browser: an officer shares a document, then uploads a new version."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_problems, sign_in, watch

pytestmark = pytest.mark.browser

BARNET_OFFICER = "barnet.officer@loti.example"


def test_an_officer_shares_a_document_and_uploads_a_new_version(page, demo_password, tmp_path):
    first = tmp_path / "repairs-specification.md"
    first.write_text("# Repairs specification\n\nResponse times for damp and mould.\n")
    second = tmp_path / "repairs-specification-v2.md"
    second.write_text("# Repairs specification\n\nResponse times for damp, mould and leaks.\n")

    sign_in(page, BARNET_OFFICER, demo_password)
    problems = watch(page)
    page.goto("/library/")
    page.get_by_role("link", name="Add a resource").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a resource to the library")
    page.get_by_label("Title").fill("Responsive repairs specification")
    page.get_by_label("Summary").fill("What a repairs service must respond to, and how fast.")
    page.get_by_label("Technical specification").check()
    page.get_by_label("Open Government Licence v3.0").check()
    page.get_by_label("Version", exact=True).fill("1.0")
    page.get_by_label("Upload a file").set_input_files(str(first))
    page.get_by_label("Publish it now").check()
    page.get_by_role("button", name="Add resource").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Responsive repairs specification")
    expect(page.get_by_role("link", name="Download repairs-specification.md")).to_be_visible()

    page.get_by_role("link", name="Add a new version").click()
    page.get_by_label("Version", exact=True).fill("1.1")
    page.get_by_label("What changed (optional)").fill("Leaks added to the response times.")
    page.get_by_label("Upload a file").set_input_files(str(second))
    page.get_by_role("button", name="Add version").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Responsive repairs specification")
    # The latest version is what people download; the first stays readable below it.
    expect(
        page.get_by_role("link", name="Download repairs-specification-v2.md").first
    ).to_be_visible()
    expect(page.get_by_text("Leaks added to the response times.")).to_be_visible()
    expect(page.get_by_role("link", name="Download repairs-specification.md")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download repairs-specification-v2.md").first.click()
    assert download.value.suggested_filename == "repairs-specification-v2.md"
    assert "damp, mould and leaks" in download.value.path().read_text()
    assert_no_problems(page, problems)
