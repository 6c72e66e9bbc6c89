"""Score traces are written as plain rows (common.bulk.insert_rows, not model instances): what the
page reads back through the ORM must be exactly what the recompute used, stored as the ORM itself
would store it."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from documents.importing.run import import_file
from scoring.actions import store_computed_scores
from scoring.computing import compute_assessments
from scoring.computing.loading import formula_keys
from scoring.models import Assessment, Period, ScoreTrace

SPREADSHEETS = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets"


@pytest.fixture
def assessment(demo):
    for name in ("2023-H1_phu-luc-1_van-ban-den.xlsx", "2023-H1_phu-luc-2_van-ban-di.xlsx"):
        import_file(SPREADSHEETS / name, period=Period.objects.get(code="2023-H1"))
    found = Assessment.objects.get(criteria_set__code="CCHC-2023", period__code="2023-H1")
    store_computed_scores(found, acting_user=None)
    return found


def stored_column(assessment) -> dict:
    """score id → the ``inputs`` column as the database hands it back, bypassing the ORM."""
    table = connection.ops.quote_name(ScoreTrace._meta.db_table)
    ids = list(assessment.scores.values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT score_id, inputs FROM {table} WHERE score_id IN ({', '.join(['%s'] * len(ids))})", ids)
        return dict(cursor.fetchall())


def test_it_reads_back_every_trace_as_the_metric_values_the_proposal_used(assessment):
    # Rebuilt here from a fresh computation of the same assessment, not from scoring.trace.
    expected = {}
    for line in compute_assessments([assessment], computable_only=True)[0].lines:
        if line.computed is None:
            continue
        keys = formula_keys(line.spec.formula)
        expected[line.score.id] = [
            {"unit": unit, "key": key, "value": f"{line.metrics[unit][key]:f}",
             **dict(zip(("id", "batch", "sheet", "row", "column"), line.sources[unit][key]))}
            for unit in sorted(line.metrics) for key in sorted(keys & line.metrics[unit].keys())
        ]

    stored = {t.score_id: t.inputs for t in ScoreTrace.objects.filter(score__assessment=assessment)}

    assert expected and any(expected.values())
    assert stored == expected
    for inputs in stored.values():
        for item in inputs:
            assert Decimal(item["value"]) >= 0 and isinstance(item["row"], int) and item["batch"]


def test_it_stores_the_json_the_orm_itself_would_store(assessment):
    written = stored_column(assessment)
    assert written

    # Rewrite every trace through the ORM with the values it reads back: the column must not change.
    for trace in ScoreTrace.objects.filter(score__assessment=assessment):
        ScoreTrace.objects.filter(pk=trace.pk).update(inputs=trace.inputs)

    assert stored_column(assessment) == written
