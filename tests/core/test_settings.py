"""Production settings: no fallback secret, and Django's deploy checks pass."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The subprocess sees a production-like environment: none of the test suite's settings.
SUITE_ONLY = {"SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
ENV = {key: value for key, value in os.environ.items() if key not in SUITE_ONLY}


def run(code: str, cwd=None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
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


def test_outside_a_demo_folder_a_command_says_where_a_secret_key_goes(tmp_path):
    result = run("from loti.cli import main; main(['loti', 'check'])", cwd=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "`loti demo` writes a .env with one" in result.stderr
    assert "--demo" not in result.stderr  # no option that does not exist


def test_the_demo_writes_a_local_env_that_every_other_command_then_reads(tmp_path):
    from loti.cli import write_local_env

    assert write_local_env(tmp_path / ".env")
    first = (tmp_path / ".env").read_text()
    assert not write_local_env(tmp_path / ".env")  # an existing file is kept as it is
    assert (tmp_path / ".env").read_text() == first
    assert (tmp_path / ".env").stat().st_mode & 0o077 == 0  # readable by its owner alone
    key = next(line for line in first.splitlines() if line.startswith("SECRET_KEY="))
    assert len(key.removeprefix("SECRET_KEY=")) >= 50
    scenario = Path(__file__).parents[2] / "docs" / "examples"
    example = sorted(scenario.glob("*.json"))[0]
    # The README's commands, run where the demo ran, with no variable set by hand.
    result = run(
        f"from loti.cli import main; main(['loti', 'appraise', {str(example)!r}])",
        cwd=tmp_path,
        LOTI_ENV_FILE=".env",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Multi-party data-sharing agreement"
    check = run(
        "from loti.cli import main; main(['loti', 'check'])", cwd=tmp_path, LOTI_ENV_FILE=".env"
    )
    assert check.returncode == 0, check.stderr


def test_a_command_in_the_demo_folder_writes_its_env_once(tmp_path):
    result = run(
        "from loti.cli import main; main(['loti', 'serve', '--help'])",
        cwd=tmp_path,
        LOTI_ENV_FILE=".env",
    )
    assert result.returncode == 0, result.stderr
    assert "with a secret key for this local demo" in result.stdout
    assert (tmp_path / ".env").exists()


def test_the_environment_wins_over_the_env_file_and_a_bad_line_is_named(tmp_path):
    (tmp_path / ".env").write_text(
        "# a comment\n\nCONSORTIUM_NAME='From the file'\nSECRET_KEY=" + "f" * 60 + "\n"
    )
    code = (
        "from django.conf import settings; print(settings.CONSORTIUM_NAME, settings.SECRET_KEY[:3])"
    )
    result = run(code, cwd=tmp_path, LOTI_ENV_FILE=".env", SECRET_KEY="e" * 60)
    assert result.stdout.strip() == "From the file eee", result.stderr
    (tmp_path / ".env").write_text("SECRET_KEY=" + "f" * 60 + "\nnot a setting\n")
    result = run(code, cwd=tmp_path, LOTI_ENV_FILE=".env")
    assert result.returncode != 0
    assert "Line 2 of .env is not NAME=value" in result.stderr


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


def test_the_readmes_commands_work_in_a_folder_the_demo_set_up(tmp_path):
    """What a fresh clone has after `make demo`: a `.env` the demo wrote and a migrated
    SQLite database in the working folder, and no variable set by hand."""
    from loti.cli import write_local_env

    write_local_env(tmp_path / ".env")
    local = {"LOTI_ENV_FILE": ".env", "DATABASE_URL": ""}

    def loti(*args: str) -> subprocess.CompletedProcess:
        return run(f"from loti.cli import main; main(['loti', *{list(args)!r}])", tmp_path, **local)

    migrated = loti("migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "loti.sqlite3").exists()
    notices = Path(__file__).parents[1] / "techmap" / "fixtures" / "ocds"
    release_package = notices / "contractsfinder_search_2022-10-19_5releases.json"
    imported = loti("import-ocds", str(release_package), "--dry-run")
    assert imported.returncode == 0, imported.stderr
    assert "Dry run, nothing written" in imported.stdout
    report = loti("evaluate", "--pdf", "report.pdf")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
    stale = loti("fail_stale_work")
    assert stale.returncode == 0, stale.stderr
    assert "0 pieces of work failed" in stale.stdout
    missing = loti("import-ocds", "no-such-file.json")
    assert missing.returncode != 0
    assert "Cannot read no-such-file.json" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_uploaded_files_go_to_a_folder_unless_an_s3_bucket_is_named(tmp_path):
    show = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    folder = run(show, DEBUG="true", MEDIA_ROOT=str(tmp_path))
    assert json.loads(folder.stdout) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }, folder.stderr
    bucket = run(
        show,
        DEBUG="true",
        S3_BUCKET="loti-files",
        S3_ENDPOINT_URL="https://s3.example.internal",
        S3_ACCESS_KEY_ID="key-id",
        S3_SECRET_ACCESS_KEY="key-secret",
    )
    stored = json.loads(bucket.stdout)
    assert stored["BACKEND"] == "storages.backends.s3.S3Storage"
    assert stored["OPTIONS"] == {
        "bucket_name": "loti-files",
        "endpoint_url": "https://s3.example.internal",
        "region_name": None,
        "access_key": "key-id",
        "secret_key": "key-secret",
        "default_acl": "private",
        "file_overwrite": False,
    }
