"""The accessibility crawl as the office, the persona that reaches the most pages.

The crawl itself is in tests/browser/crawl.py; each module is one worker's share.
"""

import pytest

from tests.browser.crawl import CRAWL_MODULES, crawl_as

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("persona", CRAWL_MODULES[__name__])
def test_every_page_a_persona_reaches(page, demo_password, persona):
    crawl_as(page, demo_password, persona)
