"""The evaluation's records, each defined beside the rest of its concept: evaluated
activities with their costs and inputs, the member survey, interviews, and published
reports."""

from loti.evaluation.activities.models import *  # noqa: F403
from loti.evaluation.interviews.models import *  # noqa: F403
from loti.evaluation.report.models import *  # noqa: F403
from loti.evaluation.surveys.models import *  # noqa: F403
