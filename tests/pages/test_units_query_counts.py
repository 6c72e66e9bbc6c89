"""Bounded queries: each workspace page asks the database the same number of times for a small and
a large generated registry (units, criteria, scores, metric values, tasks, evidence)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import ImportBatch, MetricValue
from scoring.choices import AssessmentStatus, Level, PeriodKind, SetKind, SubjectKind
from scoring.models import Assessment, CriteriaSet, Criterion, Evidence, Period, RemediationTask, Score
from units.choices import Role, UnitKind
from units.models import Unit, UnitAlias

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db
MAX_QUERIES = 25


def build(n_units: int, n_areas: int, per_area: int, tag: str):
    """A district with ``n_units`` communes, a set of n_areas × per_area criteria all scored, each
    criterion answered for by one unit, incoming counts for every unit, a task and a file per unit."""
    district = Unit.objects.create(name=f"UBND huyện {tag}", kind=UnitKind.AUTHORITY)
    units = Unit.objects.bulk_create([
        Unit(name=f"UBND xã {tag} {i}", short_name=f"{tag} {i}", kind=UnitKind.COMMUNE, parent=district, sort_order=i)
        for i in range(n_units)
    ])
    UnitAlias.objects.bulk_create([UnitAlias(unit=u, name=f"Xã {u.short_name}", folded=f"xa {u.pk}") for u in units])
    period = Period.objects.create(code=f"2023-{tag}", name=f"Kỳ {tag}", kind=PeriodKind.HALF_YEAR, year=2023,
                                   start=date(2022, 12, 15), end=date(2023, 6, 14))
    cset = CriteriaSet.objects.create(code=f"SET-{tag}", name=f"Bộ {tag}", kind=SetKind.CCHC, year=2023,
                                      subject_kind=SubjectKind.DISTRICT)
    assessment = Assessment.objects.create(criteria_set=cset, period=period, subject=district,
                                           status=AssessmentStatus.APPRAISED)
    position = 0
    for a in range(n_areas):
        area = Criterion.objects.create(criteria_set=cset, code=str(a + 1), name=f"Lĩnh vực {a + 1}",
                                        level=Level.AREA, max_score=Decimal(per_area), position=position)
        position += 1
        for c in range(per_area):
            criterion = Criterion.objects.create(criteria_set=cset, parent=area, code=f"{a + 1}.{c + 1}",
                                                 name=f"Tiêu chí {a + 1}.{c + 1}", level=Level.CRITERION,
                                                 max_score=Decimal(1), position=position)
            position += 1
            score = Score.objects.create(assessment=assessment, criterion=criterion, self_score=Decimal(1),
                                         appraised_score=Decimal("0.5") if c % 2 else Decimal(1), comment="Thiếu TLKC")
            score.responsible_units.add(units[position % n_units])
            Evidence.objects.create(score=score, file=f"evidence/x-{score.pk}.pdf", original_name="a.pdf",
                                    content_type="application/pdf", size=10)
    batch = ImportBatch.objects.create(file_name=f"{tag}.xlsx", sha256=tag * 4, source="incoming", period=period)
    MetricValue.objects.bulk_create([
        MetricValue(batch=batch, unit=u, period=period, key=key, value=Decimal(value))
        for i, u in enumerate(units)
        for key, value in (("incoming_total", 100), ("incoming_replied", i % 50), ("incoming_closed", 10))
    ])
    RemediationTask.objects.bulk_create([RemediationTask(responsible_unit=u, action="Khắc phục") for u in units])
    return assessment, units


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def pages(assessment, units, head_unit=None):
    score = assessment.scores.first()
    unit = head_unit or units[1]
    return {
        "assessment": reverse("assessment", args=[assessment.pk]),
        "assessment filtered": reverse("assessment", args=[assessment.pk]) + f"?deducted=on&unit={units[1].pk}",
        "score history": reverse("score-detail", args=[assessment.pk, score.pk]),
        "dashboard": reverse("dashboard", args=[assessment.period.code]),
        "units": reverse("unit-list"),
        "unit page": reverse("unit-detail", args=[unit.pk]),
        "home": reverse("home"),
    }


def test_every_page_asks_the_same_number_of_queries_for_3_or_60_units_and_6_or_120_criteria(
        client, make_user, django_assert_max_num_queries):
    small, small_units = build(3, 2, 3, "S")
    large, large_units = build(60, 6, 20, "L")
    make_user("rev", Role.REVIEWER, small_units[0])
    assert client.login(username="rev", password=PASSWORD)
    counts = {}
    for (name, small_url), large_url in zip(pages(small, small_units).items(), pages(large, large_units).values()):
        # Warm the session and content-type caches, and the dashboard's memo (its cold path has a test
        # of its own in test_dashboard_memo.py).
        client.get(small_url)
        client.get(large_url)
        counts[name] = (count(client, small_url), count(client, large_url))
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(large_url)
    assert all(a == b for a, b in counts.values()), counts
    print(counts)


def test_a_unit_heads_portal_is_bounded_too(client, make_user):
    small, small_units = build(3, 2, 3, "S")
    large, large_units = build(60, 6, 20, "L")
    make_user("head_s", Role.UNIT_HEAD, small_units[1])
    make_user("head_l", Role.UNIT_HEAD, large_units[1])
    assert client.login(username="head_s", password=PASSWORD)
    url = reverse("unit-detail", args=[small_units[1].pk])
    client.get(url)
    small_count = count(client, url)
    client.logout()
    assert client.login(username="head_l", password=PASSWORD)
    url = reverse("unit-detail", args=[large_units[1].pk])
    client.get(url)
    assert count(client, url) == small_count <= MAX_QUERIES
