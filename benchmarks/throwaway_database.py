"""The benchmarks' throwaway PostgreSQL database and the environment Django needs, shared by
the scripts in this folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def django_environment() -> None:
    """Set the environment Django needs for a benchmark, each only if unset, and put the
    package's source on the path."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loti.config.settings")
    defaults = {
        "SECRET_KEY": "benchmark-only-secret-key-not-for-any-deployment-0123456789",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "testserver",
    }
    for name, value in defaults.items():
        if not os.environ.get(name):
            os.environ[name] = value
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))


def postgres_benchmark(default_name: str, *, why: str = "") -> tuple[str, str]:
    """The environment Django needs, with DATABASE_URL (which must name a PostgreSQL server)
    pointed at a fresh throwaway database, BENCH_DB or `default_name`. Returns the server's
    URL and the database's name, to drop it after."""
    django_environment()
    url = os.environ.get("DATABASE_URL", "")
    if url.split(":", 1)[0] not in POSTGRES_SCHEMES:
        raise SystemExit(f"DATABASE_URL must be a PostgreSQL URL{why}")
    name = os.environ.get("BENCH_DB", default_name)
    os.environ["DATABASE_URL"] = recreate_postgres(url, name)
    return url, name


def _server(url: str):
    """A connection to the maintenance database of the server `url` points at."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    params = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


def drop_postgres(url: str, name: str) -> None:
    """DROP the database `name` on the server `url` points at, if it is there."""
    from psycopg import sql

    with _server(url) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def recreate_postgres(url: str, name: str) -> str:
    """DROP and CREATE the database `name` (it must contain "bench") on the server `url`
    points at, and return `url` pointing at it. The database in `url` is only connected to."""
    from psycopg import sql

    if "bench" not in name or not name.replace("_", "").isalnum():
        raise SystemExit(f"BENCH_DB must be a plain name containing 'bench', not {name!r}")
    drop_postgres(url, name)
    with _server(url) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    scheme, rest = url.split("://", 1)
    authority, _, tail = rest.partition("/")
    query = tail.partition("?")[2]
    return f"{scheme}://{authority}/{name}" + (f"?{query}" if query else "")
