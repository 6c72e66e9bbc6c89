"""A computed score is a proposal: the reviewer accepts it (appraised := computed) or overrides it with
a reason; the audit keeps the proposal and the decision."""

from decimal import Decimal

import pytest

from scoring.actions import ScoreWriteError, accept_computed, override_computed, store_computed_scores
from scoring.models import Assessment, Period, ScoreChange
from documents.models import ImportBatch, MetricValue
from units.choices import Role
from units.models import Unit

from .engine_seeds import dvc_rows, letter_figure


@pytest.fixture
def reviewer(demo, make_user):
    return make_user("duyet", Role.REVIEWER, Unit.objects.get(name="Phòng Nội vụ"))


@pytest.fixture
def proposed(demo, reviewer):
    """HTNV 2023-R1 with the DVCTT figures of seed 000 stored, proposals computed."""
    period = Period.objects.get(code="2023-R1")
    batch = ImportBatch.objects.create(file_name="t.xlsx", sha256="1" * 64, source="online_services", period=period)
    unit = Unit.objects.get(name="UBND huyện Vĩnh Linh")
    # Seed 000, appendix 1, UBND huyện's own row only (its communes are left out here).
    for key, value in dvc_rows()[0]["1. UBND huyện Vĩnh Linh"]["metrics"].items():
        MetricValue.objects.create(batch=batch, unit=unit, period=period, key=key, value=value)
    assessment = Assessment.objects.get(period=period)
    store_computed_scores(assessment, acting_user=reviewer)
    return assessment.scores.get(criterion__code="VI.2.b")


def test_it_accepts_the_proposal_as_the_appraised_score_and_audits_both(proposed, reviewer):
    (stated,) = letter_figure("000", r"phát sinh hồ sơ trực tuyến ([\d,]+)/2")
    assert proposed.computed_score == stated  # (7)+(9) / (6)+(8) × 2 of UBND huyện's row: the round-1 figure
    proposed.appraised_score = None  # as before the council met
    proposed.save(update_fields=["appraised_score"])
    accept_computed(proposed, acting_user=reviewer)
    proposed.refresh_from_db()
    assert proposed.appraised_score == proposed.computed_score == stated
    fields = list(ScoreChange.objects.filter(score=proposed).order_by("id").values_list("field", "changed_by"))
    assert fields == [("computed_score", reviewer.pk), ("appraised_score", reviewer.pk)]


def test_an_override_needs_a_reason_and_keeps_the_proposal(proposed, reviewer):
    with pytest.raises(ScoreWriteError, match="lý do"):
        override_computed(proposed, acting_user=reviewer, appraised_score="1,5", reason="  ")
    override_computed(proposed, acting_user=reviewer, appraised_score="1,5", reason="Hội đồng chấm lại theo danh mục mới")
    proposed.refresh_from_db()
    assert proposed.appraised_score == Decimal("1.50") and proposed.computed_score is not None
    change = ScoreChange.objects.get(score=proposed, field="appraised_score")
    assert (change.new_value, change.reason) == ("1.50", "Hội đồng chấm lại theo danh mục mới")


def test_it_refuses_to_accept_what_was_not_computed(demo, reviewer):
    score = Assessment.objects.get(period__code="2023").scores.get(criterion__code="I.A.1.1")
    with pytest.raises(ScoreWriteError, match="chưa có điểm tính"):
        accept_computed(score, acting_user=reviewer)
