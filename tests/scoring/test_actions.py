"""set_score: one audited, versioned write per change; stale and locked writes are refused."""

from decimal import Decimal

import pytest

from scoring.actions import ScoreWriteError, StaleScoreError, set_score
from scoring.choices import AssessmentStatus
from scoring.models import Score, ScoreChange
from units.choices import Role
from units.models import Unit


@pytest.fixture
def staff(demo, make_user):
    """A Phòng Nội vụ reviewer, bound to the registry's unit (the shared `reviewer` creates its own)."""
    return make_user("nv_staff", Role.REVIEWER, Unit.objects.get(name="Phòng Nội vụ"))


@pytest.fixture
def score(demo):
    return Score.objects.select_related("criterion").get(assessment__period__code="2023-H1", criterion__code="1.1.3")


def test_it_writes_one_audit_row_per_changed_field(score, staff):
    changes = set_score(score, acting_user=staff, reason="Bổ sung tài liệu kiểm chứng",
                        appraised_score="1,5", comment="Đã bổ sung phụ lục", self_score=score.self_score)
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.50")
    assert score.comment == "Đã bổ sung phụ lục"
    assert score.version == 2
    rows = {c.field: c for c in ScoreChange.objects.filter(score=score)}
    assert set(rows) == {"appraised_score", "comment"}  # self_score was sent unchanged
    assert (rows["appraised_score"].old_value, rows["appraised_score"].new_value) == ("0.85", "1.50")
    assert rows["appraised_score"].changed_by == staff
    assert rows["appraised_score"].reason == "Bổ sung tài liệu kiểm chứng"
    assert len(changes) == 2


def test_it_writes_nothing_when_nothing_changes(score, staff):
    assert set_score(score, acting_user=staff, appraised_score=score.appraised_score) == []
    score.refresh_from_db()
    assert score.version == 1
    assert not ScoreChange.objects.exists()


def test_it_refuses_a_stale_version_and_tells_what_is_stored(score, staff):
    loaded_version = score.version
    set_score(score, acting_user=staff, appraised_score="1")
    stale = Score.objects.get(pk=score.pk)
    with pytest.raises(StaleScoreError) as caught:
        set_score(stale, acting_user=staff, expected_version=loaded_version, appraised_score="2")
    assert caught.value.current["appraised_score"] == Decimal("1.00")
    assert caught.value.current_version == loaded_version + 1
    assert "1.1.3" in str(caught.value) and "phiên bản" in str(caught.value)
    stale.refresh_from_db()
    assert stale.appraised_score == Decimal("1.00")
    assert ScoreChange.objects.count() == 1


def test_it_refuses_a_score_above_the_max(score, staff):
    with pytest.raises(ScoreWriteError, match="điểm tối đa"):
        set_score(score, acting_user=staff, appraised_score="2,5")
    score.refresh_from_db()
    assert score.appraised_score == Decimal("0.85")
    assert score.version == 1


def test_it_refuses_changes_to_a_locked_assessment(score, staff):
    score.assessment.status = AssessmentStatus.LOCKED
    score.assessment.save(update_fields=["status"])
    with pytest.raises(ScoreWriteError, match="chốt điểm"):
        set_score(score, acting_user=staff, appraised_score="1")
    assert not ScoreChange.objects.exists()


def test_it_audits_a_change_of_responsible_units(score, staff):
    tu_phap = Unit.objects.get(name="Phòng Tư pháp")
    before = sorted(u.name for u in score.responsible_units.all())
    set_score(score, acting_user=staff, responsible_units=[*score.responsible_units.all(), tu_phap])
    (change,) = ScoreChange.objects.filter(score=score)
    assert change.old_value == "; ".join(before)
    assert "Phòng Tư pháp" in change.new_value
    assert tu_phap in score.responsible_units.all()


def test_it_requires_the_acting_user_by_keyword(score, staff):
    with pytest.raises(TypeError):
        set_score(score, staff, appraised_score="1")  # noqa: the point is that this is refused
    with pytest.raises(TypeError):
        set_score(score, acting_user=staff, criterion_id=1)
