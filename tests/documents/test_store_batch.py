"""Storing a batch: values land on the registry's units with their cell; the same file again
changes nothing and says so; a newer file for the same source and period supersedes the old one."""

import copy

import pytest

from documents.actions import RefusedFile, store_batch
from documents.choices import BatchStatus
from documents.importing import read_file
from documents.importing.run import import_file
from documents.models import ImportBatch, MetricValue

from .conftest import table_dump
from .seeds import builder, expected_values, table, write_layout


@pytest.mark.parametrize("appendix", ["000-1", "000-2", "000-3", "002-1", "002-2", "003-1"])
def test_it_stores_every_seed_appendix_on_the_registry_units(appendix, tmp_path, registry, period, reviewer):
    outcome = import_file(write_layout(appendix, "as_exported", tmp_path), period=period, acting_user=reviewer)

    assert outcome.stored.created
    expected = expected_values(appendix)
    assert set(outcome.report.matched) == set(expected)
    stored = {}
    for value in MetricValue.objects.select_related("unit"):
        stored.setdefault(value.unit.name, {})[value.key] = value.value
    assert stored == {outcome.report.matched[name]: values for name, values in expected.items()}
    batch = outcome.stored.batch
    assert (batch.created_by, batch.row_count, batch.status) == (reviewer, len(expected), BatchStatus.IMPORTED)
    assert batch.value_count == sum(len(v) for v in expected.values())


def test_it_keeps_the_cell_each_value_came_from(tmp_path, registry, period):
    import_file(write_layout("002-1", "as_exported", tmp_path), period=period)

    # Three title rows and a two-row header: the first unit is on row 6; pending is column H.
    value = MetricValue.objects.get(unit__name="UBND huyện Vĩnh Linh", key="incoming_pending")
    assert (value.sheet, value.row, value.column, int(value.value)) == ("Sheet1", 6, "H", 1415)


def test_it_changes_nothing_when_the_same_file_comes_again(tmp_path, registry, period, reviewer):
    path = write_layout("000-2", "as_exported", tmp_path)
    first = import_file(path, period=period, acting_user=reviewer)
    before = table_dump()

    again = import_file(path, period=period, acting_user=reviewer)

    assert not again.stored.created
    assert again.stored.batch == first.stored.batch
    assert "đã được nhập" in again.message and "không có gì thay đổi" in again.message
    assert table_dump() == before


def test_a_newer_file_supersedes_the_old_one_and_keeps_it_in_the_history(tmp_path, registry, period, reviewer):
    old_path = write_layout("000-2", "as_exported", tmp_path)
    old = import_file(old_path, period=period, acting_user=reviewer).stored.batch
    t = table("000-2")
    rows = copy.deepcopy(t.rows)
    rows[1][2], rows[1][5] = str(int(rows[1][2]) + 10), str(int(rows[1][5]) + 10)  # UBND huyện: 10 more, pending
    new_path = builder.write_xlsx(tmp_path / "van-ban-den-moi.xlsx", t.title, rows, 1)

    new = import_file(new_path, period=period, acting_user=reviewer)

    old.refresh_from_db()
    assert old.status == BatchStatus.SUPERSEDED and old.superseded_by == new.stored.batch
    assert "thay cho tệp 000-2-as_exported.xlsx" in new.message
    assert ImportBatch.objects.filter(status=BatchStatus.IMPORTED).get() == new.stored.batch
    total = MetricValue.objects.get(unit__name="UBND huyện Vĩnh Linh", key="incoming_total")
    assert int(total.value) == int(t.rows[1][2]) + 10 and total.batch == new.stored.batch
    assert MetricValue.objects.filter(batch=old).count() == 0
    assert MetricValue.objects.count() == old.value_count


def test_a_dry_run_writes_nothing(tmp_path, registry, period):
    before = table_dump()

    outcome = import_file(write_layout("000-3", "as_exported", tmp_path), period=period, dry_run=True)

    assert outcome.stored is None and not outcome.report.refused and len(outcome.report.matched) == 36
    assert table_dump() == before


def test_store_batch_refuses_a_report_with_errors_or_unresolved_names(tmp_path, registry, period):
    report = read_file(write_layout("000-2", "as_exported", tmp_path))
    with pytest.raises(RefusedFile):
        store_batch(report, acting_user=None, period=period, file_name="x.xlsx", sha256="0" * 64)
    report.error("lỗi")
    report.resolved = True
    with pytest.raises(RefusedFile):
        store_batch(report, acting_user=None, period=period, file_name="x.xlsx", sha256="0" * 64)
    assert not ImportBatch.objects.exists()


class FakeMatcher:
    """Resolves only the names it is given: proves resolution is one step, apart from reading."""

    def __init__(self, names):
        from units.models import Unit

        self.units = {name: Unit.objects.get(name=unit) for name, unit in names.items()}
        self.calls = []

    def match(self, name, code=None, system=None):
        from types import SimpleNamespace

        self.calls.append((name, code, system))
        unit = self.units.get(name)
        return SimpleNamespace(unit=unit, candidates=(), how="fake" if unit else "",
                               message="" if unit else "không có trong danh mục thử")


def test_resolution_passes_the_qlvb_id_and_refuses_what_the_matcher_cannot_find(tmp_path, registry, period):
    path = write_layout("002-1", "as_exported", tmp_path)
    matcher = FakeMatcher({"UBND huyện Vĩnh Linh": "UBND huyện Vĩnh Linh"})

    outcome = import_file(path, period=period, matcher=matcher)

    assert ("UBND huyện Vĩnh Linh", "100", "qlvb") in matcher.calls
    assert outcome.report.matched == {"UBND huyện Vĩnh Linh": "UBND huyện Vĩnh Linh"}
    assert len(outcome.report.unmatched) == 35 and outcome.report.refused
    assert "không có trong danh mục thử" in outcome.report.errors[0].text
    assert not ImportBatch.objects.exists()
