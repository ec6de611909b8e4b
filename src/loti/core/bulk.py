"""Helpers for work over many rows at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connections, models, router


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for bulk work that allocates hundreds of
    thousands of rows, tuples and dicts, none of them in a reference cycle. Triggered by
    allocations, the collector would traverse them all again and again for nothing (a third
    of the time, or more). Their memory is still freed as usual, when they are no longer
    referenced; only cycles wait, until the collector runs again (or `gc.collect` is called)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def update_each(
    model: type[models.Model], objects: Sequence[models.Model], fields: Sequence[str]
) -> None:
    """Save `fields` of each object, by primary key, as one UPDATE statement run for every
    object (executemany, which psycopg pipelines). QuerySet.bulk_update instead builds one
    statement with a CASE per field listing every object, which costs far more to build and
    to plan once the objects number in the thousands."""
    if not objects:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    # Names from the model's own metadata, quoted; every value is a parameter.
    table, key = quote(meta.db_table), quote(meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    rows = [
        [column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns]
        + [meta.pk.get_db_prep_value(obj.pk, connection)]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
