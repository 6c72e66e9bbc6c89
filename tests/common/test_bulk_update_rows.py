"""update_rows sets each given row to its own values (one UPDATE joined to arrays on PostgreSQL, one per
distinct value elsewhere) and touches no other row; the same on SQLite and on PostgreSQL."""

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.bulk import update_rows
from scoring.choices import Level, PeriodKind, SetKind, SubjectKind
from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score
from units.choices import UnitKind
from units.models import Unit


@pytest.fixture
def scores(db) -> list[Score]:
    unit = Unit.objects.create(name="UBND xã thử", kind=UnitKind.COMMUNE)
    period = Period.objects.create(code="2023", name="2023", kind=PeriodKind.YEAR, year=2023,
                                   start=date(2022, 12, 15), end=date(2023, 12, 14))
    criteria_set = CriteriaSet.objects.create(code="THU", name="Bộ thử", kind=SetKind.CCHC, year=2023,
                                              subject_kind=SubjectKind.COMMUNE)
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=unit)
    criteria = Criterion.objects.bulk_create([
        Criterion(criteria_set=criteria_set, code=str(i), name=f"Tiêu chí {i}", level=Level.CRITERION,
                  max_score=Decimal(2), position=i)
        for i in range(6)
    ])
    return Score.objects.bulk_create([
        Score(assessment=assessment, criterion=c, computed_score=Decimal("0.50"), self_score=Decimal(1)) for c in criteria
    ])


def _stored(scores):
    return {s.pk: (s.computed_score, s.self_score, s.version, s.updated_at)
            for s in Score.objects.filter(pk__in=[s.pk for s in scores])}


def test_it_sets_each_given_row_to_its_own_values_and_leaves_the_others_alone(scores):
    before = _stored(scores)
    when = datetime(2024, 3, 1, 8, 30, tzinfo=timezone.utc)
    given = {scores[0].pk: Decimal("1.25"), scores[2].pk: None, scores[3].pk: Decimal("2.00"), scores[4].pk: Decimal("1.25")}

    updated = update_rows(Score, "id", ["computed_score"], list(given.items()), also={"updated_at": when},
                          increment=["version"])

    after = _stored(scores)
    assert updated == len(given)
    for pk, value in given.items():
        assert after[pk] == (value, before[pk][1], before[pk][2] + 1, when)
    for pk in before.keys() - given.keys():
        assert after[pk] == before[pk]


def test_a_key_that_names_no_row_updates_nothing(scores):
    missing = max(s.pk for s in scores) + 1000

    assert update_rows(Score, "id", ["computed_score"], [(missing, Decimal(1))]) == 0
    assert not Score.objects.filter(pk=missing).exists()


def test_text_arrives_exactly_as_given_quotes_backslashes_braces_and_the_word_null_included(db):
    names = ['Phòng "Nội vụ"', "C:\\thư mục\\", "{a,b}", "NULL", "dấu phẩy, và ngoặc (x)"]
    units = Unit.objects.bulk_create([Unit(name=f"Đơn vị {i}", kind=UnitKind.COMMUNE, short_name="x") for i in range(6)])

    rows = [(unit.pk, name, "") for unit, name in zip(units, names)]
    assert update_rows(Unit, "id", ["name", "short_name"], rows) == len(names)

    stored = dict(Unit.objects.filter(pk__in=[u.pk for u in units]).values_list("id", "name"))
    assert [stored[u.pk] for u in units[:5]] == names
    assert stored[units[5].pk] == "Đơn vị 5"
    assert set(Unit.objects.filter(pk__in=[u.pk for u in units[:5]]).values_list("short_name", flat=True)) == {""}


def test_a_key_given_twice_is_refused_before_anything_is_written(scores):
    before = _stored(scores)

    with pytest.raises(ValueError):
        update_rows(Score, "id", ["computed_score"], [(scores[0].pk, Decimal(1)), (scores[0].pk, Decimal(2))])
    assert _stored(scores) == before


def test_its_statements_do_not_grow_with_the_rows(scores):
    # PostgreSQL: one statement for any number of rows. SQLite: one per distinct value (few for scores).
    rows = [(s.pk, Decimal("1.50") if i % 2 else Decimal("0.75")) for i, s in enumerate(scores)]

    with CaptureQueriesContext(connection) as queries:
        update_rows(Score, "id", ["computed_score"], rows, increment=["version"])

    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
    assert {s.computed_score for s in Score.objects.all()} == {Decimal("1.50"), Decimal("0.75")}
