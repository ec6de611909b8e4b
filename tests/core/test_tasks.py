import pytest

from loti.core import services
from loti.core.models import TaskProgress


@pytest.mark.django_db
def test_a_path_that_names_no_task_is_refused_before_anything_is_recorded(django_user_model):
    person = django_user_model.objects.create_user(email="someone@example.org")
    with pytest.raises(TypeError, match="is not a task"):
        services.task_start("loti.core.services.task_start", label="Work", requested_by=person)
    with pytest.raises(ImportError):
        services.task_start("loti.core.tasks.no_such_task", label="Work", requested_by=person)
    assert not TaskProgress.objects.exists()


@pytest.mark.django_db
def test_a_started_task_is_enqueued_only_when_its_transaction_commits(
    django_user_model, django_capture_on_commit_callbacks
):
    person = django_user_model.objects.create_user(email="someone@example.org")
    with django_capture_on_commit_callbacks() as callbacks:
        progress = services.task_start(
            "loti.core.tasks.preview_import",
            label="Checking a file",
            requested_by=person,
            result_url="/somewhere/",
            batch_id="00000000-0000-0000-0000-000000000000",
        )
        assert TaskProgress.objects.get().task_result_id == ""
    assert (progress.label, progress.state, progress.result_url) == (
        "Checking a file",
        "queued",
        "/somewhere/",
    )
    assert len(callbacks) == 1
    callbacks[0]()
    progress.refresh_from_db()
    assert progress.task_result_id
