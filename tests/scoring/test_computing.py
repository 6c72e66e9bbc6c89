"""Proposals from the database: a district aggregates itself and every descendant as Σ/Σ, a unit only
itself; a reference reads the other set's appraised index; totals count leaf criteria once; the
number of queries does not grow with units or criteria."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import ImportBatch, MetricValue
from scoring.choices import Level, Method, PeriodKind, SetKind, SubjectKind
from scoring.computing import compute_assessment
from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score
from units.choices import UnitKind
from units.models import Unit

from .engine_seeds import letter_figure

INCOMING = {"type": "rate", "numerator": ["incoming_replied", "incoming_closed"], "denominator": ["incoming_total"]}
SIGNED = {"type": "rate", "numerator": ["outgoing_signed"], "denominator": ["outgoing_total"]}


def half_up(value: Fraction, places=2) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@pytest.fixture
def period(db):
    return Period.objects.create(code="2023-R1", name="Lần 1", kind=PeriodKind.ROUND, year=2023,
                                 start=date(2022, 12, 15), end=date(2023, 12, 8))


def make_set(code="HTNV-T", subject_kind=SubjectKind.DISTRICT, **extra):
    return CriteriaSet.objects.create(code=code, name=code, kind=SetKind.HTNV, year=2023, subject_kind=subject_kind,
                                      **extra)


def criterion(criteria_set, code, max_score, *, parent=None, method=Method.MANUAL, formula=None, position=0,
              level=Level.CRITERION):
    return Criterion.objects.create(criteria_set=criteria_set, parent=parent, code=code, name=code, level=level,
                                    max_score=Decimal(max_score), method=method, formula=formula or {},
                                    position=position)


def district_with_units(count: int, tag: str = ""):
    district = Unit.objects.create(name=f"UBND huyện Thử{tag}", kind=UnitKind.AUTHORITY)
    units = Unit.objects.bulk_create(
        [Unit(name=f"UBND xã Thử{tag} {i:03d}", kind=UnitKind.COMMUNE, parent=district, sort_order=i)
         for i in range(count)]
    )
    return district, units


def put_metrics(period, values: dict):
    """values: unit → {key: value}, stored as one batch (a batch row per call, as the audit needs one)."""
    batch = ImportBatch.objects.create(file_name="t.xlsx", sha256="0" * 64, source="incoming", period=period,
                                       status="superseded")
    MetricValue.objects.bulk_create([
        MetricValue(batch=batch, unit=unit, period=period, key=key, value=Decimal(value))
        for unit, row in values.items() for key, value in row.items()
    ])


def incoming(i):
    return {"incoming_total": 100 + 7 * i, "incoming_replied": 30 + i, "incoming_closed": 40 + 2 * i}


def test_it_aggregates_a_district_over_itself_and_its_descendants_as_sums(period):
    district, units = district_with_units(4)
    office = Unit.objects.create(name="Bộ phận một cửa", kind=UnitKind.ONE_STOP, parent=units[0])
    data = {district: incoming(9), office: incoming(11)} | {u: incoming(i) for i, u in enumerate(units)}
    put_metrics(period, data)
    criteria_set = make_set()
    vi1 = criterion(criteria_set, "VI.1", 5, method=Method.METRIC, formula=INCOMING)
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=district)
    Score.objects.create(assessment=assessment, criterion=vi1)

    line = compute_assessment(assessment).line("VI.1")

    processed = sum(v["incoming_replied"] + v["incoming_closed"] for v in data.values())
    total = sum(v["incoming_total"] for v in data.values())
    assert (line.computed.numerator, line.computed.denominator) == (processed, total)
    assert line.proposal == half_up(Fraction(5 * processed, total))
    assert set(line.metrics) == {u.name for u in data}


def test_it_scores_a_unit_on_its_own_figures_only(period):
    district, units = district_with_units(3)
    put_metrics(period, {u: incoming(i) for i, u in enumerate(units)} | {district: incoming(20)})
    criteria_set = make_set("XA-T", SubjectKind.COMMUNE)
    c = criterion(criteria_set, "1", 2, method=Method.METRIC, formula=INCOMING)
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=units[1])
    Score.objects.create(assessment=assessment, criterion=c)

    line = compute_assessment(assessment).line("1")

    own = incoming(1)
    assert line.proposal == half_up(Fraction(2 * (own["incoming_replied"] + own["incoming_closed"]), own["incoming_total"]))
    assert list(line.metrics) == [units[1].name]


def test_it_gives_no_proposal_and_says_why_when_a_unit_lacks_a_value(period):
    district, units = district_with_units(2)
    put_metrics(period, {units[0]: incoming(0), units[1]: {"incoming_total": 50}})
    criteria_set = make_set()
    c = criterion(criteria_set, "VI.1", 5, method=Method.METRIC, formula=INCOMING)
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=district)
    Score.objects.create(assessment=assessment, criterion=c)

    line = compute_assessment(assessment).line("VI.1")

    assert line.proposal is None
    assert units[1].name in line.computed.reason and "incoming_replied" in line.computed.reason


def test_it_scores_htnv_ii_from_the_referenced_cchc_index_of_the_same_subject(period):
    # Seed 004: "II ... 50 | 47.37 | Chỉ số CCHC đạt 94.74%". A CCHC assessment whose leaves give 94,74 %.
    (index,) = letter_figure("004", r"Chỉ số CCHC đạt ([\d.,]+)%")
    (stated,) = letter_figure("004", r"cải cách hành chính\t50\t([\d.,]+)\t")
    district, _ = district_with_units(1)
    year = Period.objects.create(code="2023", name="Năm 2023", kind=PeriodKind.YEAR, year=2023,
                                 start=date(2022, 12, 15), end=date(2023, 12, 14))
    cchc = make_set("CCHC-T")
    area = criterion(cchc, "1", 100, level=Level.AREA)
    parts = [criterion(cchc, f"1.{i}", 50, parent=area, position=i) for i in (1, 2)]
    cchc_assessment = Assessment.objects.create(criteria_set=cchc, period=year, subject=district)
    # The area row carries its own score too: only the leaves count towards the index.
    Score.objects.create(assessment=cchc_assessment, criterion=area, appraised_score=Decimal("1"))
    Score.objects.create(assessment=cchc_assessment, criterion=parts[0], appraised_score=Decimal(50))
    Score.objects.create(assessment=cchc_assessment, criterion=parts[1], appraised_score=index - 50)

    htnv = make_set("HTNV-T")
    ii = criterion(htnv, "II", 50, method=Method.REFERENCE, formula={"type": "reference", "set": "CCHC-T", "period": "2023"},
                   level=Level.AREA)
    htnv_assessment = Assessment.objects.create(criteria_set=htnv, period=period, subject=district)
    Score.objects.create(assessment=htnv_assessment, criterion=ii)

    assert compute_assessment(cchc_assessment).totals().overall.index_percent == index
    line = compute_assessment(htnv_assessment).line("II")
    assert line.proposal == stated


def test_it_counts_an_area_scored_with_its_children_once(period):
    district, _ = district_with_units(1)
    criteria_set = make_set()
    area = criterion(criteria_set, "I", 10, level=Level.AREA)
    a, b = criterion(criteria_set, "I.1", 6, parent=area, position=1), criterion(criteria_set, "I.2", 4, parent=area, position=2)
    lone = criterion(criteria_set, "II", 5, level=Level.AREA, position=3)
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=district)
    for c, appraised in ((area, "8"), (a, "5"), (b, "3"), (lone, "4.5")):
        Score.objects.create(assessment=assessment, criterion=c, appraised_score=Decimal(appraised))

    totals = compute_assessment(assessment).totals()

    assert (totals.overall.max_total, totals.overall.appraised_total) == (15, Decimal("12.5"))
    assert totals.overall.deduction_total == Decimal("-2.5")
    assert totals.overall.deducted_count == 3
    assert {code: t.max_total for code, t in totals.areas.items()} == {"I": 10, "II": 5}


def queries_for(period, unit_count: int, criterion_count: int) -> int:
    district, units = district_with_units(unit_count, tag=f" {unit_count}")
    put_metrics(period, {u: incoming(i) | {"outgoing_total": 10 + i, "outgoing_signed": i} for i, u in enumerate(units)})
    criteria_set = make_set(f"S{unit_count}")
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=district)
    for i in range(criterion_count):
        formula = (INCOMING, SIGNED, {})[i % 3]
        c = criterion(criteria_set, f"C{i}", 2, method=Method.METRIC if formula else Method.MANUAL, formula=formula,
                      position=i)
        Score.objects.create(assessment=assessment, criterion=c, appraised_score=Decimal(1))
    with CaptureQueriesContext(connection) as captured:
        result = compute_assessment(assessment)
        result.totals()
    assert sum(1 for line in result.lines if line.proposal is not None) == 2 * criterion_count // 3
    return len(captured)


def test_it_reads_in_a_fixed_number_of_queries_whatever_the_units_and_criteria(period):
    small = queries_for(period, 5, 3)
    large = queries_for(period, 200, 60)
    assert small == large
    assert large <= 10
