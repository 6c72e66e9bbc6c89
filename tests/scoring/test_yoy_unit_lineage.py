"""Score trends and year-on-year comparisons follow a unit through mergers, splits and renames, and a
criteria set used again the next year maps each criterion to itself. The demo province (fixtures/units/
quang_tri_minh_hoa.json) scores its communes on one set, CCHC-XA-MH, in 2024 (before the reorganisation
of 01/07/2025) and 2025 (after). Expected figures are read from the fixture's own scores."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.numbers import format_number, parse_number
from scoring import demo as scoring_demo
from scoring.mapping import compare_with_previous, criterion_trend
from scoring.models import Assessment, Criterion, MappingRelation, Period
from units import demo as units_demo
from units.models import Unit
from units.succession import rolled_up_index

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
SCORES = json.loads((scoring_demo.FIXTURES / scoring_demo.PROVINCE_ASSESSMENTS_FILE).read_text(encoding="utf-8"))


def succession(kind):
    return next(s for s in PROVINCE["successions"] if s["kind"] == kind)


MERGE, SPLIT, RENAME = succession("merge"), succession("split"), succession("rename")
RENAMED_OR_MERGED = {n for s in PROVINCE["successions"] for n in s["predecessors"] + s["successors"]}


def fixture_appraised(subject: str, period: str, code: str) -> Decimal:
    row = next(a for a in SCORES["assessments"] if a["subject"] == subject and a["period"] == period)
    return next(parse_number(s["appraised"]) for s in row["scores"] if s["criterion"] == code)


def assessment(subject: str, period: str = "2025") -> Assessment:
    return Assessment.objects.select_related("subject", "period", "criteria_set").get(
        subject__name=subject, period__code=period)


def row_of(comparison, code):
    return next(r for r in comparison.rows if r.criterion.code == code)


@pytest.fixture
def province(db, client):
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    scoring_demo.load_province()
    units_demo.create_fixture_users(units_demo.PROVINCE_FILE)
    client.force_login(get_user_model().objects.get(username="reviewer_tinh"))
    return client


def test_a_merged_commune_compares_each_criterion_with_its_predecessors_mean_and_lists_them(province):
    comparison = compare_with_previous(assessment(MERGE["successors"][0]))

    assert sorted(a.subject.name for a in comparison.previous_all) == sorted(MERGE["predecessors"])
    assert comparison.previous.period.code == "2024"
    row = row_of(comparison, "1.1")
    per_unit = {name: fixture_appraised(name, "2024", "1.1") for name in MERGE["predecessors"]}
    assert {unit.name: f.appraised for unit, f in row.before_parts} == per_unit
    assert row.before.appraised == sum(per_unit.values()) / len(per_unit)
    assert row.before.max_total == row.now.max_total  # a mean keeps the criterion's own maximum
    assert row.change == row.now.appraised - row.before.appraised


def test_a_merged_communes_whole_is_the_pooled_index_of_its_predecessors(province):
    successor = Unit.objects.get(name=MERGE["successors"][0])
    comparison = compare_with_previous(assessment(successor.name))

    pooled = rolled_up_index(successor, [Period.objects.get(code="2024")])["2024"]
    assert comparison.overall_before.appraised == pooled.appraised_total
    assert comparison.overall_before.max_total == pooled.max_total
    assert comparison.overall_before.rate_percent == pooled.index_percent


def test_the_year_on_year_page_of_a_merged_commune_says_whose_figures_it_shows(province):
    page = province.get(reverse("assessment-yoy", args=[assessment(MERGE["successors"][0]).pk])).content.decode()

    assert "chưa được đối chiếu" not in page
    assert "gộp từ: " + ", ".join(MERGE["predecessors"]) in page
    assert "không phải bình quân các chỉ số" in page
    cell = re.search(r'data-code="1\.1".*?<span class="parts[^"]*">(.*?)</span>\s*</td>', page, re.S).group(1)
    for unit in Unit.objects.filter(name__in=MERGE["predecessors"]):
        shown = unit.short_name or unit.name
        assert f"{shown}: {format_number(fixture_appraised(unit.name, '2024', '1.1'))}/" in cell


def test_a_merged_communes_criterion_trend_reaches_back_before_the_merger(province):
    target = assessment(MERGE["successors"][0])
    area = Criterion.objects.get(criteria_set=target.criteria_set, code="1")

    trend = criterion_trend(area, target.subject)

    assert [p.period.code for p in trend.points] == ["2024", "2025"]
    before, after = trend.points
    assert before.source.kind == "merge" and after.source is None
    mean = sum(fixture_appraised(n, "2024", c) for n in MERGE["predecessors"] for c in ("1.1", "1.2")) / 3
    assert before.figures.appraised == mean
    assert after.figures.appraised == sum(fixture_appraised(target.subject.name, "2025", c) for c in ("1.1", "1.2"))

    page = province.get(reverse("criterion-trend", args=[target.pk, area.pk])).content.decode()
    assert 'data-period="2024" data-lineage="merge"' in page and 'data-period="2025"' in page
    assert "Gộp từ: " + ", ".join(MERGE["predecessors"]) in page


@pytest.mark.parametrize("successor", SPLIT["successors"])
def test_each_split_commune_compares_with_its_predecessors_whole_figures_labelled(province, successor):
    (old,) = SPLIT["predecessors"]
    comparison = compare_with_previous(assessment(successor))

    assert [a.subject.name for a in comparison.previous_all] == [old]
    assert comparison.source.kind == "split" and not comparison.pooled
    row = row_of(comparison, "2.1")
    assert row.before.appraised == fixture_appraised(old, "2024", "2.1") and row.before_parts == ()
    page = province.get(reverse("assessment-yoy", args=[assessment(successor).pk])).content.decode()
    assert f"tách từ: {old} (số liệu của cả đơn vị cũ, không phân bổ)" in page
    area = Criterion.objects.get(criteria_set=comparison.assessment.criteria_set, code="2")
    assert [p.source.kind if p.source else "" for p in criterion_trend(area, comparison.assessment.subject).points] \
        == ["split", ""]


def test_a_renamed_commune_compares_with_its_former_self(province):
    (old,), (new,) = RENAME["predecessors"], RENAME["successors"]
    comparison = compare_with_previous(assessment(new))

    assert [a.subject.name for a in comparison.previous_all] == [old]
    assert comparison.source.label == f"đổi tên từ: {old}"
    assert row_of(comparison, "3.1").before.appraised == fixture_appraised(old, "2024", "3.1")
    page = province.get(reverse("assessment-yoy", args=[comparison.assessment.pk])).content.decode()
    assert f"đổi tên từ: {old}" in page


def test_a_set_used_again_maps_every_criterion_to_itself_for_an_unchanged_commune(province):
    (name,) = {a["subject"] for a in SCORES["assessments"]} - RENAMED_OR_MERGED
    comparison = compare_with_previous(assessment(name))

    assert comparison.same_set and comparison.source is None
    assert comparison.previous.period.code == "2024" and comparison.previous.subject.name == name
    assert {r.relation for r in comparison.rows} == {MappingRelation.SAME}
    assert all(r.previous_criteria == (r.criterion,) for r in comparison.rows)
    assert row_of(comparison, "2.2").before.appraised == fixture_appraised(name, "2024", "2.2")
    page = province.get(reverse("assessment-yoy", args=[comparison.assessment.pk])).content.decode()
    assert "chưa được đối chiếu" not in page and "Chưa đối chiếu" not in page
    assert "mỗi tiêu chí so với chính nó năm trước" in page


def test_an_old_units_own_pages_keep_only_its_own_figures(province):
    old = assessment(MERGE["predecessors"][0], "2024")

    assert compare_with_previous(old).previous is None  # nothing before 2024 in the demo
    area = Criterion.objects.get(criteria_set=old.criteria_set, code="1")
    points = criterion_trend(area, old.subject).points
    assert [(p.period.code, p.source) for p in points] == [("2024", None)]


def test_the_pages_cost_the_same_queries_for_three_merged_predecessors_one_renamed_or_none(province):
    """Flat in the number of predecessors: the scores of all of them are read in one query."""
    subjects = [MERGE["successors"][0], RENAME["successors"][0],
                next(iter({a["subject"] for a in SCORES["assessments"]} - RENAMED_OR_MERGED))]
    counts = {"yoy": [], "trend": []}
    for name in subjects:
        target = assessment(name)
        area = Criterion.objects.get(criteria_set=target.criteria_set, code="2")
        for page, url in (("yoy", reverse("assessment-yoy", args=[target.pk])),
                          ("trend", reverse("criterion-trend", args=[target.pk, area.pk]))):
            province.get(url)  # warm the session
            with CaptureQueriesContext(connection) as queries:
                assert province.get(url).status_code == 200
            counts[page].append(len(queries))
    assert len(set(counts["yoy"])) == 1 and len(set(counts["trend"])) == 1, counts
    assert counts["yoy"][0] <= 16 and counts["trend"][0] <= 16, counts


def test_a_communes_head_sees_the_predecessors_figures_on_their_own_assessment_only(province, client):
    client.force_login(get_user_model().objects.get(username="head_benhai"))
    own = assessment(MERGE["successors"][0])

    assert client.get(reverse("assessment-yoy", args=[own.pk])).status_code == 200
    old = assessment(MERGE["predecessors"][0], "2024")
    assert client.get(reverse("assessment-yoy", args=[old.pk])).status_code == 404
