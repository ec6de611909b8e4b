"""What every test shares: the personas (office staff, a lead and an officer of borough A, an
officer of borough B, a partner, anonymous), a fast password hasher, hypothesis's profiles,
and a transaction around a whole module for records a module's tests only read."""

import os

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.test.utils import override_settings
from hypothesis import settings as hypothesis_settings
from tests.factories import OrganisationFactory
from tests.personas import ORGANISATIONS, make_person

from loti.techmap import taxonomy

DB_BLOCKER = pytest.StashKey()

# CI runs a fixed number of examples with no deadline: a shared machine's pauses are not
# failures, and the same run gives the same examples. Locally, hypothesis's defaults apply.
hypothesis_settings.register_profile(
    "ci", deadline=None, max_examples=100, derandomize=True, database=None, print_blob=True
)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # Argon2 is the production hasher (tested in tests/core/test_auth.py, marked `argon2`);
    # most tests need a hash, not a slow one.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _production_password_hashing(request):
    if "argon2" in request.keywords:
        production = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
        with override_settings(PASSWORD_HASHERS=production):
            yield
    else:
        yield


def _commits(item) -> bool:
    """Whether a test commits its own transactions, which pytest-django undoes by flushing
    the database after it (as Django's TransactionTestCase does)."""
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & fixtures
    )


@pytest.fixture(autouse=True, scope="session")
def _db_blocker(request, django_db_blocker):
    request.config.stash[DB_BLOCKER] = django_db_blocker


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The browser tests first (after pytest-django has put the tests that commit last): they
    are the longest, and parallel workers finish together when the longest start first."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A flush takes the reference data the migrations load (the technology map's taxonomy)
    with it. Tests run in parallel workers, where one that commits may be followed by any
    other, so that data is loaded again as soon as the flush is done."""
    result = yield
    if _commits(item) and DB_BLOCKER in item.config.stash:
        with item.config.stash[DB_BLOCKER].unblock():
            taxonomy.load(models=django_apps)
    return result


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """One transaction around a whole test module. Module-scoped fixtures that depend on it
    write their records once; each test (which must ask for `db`) runs in a savepoint inside
    it, so it sees them and its own writes are undone; the module's records are rolled back
    after its last test. A test that needs committed transactions of its own
    (`transactional_db`, `live_server`) belongs in another module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        request.module._module_transaction = True
        try:
            yield
        finally:
            request.module._module_transaction = False
            assert connection.in_atomic_block, "a test in this module ended its transaction"
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _inside_a_module_transaction_each_test_has_its_savepoint(request):
    if getattr(request.module, "_module_transaction", False):
        fixtures = set(request.fixturenames)
        if "db" not in fixtures or {"transactional_db", "live_server"} & fixtures:
            pytest.fail(
                f"{request.node.nodeid} is in a module that holds one transaction open "
                "(module_transaction): it must ask for `db`, and a test that needs "
                "committed transactions belongs in another module",
                pytrace=False,
            )


@pytest.fixture
def borough_a(db):
    return OrganisationFactory(**ORGANISATIONS["borough_a"])


@pytest.fixture
def borough_b(db):
    return OrganisationFactory(**ORGANISATIONS["borough_b"])


@pytest.fixture
def police(db):
    return OrganisationFactory(**ORGANISATIONS["police"])


@pytest.fixture
def staff(db):
    return make_person("staff", None)


@pytest.fixture
def lead_a(borough_a):
    return make_person("lead_a", borough_a)


@pytest.fixture
def officer_a(borough_a):
    return make_person("officer_a", borough_a)


@pytest.fixture
def officer_b(borough_b):
    return make_person("officer_b", borough_b)


@pytest.fixture
def partner(police):
    return make_person("partner", police)


@pytest.fixture
def personas(staff, lead_a, officer_a, officer_b, partner):
    return {
        "anonymous": None,
        "staff": staff,
        "lead_a": lead_a,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "partner": partner,
    }


@pytest.fixture
def client_as(client, personas):
    """client_as("officer_a") -> the test client signed in as that persona."""

    def sign_in(persona):
        client.logout()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        return client

    return sign_in
