"""Indexing the library in bulk reads each resource's latest text in the same query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loti.core import search
from loti.library.models import Kind, Licence, Resource, TextState, Version

pytestmark = pytest.mark.django_db


def test_index_all_reads_the_latest_texts_with_the_resources(borough_a):
    for number in range(5):
        resource = Resource.objects.create(
            title=f"Guide {number}",
            summary="A guide.",
            kind=Kind.GUIDE,
            licence=Licence.OGL,
            published_at=timezone.now(),
        )
        resource.organisations.add(borough_a)
        for label, word in [("1.0", "superseded"), ("2.0", f"current{number}")]:
            Version.objects.create(
                resource=resource,
                label=label,
                link=f"https://example.org/{number}/{label}",
                text=f"The {word} text.",
                text_state=TextState.READ,
            )

    with CaptureQueriesContext(connection) as queries:
        search.index_all(Resource)

    reads = [q["sql"] for q in queries if "library_version" in q["sql"]]
    assert len(reads) == 1, reads
    assert [r.title for r in search.search(Resource.objects.all(), search.parse("current3"))] == [
        "Guide 3"
    ]
    assert not search.search(Resource.objects.all(), search.parse("superseded")).count()
