"""The portfolio's records: rounds and what is proposed and voted in them (`rounds`), and the
projects chosen, run in six-week cycles (`projects`)."""

from loti.portfolio.models.projects import *  # noqa: F403
from loti.portfolio.models.rounds import *  # noqa: F403
