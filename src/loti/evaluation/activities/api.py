"""An activity's appraisal over the API, for the office: the engine's full result for the
scenario built from the activity's records, and that scenario itself."""

from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.pagination import paginate

from loti.core.api import ERRORS, Pagination, token_auth, user_of
from loti.core.permissions import Data, can
from loti.evaluation.activities import selectors

router = Router(tags=["evaluation"])


class ActivitySummary(Schema):
    slug: str
    title: str
    benefit_model: str


class AppraisalOut(Schema):
    slug: str
    title: str
    ready: bool
    problems: list[str]
    scenario: dict[str, Any] | None
    result: dict[str, Any] | None


@router.get(
    "/evaluation/activities", response={200: list[ActivitySummary], **ERRORS}, auth=token_auth
)
@paginate(Pagination)
def list_activities(request):
    if not can(user_of(request), Data.EVALUATION):
        raise PermissionDenied
    # A summary needs none of the costs and inputs the selector reads with each activity.
    return selectors.activity_list(user=user_of(request)).prefetch_related(None)


@router.get(
    "/evaluation/activities/{slug}/appraisal",
    response={200: AppraisalOut, **ERRORS},
    auth=token_auth,
)
def activity_appraisal(request, slug: str):
    activity = selectors.activity_for(user=user_of(request), slug=slug)
    appraisal = selectors.activity_appraisal(activity=activity)
    return {
        "slug": activity.slug,
        "title": activity.title,
        "ready": appraisal["ready"],
        "problems": appraisal["problems"],
        "scenario": appraisal["scenario"],
        "result": appraisal["result"],
    }
