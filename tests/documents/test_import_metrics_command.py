"""The import_metrics command: the JSON contract of DESIGN.md, exit status, period check."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from documents.models import ImportBatch

from .conftest import table_dump
from .seeds import expected_values, write_layout

KEYS = {"file", "source", "period", "dry_run", "rows", "units", "matched", "unmatched", "warnings", "errors"}


def run(*args):
    out = StringIO()
    call_command("import_metrics", *args, stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_it_prints_one_json_object_per_file(tmp_path, registry, period):
    incoming = write_layout("000-2", "as_exported", tmp_path)
    dvc = write_layout("000-1", "as_exported", tmp_path)

    first, second = run(str(incoming), str(dvc), "--period", "2023-H1", "--format", "json", "--dry-run")

    assert set(first) == KEYS and set(second) == KEYS
    assert (first["file"], first["source"], first["period"], first["dry_run"]) == (
        "000-2-as_exported.xlsx", "incoming", "2023-H1", True)
    assert first["rows"] == 36 and first["unmatched"] == [] and first["errors"] == []
    expected = expected_values("000-2")
    for name_in_file, values in expected.items():
        unit = first["units"][first["matched"][name_in_file]]
        for key, value in values.items():
            assert unit[key] == int(value) and isinstance(unit[key], int)
    # A derived rate comes unrounded, as a JSON number.
    huyen = first["units"]["UBND huyện Vĩnh Linh"]
    assert huyen["incoming_processed_rate"] == pytest.approx((165 + 9980) / 12465 * 100)
    assert second["source"] == "online_services"
    assert {(w["value"], w["expected"]) for w in second["warnings"]} >= {("13,2", "29,2"), ("88,1", "61,9")}
    assert all(set(w) >= {"message", "sheet", "row", "column", "value", "expected"} for w in second["warnings"])
    assert not ImportBatch.objects.exists()


def test_it_stores_without_dry_run_and_the_source_can_be_forced(tmp_path, registry, period):
    path = write_layout("003-1", "csv_bom", tmp_path)

    (result,) = run(str(path), "--period", "2023-H1", "--source", "procedures", "--format", "json")

    assert result["dry_run"] is False and result["errors"] == []
    assert ImportBatch.objects.get().source == "procedures"


def test_it_exits_non_zero_when_a_file_is_refused(tmp_path, registry, period):
    path = write_layout("000-2", "as_exported", tmp_path)
    before = table_dump()
    out = StringIO()

    with pytest.raises(CommandError, match="bị từ chối"):
        call_command("import_metrics", str(path), "--period", "2023-H1", "--source", "outgoing",
                     "--format", "json", stdout=out, stderr=StringIO())

    (result,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert any("thiếu cột bắt buộc «VB đi tổng»" in e["message"] for e in result["errors"])
    assert table_dump() == before


def test_it_refuses_a_period_that_does_not_exist(tmp_path, registry, period):
    with pytest.raises(CommandError, match="Kỳ «2031-H1» không có"):
        run(str(write_layout("000-2", "as_exported", tmp_path)), "--period", "2031-H1")
