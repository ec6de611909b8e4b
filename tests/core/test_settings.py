"""Production settings: no fallback secret, and Django's deploy checks pass."""

import os
import subprocess
import sys

import pytest

# The subprocess sees a production-like environment: none of the test suite's settings.
SUITE_ONLY = {"SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
ENV = {key: value for key, value in os.environ.items() if key not in SUITE_ONLY}


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**ENV, "DJANGO_SETTINGS_MODULE": "loti.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run("import django; django.setup()")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_alone_may_use_a_development_key():
    result = run(
        "from django.conf import settings; print(settings.DEBUG, len(settings.SECRET_KEY) > 20)",
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"


def test_production_settings_pass_the_deploy_check():
    result = run(
        "from loti.cli import main; main(['loti', 'check', '--deploy', '--fail-level', 'WARNING'])",
        SECRET_KEY="k" * 20 + "production-like-secret-of-fifty-plus-characters-x9",
        ALLOWED_HOSTS="loti.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_boolean_is_an_error_not_a_guess(value):
    result = run("import django; django.setup()", SECRET_KEY="x" * 60, DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_database_url_selects_postgresql():
    result = run(
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'])",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://someone@db.internal:5432/loti",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "loti", "db.internal"]


def test_the_demo_commands_alone_set_local_demo_settings():
    from loti.cli import LOCAL_DEMO_COMMANDS

    assert {"demo", "serve"} == LOCAL_DEMO_COMMANDS
    result = run("from loti.cli import main; main(['loti', 'check'])")
    assert "SECRET_KEY is not set" in result.stderr


def test_the_technology_cpv_filter_is_read_from_the_environment():
    code = "from django.conf import settings; print(settings.OCDS_CPV_PREFIXES)"
    assert run(code, SECRET_KEY="x" * 60).stdout.strip() == str(
        ["48", "72", "302", "642", "5031", "5032"]
    )
    assert run(code, SECRET_KEY="x" * 60, OCDS_CPV_PREFIXES="48, 7226").stdout.strip() == str(
        ["48", "7226"]
    )
    result = run("import django; django.setup()", SECRET_KEY="x" * 60, OCDS_CPV_PREFIXES="48,IT")
    assert result.returncode != 0
    assert "OCDS_CPV_PREFIXES must list the starts of CPV codes" in result.stderr


def test_logs_go_to_standard_output():
    result = run(
        "import django, logging; django.setup(); logging.getLogger('loti.x').warning('hello')",
        SECRET_KEY="x" * 60,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING loti.x hello" in result.stdout
    assert "hello" not in result.stderr
