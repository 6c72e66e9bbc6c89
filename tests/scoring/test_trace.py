"""Where a computed score comes from: the recompute keeps the metric values each proposal used, and the
page follows them to the imported file (name, SHA-256, who and when) and to the spreadsheet cell."""

import hashlib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.importing.run import import_file
from documents.models import MetricValue
from scoring.actions import store_computed_scores
from scoring.models import Assessment, Period, ScoreTrace
from scoring.trace import column_letters, score_trace
from units.choices import Role
from units.models import Unit

SPREADSHEETS = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets"
OUTGOING = "2023-H1_phu-luc-2_van-ban-di.xlsx"


@pytest.fixture
def assessment(demo):
    for name in ("2023-H1_phu-luc-1_van-ban-den.xlsx", OUTGOING):
        import_file(SPREADSHEETS / name, period=Period.objects.get(code="2023-H1"))
    found = Assessment.objects.get(criteria_set__code="CCHC-2023", period__code="2023-H1")
    store_computed_scores(found, acting_user=None)
    return found


def cell_value(path: Path, sheet: str, cell: str):
    workbook = openpyxl.load_workbook(path, data_only=True, read_only=True)
    return workbook[sheet][cell].value


def test_it_traces_a_computed_score_to_the_cells_of_the_spreadsheet(assessment):
    score = assessment.scores.select_related("criterion").get(criterion__code="7.3.1")  # outgoing_signed / total
    trace = score_trace(score)

    assert trace is not None and trace.inputs
    assert {i.key for i in trace.inputs} == {"outgoing_signed", "outgoing_total"}
    # Every value the score used is the number in the named cell of the file that was imported.
    for item in trace.inputs:
        assert item.batch.file_name == OUTGOING
        assert Decimal(str(cell_value(SPREADSHEETS / OUTGOING, item.sheet, item.cell))) == item.value
    # The batch is that very file.
    assert trace.inputs[0].batch.sha256 == hashlib.sha256((SPREADSHEETS / OUTGOING).read_bytes()).hexdigest()
    # And the score is max × Σ numerator / Σ denominator over those cells, half-up to two places.
    expected = (score.criterion.max_score * trace.numerator_total / trace.denominator_total).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)
    score.refresh_from_db()
    assert score.computed_score == expected


def test_it_covers_every_unit_the_district_aggregates(assessment):
    score = assessment.scores.get(criterion__code="7.3.1")
    trace = score_trace(score)

    reported = set(MetricValue.objects.filter(period=assessment.period, key="outgoing_total")
                   .values_list("unit__name", flat=True))
    assert {i.unit for i in trace.inputs if i.key == "outgoing_total"} == reported
    assert trace.denominator_total == sum(
        MetricValue.objects.filter(period=assessment.period, key="outgoing_total").values_list("value", flat=True))


def test_a_recompute_with_unchanged_data_rewrites_no_trace(assessment):
    before = dict(ScoreTrace.objects.values_list("score_id", "digest"))

    with CaptureQueriesContext(connection) as queries:
        store_computed_scores(assessment, acting_user=None)

    assert dict(ScoreTrace.objects.values_list("score_id", "digest")) == before
    assert not [q for q in queries if q["sql"].startswith(("INSERT", "DELETE")) and "scoretrace" in q["sql"]]


def test_a_changed_value_rewrites_the_trace_and_the_old_cell_stays_named(assessment):
    score = assessment.scores.get(criterion__code="7.3.1")
    first = score_trace(score).inputs[0]
    MetricValue.objects.filter(pk=ScoreTrace.objects.get(score=score).inputs[0]["id"]).update(value=first.value + 1)

    stale = score_trace(score)
    assert stale.inputs[0].changed_since and stale.inputs[0].current == first.value + 1

    store_computed_scores(assessment, acting_user=None)
    fresh = score_trace(score)
    assert fresh.inputs[0].value == first.value + 1 and not fresh.inputs[0].changed_since
    assert (fresh.inputs[0].sheet, fresh.inputs[0].cell) == (first.sheet, first.cell)


def test_it_names_columns_as_a_spreadsheet_does():
    assert [column_letters(c) for c in ("C", 3, "28", 52, "", None)] == ["C", "C", "AB", "AZ", "", ""]


@pytest.fixture
def users(assessment, make_user):
    return {
        "reviewer": make_user("duyet", Role.REVIEWER, Unit.objects.get(name="Phòng Nội vụ")),
        "viewer": make_user("xem", Role.VIEWER),
        "head": make_user("yte", Role.UNIT_HEAD, Unit.objects.get(name="Phòng Y tế")),
    }


def test_the_page_shows_file_sheet_and_cell(assessment, users, client):
    score = assessment.scores.get(criterion__code="7.3.1")
    item = score_trace(score).inputs[0]
    client.force_login(users["viewer"])

    response = client.get(reverse("score-source", args=[assessment.pk, score.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert OUTGOING in text and item.sheet in text and f"<strong>{item.cell}</strong>" in text
    assert item.batch.sha256 in text


def test_the_score_detail_links_to_the_source(assessment, users, client):
    score = assessment.scores.get(criterion__code="7.3.1")
    client.force_login(users["reviewer"])

    response = client.get(reverse("score-detail", args=[assessment.pk, score.pk]))

    assert reverse("score-source", args=[assessment.pk, score.pk]) in response.content.decode()


def test_a_manual_score_says_it_is_scored_by_hand(assessment, users, client):
    score = assessment.scores.get(criterion__code="1.2")
    client.force_login(users["reviewer"])

    response = client.get(reverse("score-source", args=[assessment.pk, score.pk]))

    assert "chấm thủ công" in response.content.decode()


def test_a_unit_head_cannot_trace_another_units_assessment(assessment, users, client):
    score = assessment.scores.get(criterion__code="7.3.1")
    client.force_login(users["head"])

    assert client.get(reverse("score-source", args=[assessment.pk, score.pk])).status_code == 404
