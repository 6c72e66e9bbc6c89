"""The home page's totals (scoring.services.assessment_summaries) count each point once: over the leaf
criteria, as the assessment page and the letters do, in a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest

from scoring.computing import compute_assessment
from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score
from scoring.services import assessment_summaries
from units.models import Unit

D = Decimal


@pytest.fixture
def tree(db):
    """A set whose area 1 is scored together with its two children, whose area 2 is a leaf, and whose
    area 3 is scored above an unscored criterion with a scored sub-criterion."""
    criteria_set = CriteriaSet.objects.create(code="THU", name="Bộ thử", kind="cchc", year=2023, subject_kind="district")
    period = Period.objects.create(code="2023", name="Năm 2023", kind="year", year=2023,
                                   start=date(2022, 12, 15), end=date(2023, 12, 14))

    def criterion(code, max_score, parent=None, level="criterion"):
        return Criterion.objects.create(criteria_set=criteria_set, code=code, name=f"Tiêu chí {code}", level=level,
                                        max_score=D(max_score), parent=parent, position=Criterion.objects.count())

    area1 = criterion("1", "3", level="area")
    c11, c12 = criterion("1.1", "1", area1), criterion("1.2", "2", area1)
    area2 = criterion("2", "1", level="area")
    area3 = criterion("3", "4", level="area")
    c31 = criterion("3.1", "4", area3)
    c31a = criterion("3.1.a", "4", c31)
    return criteria_set, period, {"area1": area1, "1.1": c11, "1.2": c12, "area2": area2, "area3": area3,
                                  "3.1.a": c31a}


def _assess(tree, unit, appraised: dict) -> Assessment:
    criteria_set, period, criteria = tree
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=unit)
    Score.objects.bulk_create([
        Score(assessment=assessment, criterion=criteria[name], self_score=D(value), appraised_score=D(value))
        for name, value in appraised.items()
    ])
    return assessment


def test_it_counts_an_area_scored_with_its_children_once(tree):
    unit = Unit.objects.create(name="UBND huyện thử", kind="authority")
    # The area rows carry their own totals (2,5 = 0,5 + 2 and 3 for the sub-criterion) as a letter prints them.
    leaves = {"1.1": "0.5", "1.2": "2", "area2": "1", "3.1.a": "3"}
    assessment = _assess(tree, unit, {"area1": "2.5", "area3": "3", **leaves})

    (summary,) = assessment_summaries([unit])

    criteria = tree[2]
    assert summary.max_total == sum(criteria[name].max_score for name in leaves)
    assert summary.appraised_total == sum(D(value) for value in leaves.values())
    lost = [D(value) - criteria[name].max_score for name, value in leaves.items() if D(value) < criteria[name].max_score]
    assert (summary.deducted_count, summary.deduction_total) == (len(lost), sum(lost))
    # The same figures as the assessment page's totals, which count over the same leaves.
    overall = compute_assessment(assessment).totals().overall
    assert (summary.max_total, summary.appraised_total, summary.deduction_total) == (
        overall.max_total, overall.appraised_total, overall.deduction_total)
    assert summary.index_percent == overall.index_percent


def test_it_leaves_unappraised_leaves_out_of_the_totals(tree):
    unit = Unit.objects.create(name="UBND huyện thử", kind="authority")
    _assess(tree, unit, {"area1": "2.5", "1.1": "0.5", "1.2": "2"})
    Score.objects.filter(criterion__code="1.2").update(appraised_score=None)

    (summary,) = assessment_summaries([unit])

    assert (summary.max_total, summary.appraised_total, summary.deducted_count) == (D(1), D("0.5"), 1)


def test_its_queries_do_not_grow_with_the_units(tree, django_assert_num_queries):
    few = [Unit.objects.create(name=f"UBND xã thử {i}", kind="commune") for i in range(2)]
    many = few + [Unit.objects.create(name=f"UBND xã thử {i}", kind="commune") for i in range(2, 12)]
    for unit in many:
        _assess(tree, unit, {"area1": "2.5", "1.1": "0.5", "1.2": "2", "area2": "1"})

    with django_assert_num_queries(3):
        assert len(assessment_summaries(few)) == 2
    with django_assert_num_queries(3):
        assert len(assessment_summaries(many)) == 12
