"""The appraisal engine: HM Treasury Green Book discounting, optimism bias, benefit models,
present values and their measures, and Monte Carlo. Pure Python and numpy; no Django.

    from loti.evaluation import appraisal
    appraisal.validate(scenario)   # every error, "path: message"; [] when valid
    appraisal.appraise(scenario)   # raises appraisal.ScenarioError when invalid
    appraisal.tornado(scenario)

The scenario format is docs/appraisal-scenario.schema.json; the method is docs/appraisal.md.
"""

from .engine import appraise, rounded, tornado
from .scenario import ScenarioError, validate

__all__ = ["ScenarioError", "appraise", "rounded", "tornado", "validate"]
