"""The nightly import of the drop folder, run in process: every new file imported and moved to
processed/ or failed/ with its JSON report beside it; nothing lost, nothing half-imported."""

import json
import shutil

import pytest
from django_celery_beat.models import PeriodicTask

from documents import nightly
from documents.models import ImportBatch, MetricValue
from documents.tasks import NIGHTLY_TASK, import_drop_folder_task

from .conftest import table_dump
from .seeds import expected_values, write_layout


@pytest.fixture
def drop(tmp_path, settings):
    settings.IMPORT_DROP_DIR = tmp_path / "drop"
    settings.IMPORT_DROP_MIN_AGE = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_DROP_DIR.mkdir()
    return settings.IMPORT_DROP_DIR


def dropped(drop, appendix, name, layout="as_exported"):
    source = write_layout(appendix, layout, drop.parent)
    return shutil.move(source, drop / name)


def reports(folder):
    return {p.name.removesuffix(".report.json").split("_", 1)[1]: json.loads(p.read_text(encoding="utf-8"))
            for p in folder.glob("*.report.json")}


def test_it_imports_each_new_file_and_moves_it_with_its_report(drop, registry, period):
    dropped(drop, "000-2", "2023-H1_van-ban-den.xlsx")
    (drop / "2023-H1_hong.csv").write_bytes(b"\x00\x01 not a spreadsheet")

    summary = import_drop_folder_task.delay().get()

    assert summary == {"imported": ["2023-H1_van-ban-den.xlsx"], "unchanged": [], "failed": ["2023-H1_hong.csv"], "left": []}
    assert not [p for p in drop.iterdir() if p.is_file() and p.suffix in {".xlsx", ".csv"}]
    done = reports(drop / "processed")
    assert set(done) == {"2023-H1_van-ban-den.xlsx"} and done["2023-H1_van-ban-den.xlsx"]["errors"] == []
    assert len(list((drop / "processed").glob("*_2023-H1_van-ban-den.xlsx"))) == 1
    batch = ImportBatch.objects.get()
    assert batch.period == period and batch.created_by is None
    assert MetricValue.objects.filter(batch=batch).values("unit").distinct().count() == len(expected_values("000-2"))
    failed = reports(drop / "failed")
    assert "không phải bảng tính" in failed["2023-H1_hong.csv"]["errors"][0]["message"]


def test_a_sidecar_names_the_period_and_source_and_moves_along(drop, registry, period):
    path = dropped(drop, "000-3", "van-ban-di.xlsx")
    (drop / "van-ban-di.xlsx.json").write_text(json.dumps({"period": "2023-H1", "source": "outgoing"}), encoding="utf-8")

    nightly.import_drop_folder(min_age=0)

    assert ImportBatch.objects.get().source == "outgoing" and not path.exists()
    assert len(list((drop / "processed").glob("*_van-ban-di.xlsx.json"))) == 1


def test_a_file_without_a_period_fails_with_a_message_saying_how_to_name_it(drop, registry, period):
    dropped(drop, "000-2", "van-ban-den.xlsx")
    before = table_dump()

    summary = nightly.import_drop_folder(min_age=0)

    assert summary["failed"] == ["van-ban-den.xlsx"] and table_dump() == before
    (report,) = reports(drop / "failed").values()
    assert "2023-H1_van-ban-den.xlsx" in report["errors"][0]["message"]


def test_the_default_period_setting_applies_when_nothing_else_says(drop, registry, period, settings):
    settings.IMPORT_DEFAULT_PERIOD = "2023-H1"
    dropped(drop, "000-2", "van-ban-den.xlsx")
    assert nightly.import_drop_folder(min_age=0)["imported"] == ["van-ban-den.xlsx"]


def test_the_same_file_again_changes_nothing_and_is_moved(drop, registry, period):
    dropped(drop, "000-2", "2023-H1_a.xlsx")
    nightly.import_drop_folder(min_age=0)
    before = table_dump()
    dropped(drop, "000-2", "2023-H1_a.xlsx")

    summary = nightly.import_drop_folder(min_age=0)

    assert summary["unchanged"] == ["2023-H1_a.xlsx"] and table_dump() == before
    assert len(list((drop / "processed").glob("*_2023-H1_a.xlsx"))) == 2


def test_a_crash_leaves_the_file_in_place_and_writes_nothing(drop, registry, period, monkeypatch):
    path = dropped(drop, "000-2", "2023-H1_a.xlsx")
    before = table_dump()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(nightly, "import_file", broken)
    summary = nightly.import_drop_folder(min_age=0)

    assert summary["left"] == ["2023-H1_a.xlsx"] and path.exists() and table_dump() == before
    assert not (drop / "processed").exists() and not (drop / "failed").exists()


def test_a_file_still_being_written_waits_for_the_next_run(drop, registry, period):
    path = dropped(drop, "000-2", "2023-H1_a.xlsx")
    assert nightly.import_drop_folder(min_age=3600) == {"imported": [], "unchanged": [], "failed": [], "left": []}
    assert path.exists()


def test_the_schedule_is_in_the_database_and_enabled(db):
    task = PeriodicTask.objects.get(task=NIGHTLY_TASK)
    assert task.enabled and task.crontab.hour == "1" and str(task.crontab.timezone) == "Asia/Ho_Chi_Minh"
