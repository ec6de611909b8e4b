"""The one settings module, read from environment variables (see `.env.example`), and from a
`.env` file in the working directory for any the environment does not set.

With no environment at all it runs on an embedded SQLite database in the working directory,
but only if DEBUG is on or SECRET_KEY is given: production never falls back to a secret.
`loti demo` writes a `.env` with a generated key for a local demo (loti.cli).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

ENV_FILE_MAX_BYTES = 64 * 1024


def read_env_file(path: Path) -> None:
    """Set each NAME=value of `path` that the environment does not set. Blank lines and
    lines starting with # are skipped; anything else is an error naming its line."""
    if not path.is_file():
        return
    if path.stat().st_size > ENV_FILE_MAX_BYTES:
        raise ImproperlyConfigured(f"{path} is larger than {ENV_FILE_MAX_BYTES // 1024} KB")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImproperlyConfigured(f"{path} is not UTF-8 text") from exc
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        name = name.strip()
        if not equals or not name.isidentifier():
            raise ImproperlyConfigured(f"Line {number} of {path} is not NAME=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(name, value)


# LOTI_ENV_FILE names another file; set empty, none is read (the test suite does so).
ENV_FILE = os.environ.get("LOTI_ENV_FILE", ".env")
if ENV_FILE:
    read_env_file(Path(ENV_FILE))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string in the environment or in a "
            ".env file in this folder (DEBUG is off, so there is no fallback). For a local "
            "demo, `loti demo` writes a .env with one."
        )
    SECRET_KEY = "development-only-key-used-because-DEBUG-is-on-and-SECRET_KEY-is-unset"  # noqa: S105
# Django signs sessions' and password-reset links' contents with it: a short key can be guessed.
SECRET_KEY_MIN_LENGTH = 50
if not DEBUG and len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"SECRET_KEY is too short: {len(SECRET_KEY)} characters, and it needs at least "
        f"{SECRET_KEY_MIN_LENGTH}. Set it to a long random string, for example the output of "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# The consortium this installation serves: its name is data, not code.
CONSORTIUM_NAME = os.environ.get("CONSORTIUM_NAME", "London Office of Technology and Innovation")
# Published contract notices (OCDS) with a CPV code starting with one of these are technology:
# software (48), IT services (72), computer equipment (302), telecommunications services (642)
# and computer maintenance (5031, 5032).
OCDS_CPV_PREFIXES = env_list("OCDS_CPV_PREFIXES", "48,72,302,642,5031,5032")
if not OCDS_CPV_PREFIXES or not all(p.isdigit() and len(p) <= 8 for p in OCDS_CPV_PREFIXES):
    raise ImproperlyConfigured(
        "OCDS_CPV_PREFIXES must list the starts of CPV codes (up to 8 digits), like 48,72"
    )
CONSORTIUM_SHORT_NAME = os.environ.get("CONSORTIUM_SHORT_NAME", "LOTI")
FEEDBACK_EMAIL = os.environ.get("FEEDBACK_EMAIL", "feedback@loti.example")
# Where the site is, for the links in emails sent by background work (no request to ask):
# by default the first of ALLOWED_HOSTS, over https, or `loti serve`'s address locally.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or (
    f"http://{ALLOWED_HOSTS[0]}:8000"
    if ALLOWED_HOSTS[0] in ("127.0.0.1", "localhost")
    else f"https://{ALLOWED_HOSTS[0]}"
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "modelsearch",
    "loti.core",
    "loti.members",
    "loti.techmap",
    "loti.portfolio",
    "loti.library",
    "loti.datasharing",
    "loti.evaluation",
    # The Django admin, signing in through the site's sign-in page and recording its changes
    # in the change history. Last, so that the project's own registration/ templates (the
    # password reset's pages and email) are found before the admin's of the same names.
    "loti.core.admin_site.AdminConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "loti.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "loti.core.middleware.SessionActivityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "loti.core.middleware.SessionAgeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "loti.config.urls"
WSGI_APPLICATION = "loti.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # An app split into concepts (portfolio/calls/, portfolio/projects/, …) keeps each
        # concept's templates beside its views, in <app>/<concept>/templates/.
        "DIRS": sorted(Path(__file__).resolve().parent.parent.glob("*/*/templates")),
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "loti.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "loti.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{Path.cwd() / 'loti.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server and a task worker share the file: write-ahead logging lets readers
    # carry on during a write, and IMMEDIATE transactions wait instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed sign-ins within the window before signing in is paused (see docs/security.md): for
# one email address from one client address, for one email address from anywhere, and from
# one client address for any email address.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_EMAIL_LIMIT = env_int("LOGIN_FAILURE_EMAIL_LIMIT", 50)
LOGIN_FAILURE_CLIENT_LIMIT = env_int("LOGIN_FAILURE_CLIENT_LIMIT", 20)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)

# Sessions end after SESSION_IDLE_SECONDS without a request (to the minute: see
# SessionActivityMiddleware), SESSION_ABSOLUTE_SECONDS after signing in however busy they
# are (SessionAgeMiddleware), and at the latest when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# HTTPS is on unless turned off for a local demo or the test suite.
HTTPS = env_bool("HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD", True)
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@loti.example")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 60 * 60)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Only a deployment collects static files (see docs/deploy.md); the package serves them otherwise.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files (the library's versions): in MEDIA_ROOT, or with S3_BUCKET set in that
# bucket of any S3-compatible store through django-storages (`pip install "loti[s3]"`,
# docs/deploy.md). Either way they are private and served only through the application's
# download views, never from the store's own address. Without S3 keys, boto3 looks for its
# credentials the usual way (an instance's role, say); there is no built-in key.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or str(Path.cwd() / "media")
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
# The library's largest upload, in megabytes (a file is refused above it, saying so).
LIBRARY_MAX_FILE_MEGABYTES = env_int("LIBRARY_MAX_FILE_MEGABYTES", 25)

# Full-text search (core/search.py) through modelsearch's database backend: SQLite's FTS5 or
# PostgreSQL's text search with a GIN index. The `simple` configuration matches words as
# SQLite's tokeniser does, so both databases find the same records.
MODELSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "modelsearch.backends.database",
        "SEARCH_CONFIG": "simple",
        "AUTO_UPDATE": True,
    }
}

# Serve straight from the package so a demo or test needs no collectstatic step.
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# Request limits (docs/security.md, "Lists, requests and the API"). A request's body, other
# than the files it uploads, may be as large as the largest spreadsheet an import takes: the
# bulk estate API's rows (at most 100,000) must fit in it. A larger one is refused before it
# is read, with a JSON 413 on /api/. Uploaded files are spooled to disk past 2.5 MB and
# limited by their forms (50 MB for a spreadsheet, 100 MB for a file of notices); the proxy's
# client_max_body_size (docs/deploy.md) admits the largest.
REQUEST_BODY_MAX_MEGABYTES = 50
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_MEGABYTES * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
