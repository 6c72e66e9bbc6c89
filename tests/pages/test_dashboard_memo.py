"""The dashboard computes every card once per change of the data (common.memo) and shows a page of
cards at a time: what a reviewer sees must still be the figures of the moment, ranked among all the
units of their authority, and a unit's "whole" rate is that of its own authority's tree."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common import memo
from documents.models import ImportBatch, MetricValue
from scoring.actions import set_score
from scoring.choices import AssessmentStatus, Level, PeriodKind, SetKind, SubjectKind
from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score
from scoring.views import CARDS_PER_PAGE
from units.choices import AuthorityLevel, Role, UnitKind
from units.models import Authority, Unit
from units.views import whole_rates

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def authority(tag: str, communes: int, period: Period, cset: CriteriaSet):
    """A root with ``communes`` communes, each assessed on ``cset`` with 3 criteria of 1 point: commune
    i keeps i % 4 quarter points of the last criterion, so their indexes differ and some tie."""
    root = Unit.objects.create(name=f"UBND huyện {tag}", kind=UnitKind.AUTHORITY)
    Authority.objects.create(unit=root, level=AuthorityLevel.DISTRICT, division="huyện", place=tag,
                             province="Thử", short_name="UBND huyện")
    units = Unit.objects.bulk_create([
        Unit(name=f"UBND xã {tag} {i:02d}", short_name=f"{tag} {i:02d}", kind=UnitKind.COMMUNE, parent=root, sort_order=i)
        for i in range(communes)
    ])
    criteria = list(cset.criteria.filter(level=Level.CRITERION).order_by("position"))
    for i, unit in enumerate(units):
        assessment = Assessment.objects.create(criteria_set=cset, period=period, subject=unit,
                                               status=AssessmentStatus.APPRAISED)
        Score.objects.bulk_create([
            Score(assessment=assessment, criterion=c, self_score=Decimal(1),
                  appraised_score=Decimal(i % 4) / 4 if c == criteria[-1] else Decimal(1))
            for c in criteria
        ])
    return root, units


@pytest.fixture
def period(db):
    return Period.objects.create(code="2023-T", name="Kỳ thử", kind=PeriodKind.HALF_YEAR, year=2023,
                                 start=date(2022, 12, 15), end=date(2023, 6, 14))


@pytest.fixture
def cset(db):
    cset = CriteriaSet.objects.create(code="XA-T", name="Bộ xã thử", kind=SetKind.CCHC, year=2023,
                                      subject_kind=SubjectKind.COMMUNE)
    area = Criterion.objects.create(criteria_set=cset, code="1", name="Lĩnh vực 1", level=Level.AREA,
                                    max_score=Decimal(3), position=0)
    for n in range(1, 4):
        Criterion.objects.create(criteria_set=cset, parent=area, code=f"1.{n}", name=f"Tiêu chí 1.{n}",
                                 level=Level.CRITERION, max_score=Decimal(1), position=n)
    return cset


def cards(page: str) -> dict[str, str]:
    """{unit name: the card's text} of a dashboard page."""
    found = {}
    for body in re.findall(r'<article class="card result".*?</article>', page, re.S):
        name = re.search(r'<p class="muted">(.*?) ·', body, re.S).group(1).strip()
        found[name] = body
    return found


def rank_of(card: str) -> str:
    return re.search(r"<dt>Xếp hạng</dt><dd>(.*?)</dd>", card).group(1)


def dashboard(client, period, page=1) -> str:
    response = client.get(reverse("dashboard", args=[period.code]), {"trang": page})
    assert response.status_code == 200
    return response.content.decode()


def test_thirty_units_fill_a_first_page_of_cards_and_the_rest_on_the_second_ranked_among_all_thirty(
        client, make_user, period, cset):
    root, units = authority("A", 30, period, cset)
    make_user("rev", Role.REVIEWER, root)
    client.login(username="rev", password=PASSWORD)
    first, second = cards(dashboard(client, period, 1)), cards(dashboard(client, period, 2))
    assert len(first) == CARDS_PER_PAGE and len(second) == 30 - CARDS_PER_PAGE
    assert not set(first) & set(second)
    # Units 3, 7 … 27 keep 3/4 of the last point (7 units, first), 2, 6 … 26 half (7), 1, 5 … 29 a quarter
    # (8), 0, 4 … 28 nothing (8): equal indexes share a rank and the next rank skips.
    every = {**first, **second}
    ranks = {r: {rank_of(every[u.name]) for i, u in enumerate(units) if i % 4 == r} for r in range(4)}
    assert ranks == {3: {"01/30"}, 2: {"08/30"}, 1: {"15/30"}, 0: {"23/30"}}
    assert "?trang=2" in dashboard(client, period, 1)


def test_a_score_saved_after_a_visit_shows_on_the_next_visit(client, make_user, period, cset):
    root, units = authority("A", 3, period, cset)
    reviewer = make_user("rev", Role.REVIEWER, root)
    client.login(username="rev", password=PASSWORD)
    assert "66,67 %" in cards(dashboard(client, period))[units[0].name]  # 2 of 3 points
    score = Score.objects.get(assessment__subject=units[0], criterion__code="1.1")
    set_score(score, acting_user=reviewer, appraised_score=Decimal("0.5"), reason="Thiếu tài liệu kiểm chứng")
    card = cards(dashboard(client, period))[units[0].name]
    assert "50,00 %" in card and "-1,50" in card


def test_a_score_written_in_bulk_without_signals_still_shows(client, make_user, period, cset):
    # A bulk path (a recompute, a restore) updates rows with .update(): no signal fires, but every
    # such path bumps the version, which the fingerprint reads.
    root, units = authority("A", 3, period, cset)
    make_user("rev", Role.REVIEWER, root)
    client.login(username="rev", password=PASSWORD)
    dashboard(client, period)
    Score.objects.filter(assessment__subject=units[0]).update(appraised_score=0, version=F("version") + 1)
    assert "0,00 %" in cards(dashboard(client, period))[units[0].name]


def test_a_reviewer_bound_to_one_authority_sees_and_ranks_only_its_units(client, make_user, period, cset):
    root_a, units_a = authority("A", 4, period, cset)
    _, units_b = authority("B", 4, period, cset)
    make_user("rev", Role.REVIEWER, root_a)
    client.login(username="rev", password=PASSWORD)
    shown = cards(dashboard(client, period))
    assert set(shown) == {u.name for u in units_a}
    assert [rank_of(shown[u.name]) for u in units_a] == ["04/04", "03/04", "02/04", "01/04"]


def test_the_cold_dashboard_asks_as_many_queries_for_60_units_as_for_3(client, make_user, period, cset):
    root_small, _ = authority("S", 3, period, cset)
    large_period = Period.objects.create(code="2023-L", name="Kỳ lớn", kind=PeriodKind.HALF_YEAR, year=2023,
                                         start=date(2022, 12, 15), end=date(2023, 6, 14))
    authority("L", 60, large_period, cset)
    make_user("rev", Role.REVIEWER)
    client.login(username="rev", password=PASSWORD)
    dashboard(client, period)  # the session, the content types
    counts = []
    for p in (period, large_period):
        memo.data_changed()  # nothing kept: every figure computed in this request
        with CaptureQueriesContext(connection) as cold:
            dashboard(client, p)
        with CaptureQueriesContext(connection) as warm:
            dashboard(client, p)
        counts.append((len(cold), len(warm)))
    assert counts[0] == counts[1], counts
    assert counts[0][1] < counts[0][0]  # a warm visit reads the figures, not the scores


def test_a_units_whole_rate_is_that_of_its_own_authority_not_of_every_unit(period, cset):
    root_a, units_a = authority("A", 2, period, cset)
    root_b, units_b = authority("B", 2, period, cset)
    batch = ImportBatch.objects.create(file_name="den.xlsx", sha256="a" * 64, source="incoming", period=period)
    counts = {units_a[0]: (100, 50), units_a[1]: (300, 150), units_b[0]: (100, 100), units_b[1]: (100, 100)}
    MetricValue.objects.bulk_create([
        MetricValue(batch=batch, unit=unit, period=period, key=key, value=Decimal(value))
        for unit, (total, replied) in counts.items()
        for key, value in (("incoming_total", total), ("incoming_replied", replied), ("incoming_closed", 0))
    ])
    assert whole_rates(root_a, [period.pk])[(period.pk, "incoming_processed_rate")] == Decimal(50)  # 200/400
    assert whole_rates(root_b, [period.pk])[(period.pk, "incoming_processed_rate")] == Decimal(100)  # 200/200
    # A later import changes the whole at once (the metrics' fingerprint), without waiting for the cache.
    MetricValue.objects.bulk_create([MetricValue(batch=batch, unit=root_a, period=period, key=key, value=Decimal(v))
                                     for key, v in (("incoming_total", 600), ("incoming_replied", 600),
                                                    ("incoming_closed", 0))])
    assert whole_rates(root_a, [period.pk])[(period.pk, "incoming_processed_rate")] == Decimal(80)  # 800/1000


def test_the_last_imports_box_lists_only_the_files_of_the_viewers_authority(client, make_user, period, cset):
    root_a, units_a = authority("A", 2, period, cset)
    _, units_b = authority("B", 2, period, cset)
    for unit, name in ((units_a[0], "den-huyen-a.xlsx"), (units_b[0], "den-huyen-b.xlsx")):
        batch = ImportBatch.objects.create(file_name=name, sha256=name.ljust(64, "0"), source="incoming",
                                           period=period, status="superseded")
        MetricValue.objects.create(batch=batch, unit=unit, period=period, key="incoming_total", value=Decimal(5))
    make_user("rev", Role.REVIEWER, root_a)
    client.login(username="rev", password=PASSWORD)
    page = dashboard(client, period)
    assert "den-huyen-a.xlsx" in page and "den-huyen-b.xlsx" not in page
