"""load_demo imports the demo spreadsheets: the demo shows the seed letters' figures, and a second
run changes nothing (the sha256 of each file is already there)."""

import json

from django.core.management import call_command

from documents.choices import BatchStatus
from documents.demo import MANIFEST
from documents.models import ImportBatch, MetricValue
from scoring import demo as scoring_demo

from .conftest import table_dump
from .seeds import expected_values

# The manifest's seed label ("000 phụ lục 1") → the appendix key of tests/documents/seeds.py ("000-1").
MANIFEST_ENTRIES = json.loads(MANIFEST.read_text(encoding="utf-8"))


def _appendix(entry) -> str:
    seed, _, number = entry["seed"].partition(" phụ lục ")
    return f"{seed}-{number}"


def test_it_imports_every_demo_spreadsheet_with_the_seed_values(db, capsys):
    call_command("load_demo")

    # The seeds' spreadsheets; the second demo authority's own are tested in tests/reports/test_second_authority.py.
    batches = ImportBatch.objects.filter(status=BatchStatus.IMPORTED, period__code__startswith="2023")
    assert sorted(batches.values_list("file_name", flat=True)) == sorted(MANIFEST_ENTRIES)
    for name, entry in MANIFEST_ENTRIES.items():
        batch = batches.get(file_name=name)
        assert (batch.source, batch.period.code) == (entry["source"], entry["period"])
        stored = {}
        for value in MetricValue.objects.filter(batch=batch):
            stored.setdefault(value.unit_id, {})[value.key] = value.value
        expected = expected_values(_appendix(entry))
        # Every unit row of the appendix is stored with exactly the letter's values.
        assert expected and len(stored) == len(expected), name
        assert sorted(sorted(v.items()) for v in stored.values()) == sorted(sorted(v.items()) for v in expected.values()), name
    assert "Số liệu mẫu 2023-H1_tthc.csv: Đã nhập" in capsys.readouterr().out


def test_it_changes_nothing_when_load_demo_runs_again(db, capsys):
    call_command("load_demo")
    before = table_dump()

    call_command("load_demo")

    assert table_dump() == before
    assert capsys.readouterr().out.count("bỏ qua.") == len(MANIFEST_ENTRIES) + len(json.loads(
        scoring_demo.PROVINCE_SPREADSHEETS.read_text(encoding="utf-8")))
