"""The benchmarks' throwaway PostgreSQL database, shared by the scripts in this folder."""

from __future__ import annotations


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
