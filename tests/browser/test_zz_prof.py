import time
import pytest
import tests.browser.test_accessibility as t
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
PATHS = ["/", "/organisations/", "/finance/", "/people/", "/organisations/barnet/", "/history/", "/people/new/", "/advisory-board/"] * 2

def run(page, demo_password):
    sign_in(page, "office@loti.example", demo_password)
    s = time.perf_counter()
    for path in PATHS:
        page.goto(path)
        t.settle(page)
        t.axe_violations(page)
    return time.perf_counter() - s

def test_evaluate(page, demo_password):
    print("EVAL", run(page, demo_password))

def test_init_script(new_context, demo_password):
    ctx = new_context()
    ctx.add_init_script(t.AXE_SOURCE)
    page = ctx.new_page()
    print("INIT", run(page, demo_password))
