"""Criteria across years: the demo CCHC-2024 set mapped to CCHC-2023 (one rename, split, merge, new and
dropped criterion). Expected figures are read from the fixtures' own scores, never typed here."""

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from common.numbers import parse_number
from scoring import demo as scoring_demo
from scoring.mapping import MappingError, compare_with_previous, criterion_trend, save_mappings
from scoring.models import Assessment, CriteriaSet, Criterion, CriterionMapping, MappingRelation, ScoreChange
from units.choices import Role
from units.models import Unit

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def fixture_scores(relative: str) -> dict[str, dict]:
    data = json.loads((FIXTURES / relative).read_text(encoding="utf-8"))
    return {row["criterion"]: row for row in data["scores"]}


def appraised(relative: str, *codes: str) -> Decimal:
    scores = fixture_scores(relative)
    return sum((parse_number(scores[code]["appraised"]) for code in codes), Decimal(0))


def mapping_rows(relation: str) -> list[dict]:
    data = json.loads((FIXTURES / "demo/cchc_2024_demo_mapping.json").read_text(encoding="utf-8"))
    return [row for row in data["mappings"] if row["relation"] == relation]


Y2023 = "demo/cchc_2023_h1_vinh_linh.json"
Y2024 = "demo/cchc_2024_demo_h1_vinh_linh.json"


@pytest.fixture
def assessment(demo):
    return Assessment.objects.get(criteria_set__code="CCHC-2024", period__code="2024-H1")


def criterion(code: str, year: int = 2024) -> Criterion:
    return Criterion.objects.get(criteria_set__code=f"CCHC-{year}", code=code)


def test_the_demo_set_says_it_is_invented(assessment):
    criteria_set = assessment.criteria_set
    assert "MINH HỌA" in criteria_set.name and "không phải" in criteria_set.name
    assert "Minh họa" in criteria_set.notes or "minh họa" in criteria_set.notes
    # One of each change, as the mapping file states them.
    relations = Counter(CriterionMapping.objects.filter(to_set=criteria_set).values_list("relation", flat=True))
    assert relations[MappingRelation.RENAMED] == len(mapping_rows("renamed")) == 1
    assert relations[MappingRelation.NEW] == relations[MappingRelation.DROPPED] == 1


def test_a_renamed_criterion_keeps_one_continuous_trend(assessment):
    (row,) = mapping_rows("renamed")
    trend = criterion_trend(criterion(row["to"]), assessment.subject)

    assert [(p.set_code, p.period.code, p.figures.appraised) for p in trend.points] == [
        ("CCHC-2023", "2023-H1", appraised(Y2023, row["from"])),
        ("CCHC-2024", "2024-H1", appraised(Y2024, row["to"])),
    ]
    assert trend.points[0].relation == MappingRelation.RENAMED and not trend.gaps


def test_a_merged_criterion_sums_its_predecessors(assessment):
    merged = mapping_rows("merged")
    (target,) = {row["to"] for row in merged}
    sources = [row["from"] for row in merged]
    trend = criterion_trend(criterion(target), assessment.subject)

    before = trend.points[0]
    assert before.codes == ", ".join(sources)
    assert before.figures.appraised == appraised(Y2023, *sources)
    assert before.figures.max_total == sum(criterion(code, 2023).max_score for code in sources)
    row = next(r for r in compare_with_previous(assessment).rows if r.criterion.code == target)
    assert row.change == appraised(Y2024, target) - appraised(Y2023, *sources)


def test_a_split_criterion_is_shown_at_its_predecessors_level_and_says_so(assessment):
    split = mapping_rows("split")
    (source,) = {row["from"] for row in split}
    for row in split:
        trend = criterion_trend(criterion(row["to"]), assessment.subject)
        before = trend.points[0]
        assert before.codes == source
        assert before.figures.appraised == appraised(Y2023, source)
        assert before.figures.max_total == criterion(source, 2023).max_score
        assert "tách" in before.note and all(r["to"] in before.note for r in split)
        page_row = next(r for r in compare_with_previous(assessment).rows if r.criterion.code == row["to"])
        assert page_row.change is None  # the old figure covers more than this criterion


def test_a_new_criterion_has_a_gap_and_a_dropped_one_only_last_year(assessment):
    (new,) = mapping_rows("new")
    trend = criterion_trend(criterion(new["to"]), assessment.subject)
    assert [p.set_code for p in trend.points] == ["CCHC-2024"]
    assert trend.gaps and "mới" in trend.gaps[0]

    (dropped,) = mapping_rows("dropped")
    comparison = compare_with_previous(assessment)
    (row,) = comparison.dropped
    assert row.previous_criteria[0].code == dropped["from"]
    assert row.before.appraised == appraised(Y2023, dropped["from"]) and row.now is None


def test_an_area_trend_sums_its_leaves_each_year_and_names_what_changed(assessment):
    area = criterion("3")
    trend = criterion_trend(area, assessment.subject)

    for point, relative in zip(trend.points, (Y2023, Y2024)):
        leaves = [code for code in fixture_scores(relative) if code.startswith("3.")]
        assert point.figures.appraised == appraised(relative, *leaves)
    row = next(r for r in compare_with_previous(assessment).rows if r.criterion.code == "3")
    (dropped,) = mapping_rows("dropped")
    assert dropped["from"] in row.note and mapping_rows("merged")[0]["to"] in row.note


def test_the_whole_index_is_compared_with_the_same_kind_of_period(assessment):
    comparison = compare_with_previous(assessment)

    assert comparison.previous.period.code == "2023-H1"  # a half-year beside a half-year, not the year 2023
    assert comparison.overall_before.appraised == appraised(Y2023, *fixture_scores(Y2023))
    assert comparison.overall_now.appraised == appraised(Y2024, *fixture_scores(Y2024))


def test_load_demo_again_changes_nothing(assessment):
    mappings = list(CriterionMapping.objects.order_by("pk").values_list("pk", "relation", "note"))
    changes = ScoreChange.objects.count()

    scoring_demo.load_all()

    assert list(CriterionMapping.objects.order_by("pk").values_list("pk", "relation", "note")) == mappings
    assert ScoreChange.objects.count() == changes


def test_a_mapping_that_contradicts_its_relation_is_refused(assessment):
    old, new = CriteriaSet.objects.get(code="CCHC-2023"), assessment.criteria_set
    with pytest.raises(MappingError):
        save_mappings(old, new, [{"from": "1.2", "to": None, "relation": "same"}])
    with pytest.raises(MappingError):
        save_mappings(old, new, [{"from": "9.99", "to": "1.2", "relation": "renamed"}])


@pytest.fixture
def users(assessment, make_user):
    return {
        "reviewer": make_user("duyet", Role.REVIEWER, Unit.objects.get(name="Phòng Nội vụ")),
        "viewer": make_user("xem", Role.VIEWER),
        "head": make_user("yte", Role.UNIT_HEAD, Unit.objects.get(name="Phòng Y tế")),
    }


def test_the_year_on_year_page_is_reached_from_the_assessment_page(assessment, users, client):
    client.force_login(users["viewer"])

    page = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert reverse("assessment-yoy", args=[assessment.pk]) in page

    response = client.get(reverse("assessment-yoy", args=[assessment.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    (dropped,) = mapping_rows("dropped")
    assert f'data-code="{dropped["from"]}"' in text and "Gộp từ các tiêu chí cũ" in text


def test_the_trend_page_lists_every_year(assessment, users, client):
    (row,) = mapping_rows("renamed")
    client.force_login(users["reviewer"])

    response = client.get(reverse("criterion-trend", args=[assessment.pk, criterion(row["to"]).pk]))

    text = response.content.decode()
    assert response.status_code == 200 and "CCHC-2023" in text and "CCHC-2024" in text


def test_a_unit_head_sees_only_their_units_assessments(assessment, users, client):
    client.force_login(users["head"])

    assert client.get(reverse("assessment-yoy", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("criterion-trend", args=[assessment.pk, criterion("3").pk])).status_code == 404
