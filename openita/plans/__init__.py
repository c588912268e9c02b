"""Plan files: an agency's integrity measures for a fiscal year, their progress, and drafting."""

from openita.plans.files import PlanInvalid, dump_plan, load_agency, load_plan, save_plan
from openita.plans.schema import Agency, Measure, Person, Plan, Progress, Results, YearScores

__all__ = [
    "Agency",
    "Measure",
    "Person",
    "Plan",
    "PlanInvalid",
    "Progress",
    "Results",
    "YearScores",
    "dump_plan",
    "load_agency",
    "load_plan",
    "save_plan",
]
