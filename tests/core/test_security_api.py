"""The API's lists, limits, schema and errors: every list is read a page at a time, a body
too large is a JSON 413, the schema says which operations need a token, a JSON body's types
are strict, and a database constraint is never named to a client."""

import pytest

from loti.core import services as core_services
from loti.evaluation.activities.models import Activity

pytestmark = pytest.mark.django_db


def bearer(person):
    return {"Authorization": f"Bearer {core_services.api_token_create(person=person, name='t')[1]}"}


def test_the_activities_list_is_read_a_page_at_a_time(client, staff, django_assert_max_num_queries):
    Activity.objects.bulk_create(
        Activity(title=f"Activity {n:03}", slug=f"activity-{n:03}", benefit_model="market_rate")
        for n in range(120)
    )
    headers = bearer(staff)
    with django_assert_max_num_queries(8):
        response = client.get("/api/evaluation/activities", {"limit": 1}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Activity.objects.count()
    assert [row["slug"] for row in body["items"]] == ["activity-000"]
