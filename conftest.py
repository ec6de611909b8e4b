"""What every test shares: the personas (office staff, a lead and an officer of borough A, an
officer of borough B, a partner, anonymous), a fast password hasher, hypothesis's profiles,
and a transaction around a whole module for records a module's tests only read."""

import os

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
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


@pytest.fixture(autouse=True, scope="session")
def _uploads_in_a_temporary_folder(tmp_path_factory):
    """Uploaded files (the library's versions) go to a folder of the run's own, never the
    working copy's media/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _an_empty_cache():
    """What one test keeps in the cache (the data-sharing coverage matrix) is not another's:
    records rolled back after a test may come again with the same ids and times."""
    cache.clear()


@pytest.fixture(autouse=True)
def _production_password_hashing(request):
    if "argon2" in request.keywords:
        production = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
        with override_settings(PASSWORD_HASHERS=production):
            yield
    else:
        yield


def _uses_the_database(item) -> bool:
    # pytest-django keeps every other test from the database, so these are all there are.
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server", "module_transaction"} & fixtures
    )


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


def pytest_itemcollected(item):
    """Schemathesis gives each API operation's test the same id, which parallel workers take
    for one test: each is named for its operation, so that every one runs. And tests that
    use the database are marked `database`, so that CI runs just those again on PostgreSQL."""
    operation = getattr(item, "operation_label", None)
    if operation and item.id.params is None:
        item._id = item.id.with_params(operation)
    if _uses_the_database(item):
        item.add_marker(pytest.mark.database)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The browser tests first (after pytest-django has put the tests that commit last): they
    are the longest, and parallel workers finish together when the longest start first."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A flush takes the reference data the migrations load (the technology map's taxonomy)
    with it. Tests run in parallel workers, where one that commits may be followed by any
    other, so that data is loaded again as soon as the flush is done; after the last test
    the test database is gone, and nothing is loaded."""
    result = yield
    if nextitem is not None and _commits(item) and DB_BLOCKER in item.config.stash:
        with item.config.stash[DB_BLOCKER].unblock():
            taxonomy.load(models=django_apps)
    return result


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """One transaction around a whole test module. Module-scoped fixtures that depend on it
    write their records once; each test that asks for `db` runs in a savepoint inside it, so
    it sees them and its own writes are undone; the module's records are rolled back after
    its last test. A test that needs committed transactions of its own
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
def _each_test_in_a_module_transaction_has_its_savepoint(request, django_db_blocker):
    """In a module holding a transaction open, a test that asks for `db` gets its savepoint;
    one that does not is kept from the database, as it would be anywhere else; one that
    needs committed transactions cannot run there at all."""
    if not getattr(request.module, "_module_transaction", False):
        yield
        return
    fixtures = set(request.fixturenames)
    if {"transactional_db", "live_server"} & fixtures:
        pytest.fail(
            f"{request.node.nodeid} needs committed transactions, but its module holds one "
            "transaction open (module_transaction): it belongs in another module",
            pytrace=False,
        )
    if "db" in fixtures:
        yield
    else:
        with django_db_blocker.block():
            yield


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
