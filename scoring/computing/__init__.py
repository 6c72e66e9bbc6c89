"""Scores from the database through the pure engine: proposals, totals, ranks, point costs.

The engine (scoring.engine) takes values and gives scores; this package reads those values from the
database in a fixed number of queries and hands back plain results. Nothing here writes: storing a
proposal is scoring.actions.store_computed_scores."""

from .analysis import (
    CostRow, RankRow, UnitGain, point_costs, rank_assessments_by_index, rank_units_by_metric, simulate,
    simulation_inputs,
)
from .compute import AssessmentResult, Line, compute_assessment, compute_assessments
from .dependencies import dependent_assessments, referencing_assessments
from .loading import formula_keys

__all__ = [
    "AssessmentResult", "CostRow", "Line", "RankRow", "UnitGain",
    "compute_assessment", "compute_assessments", "dependent_assessments", "formula_keys", "point_costs",
    "referencing_assessments",
    "rank_assessments_by_index", "rank_units_by_metric", "simulate", "simulation_inputs",
]
