"""The portfolio's records, each defined beside the rest of its concept: workstreams, calls
for ideas (with their proposals, assessments, ballots and selection) and projects."""

from loti.portfolio.calls.models import *  # noqa: F403
from loti.portfolio.projects.models import *  # noqa: F403
from loti.portfolio.workstreams.models import *  # noqa: F403
