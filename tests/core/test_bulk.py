"""Bulk helpers: saving many rows' fields by primary key, pausing the cyclic collector."""

import datetime
import gc

import pytest

from loti.core.bulk import cyclic_gc_paused, update_each
from loti.core.models import ImportBatch

pytestmark = pytest.mark.django_db


def test_update_each_saves_the_named_fields_of_every_object_and_no_others():
    batches = [
        ImportBatch.objects.create(kind="test.kind", filename=f"{n}.csv", content=b"x")
        for n in range(3)
    ]
    when = datetime.datetime(2026, 11, 29, 12, 30, tzinfo=datetime.UTC)
    for n, batch in enumerate(batches):
        batch.preview = {"rows": n, "problems": [{"row": n, "message": "Ünïcode ‘quotes’"}]}
        batch.state = ImportBatch.State.PREVIEWED
        batch.created_at = when + datetime.timedelta(days=n)
        batch.filename = "not saved.csv"  # not among the fields named
    update_each(ImportBatch, batches[:2], ["preview", "state", "created_at"])
    saved = {batch.pk: batch for batch in ImportBatch.objects.all()}
    for n, batch in enumerate(batches[:2]):
        row = saved[batch.pk]
        assert row.preview == {"rows": n, "problems": [{"row": n, "message": "Ünïcode ‘quotes’"}]}
        assert row.state == ImportBatch.State.PREVIEWED
        assert row.created_at == when + datetime.timedelta(days=n)
        assert row.filename == f"{n}.csv"
    untouched = saved[batches[2].pk]
    assert untouched.preview == {} and untouched.state == ImportBatch.State.UPLOADED


def test_update_each_of_nothing_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        update_each(ImportBatch, [], ["preview"])


def test_the_collector_is_paused_and_restored_even_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # it was off before, so it stays off
    finally:
        gc.enable()
