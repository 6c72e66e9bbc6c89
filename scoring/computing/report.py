"""The compute_scores contract (DESIGN.md): one assessment's criteria, areas, total and index as plain
JSON values, Decimals as strings (scores at two places, rates and the index rounded half-up to two)."""

from decimal import ROUND_HALF_UP, Decimal

from .compute import AssessmentResult

CENT = Decimal("0.01")


def text(value) -> str | None:
    if value is None:
        return None
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def scores_json(result: AssessmentResult) -> dict:
    a = result.assessment
    totals = result.totals()
    criteria = {}
    for line in result.lines:
        computed = line.computed
        criteria[line.code] = {
            "max": text(line.criterion.max_score),
            "self": text(line.score.self_score),
            "appraised": text(line.score.appraised),
            "computed": text(line.proposal),
            "deduction": text(line.deduction),
            "rate": text(computed.rate_percent) if computed is not None else None,
        }
    areas = {
        code: {
            "name": result.areas[code].name,
            "max": text(area.max_total),
            "appraised": text(area.appraised_total),
            "deduction": text(area.deduction_total),
        }
        for code, area in totals.areas.items()
    }
    overall = totals.overall
    return {
        "set": a.criteria_set.code,
        "period": a.period.code,
        "unit": a.subject.name,
        "criteria": criteria,
        "areas": areas,
        "total": {"max": text(overall.max_total), "appraised": text(overall.appraised_total),
                  "deduction": text(overall.deduction_total)},
        "index_percent": text(overall.index_percent),
    }
