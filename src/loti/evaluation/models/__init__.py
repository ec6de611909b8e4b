"""The evaluation's records: appraised activities (`activities`) and the member survey and
interviews (`surveys`)."""

from loti.evaluation.models.activities import *  # noqa: F403
from loti.evaluation.models.surveys import *  # noqa: F403
