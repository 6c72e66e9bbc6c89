"""Pages that look behind and across the figures of an assessment: where a computed score comes from
(down to the spreadsheet cell) and how each criterion and area compares with earlier years through the
criteria mappings. Read-only; reviewers and leaders see every assessment, a unit head only their unit's."""

from django.shortcuts import get_object_or_404, render

from units.access import role_required

from . import mapping
from .models import Criterion, Score
from .trace import score_trace
from .views import visible_assessments


@role_required()
def score_source(request, pk, score_pk):
    """Formula → numerator and denominator keys → per-unit values → batch → sheet, row and column."""
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    score = get_object_or_404(Score.objects.select_related("criterion"), pk=score_pk, assessment=assessment)
    return render(request, "scoring/trace/score.html", {
        "assessment": assessment, "score": score, "trace": score_trace(score),
    })


@role_required()
def year_on_year(request, pk):
    """Each area and criterion of the assessment beside the subject's earlier assessment, or its
    predecessors' for a year before it was formed (merged ones pooled), said on the page."""
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    comparison = mapping.compare_with_previous(assessment)
    return render(request, "scoring/yoy/assessment.html", {"assessment": assessment, "comparison": comparison})


@role_required()
def criterion_trend(request, pk, criterion_pk):
    """One criterion's (or area's) figures across every year the mappings and the subject's lineage reach."""
    assessment = get_object_or_404(visible_assessments(request.user), pk=pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, criteria_set_id=assessment.criteria_set_id)
    trend = mapping.criterion_trend(criterion, assessment.subject)
    return render(request, "scoring/yoy/trend.html", {"assessment": assessment, "criterion": criterion, "trend": trend})
