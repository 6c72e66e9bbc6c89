"""The scoring engine: pure functions, plain values in, Decimal scores out; no ORM here.

scoring/ services read criteria, metrics and scores from the database, build these values, call the
engine and store what it proposes. Everything a user reads (reasons) is in Vietnamese."""

from .costs import PointCost, UnitCost, point_cost
from .methods import (
    MANUAL,
    RATE,
    REFERENCE,
    STEPS,
    SUBJECT,
    TREE,
    ComputedScore,
    CriterionSpec,
    FormulaError,
    compute_criterion,
    parse_steps,
    score_for_rate,
)
from .ranks import Rank, format_rank, rank
from .rounding import HALF_UP, TRUNCATE, RoundingRule, resolve_rounding
from .totals import AssessmentTotals, ScoreLine, Totals, classify, compute_totals, totals_of

__all__ = [
    "HALF_UP", "MANUAL", "RATE", "REFERENCE", "STEPS", "SUBJECT", "TREE", "TRUNCATE",
    "AssessmentTotals", "ComputedScore", "CriterionSpec", "FormulaError", "PointCost", "Rank", "RoundingRule",
    "ScoreLine", "Totals", "UnitCost",
    "classify", "compute_criterion", "compute_totals", "format_rank", "parse_steps", "point_cost", "rank",
    "resolve_rounding", "score_for_rate", "totals_of",
]
