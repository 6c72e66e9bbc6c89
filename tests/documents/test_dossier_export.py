"""The per-dossier TTHC export: one row per dossier, aggregated into each unit's ``procedures``
counts (rates derived as Σ numerators / Σ denominators), late dossiers kept and listed with their
apology-letter flag; streamed, and refused whole on a bad row."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry

from documents.actions import set_apology_sent
from documents.importing import pipeline, read_file
from documents.importing.run import import_file
from documents.metrics import METRICS
from documents.models import ImportBatch, MetricValue, OverdueDossier

from .conftest import table_dump
from .dossier_files import Dossier, hand_counts, make_dossiers, write_csv, write_xlsx
from .seeds import expected_values

AS_OF = date(2023, 6, 14)  # the fixture period's end


def stored_values(unit_name: str) -> dict[str, Decimal]:
    return {v.key: v.value for v in MetricValue.objects.filter(unit__name=unit_name)}


def test_it_counts_each_units_dossiers_as_one_would_by_hand(tmp_path, registry, period, reviewer):
    units = {"UBND xã Vĩnh Khê": (40, 3, 2), "UBND thị trấn Hồ Xá": (75, 0, 1), "Phòng Tư pháp": (12, 2, 0)}
    dossiers = [d for unit, (n, late, pending) in units.items() for d in make_dossiers(unit, n, late=late, pending_late=pending)]
    path = write_xlsx(tmp_path / "ho-so.xlsx", dossiers, repeat_header_every=50)

    outcome = import_file(path, period=period, acting_user=reviewer)

    assert outcome.stored is not None, [m.text for m in outcome.report.errors]
    assert outcome.stored.created
    assert outcome.report.source == "procedures" and outcome.report.dossiers == len(dossiers)
    for unit in units:
        expected = hand_counts([d for d in dossiers if d.unit == unit], AS_OF)
        values = stored_values(unit)
        assert {k: int(values[k]) for k in expected} == expected, unit
        # Every rate of the catalogue is its counts' quotient, unrounded.
        for key in ("tthc_online_rate", "tthc_digitized_rate", "tthc_online_payment_rate", "tthc_e_receipt_rate",
                    "tthc_resolved_on_time_rate"):
            metric = METRICS[key]
            num = sum(expected[k] for k in metric.numerator)
            den = sum(expected[k] for k in metric.denominator)
            assert abs(values[key] - Decimal(num) * 100 / den) < Decimal("0.000001"), (unit, key)


def test_it_lists_every_late_dossier_with_its_days_late(tmp_path, registry, period):
    dossiers = make_dossiers("UBND xã Vĩnh Khê", 20, late=4, pending_late=2)
    import_file(write_xlsx(tmp_path / "ho-so.xlsx", dossiers), period=period)

    late = {d.code: d for d in dossiers if (d.returned or AS_OF) > d.due}
    listed = {o.code: o for o in OverdueDossier.objects.select_related("unit")}
    assert set(listed) == set(late) and len(late) == 6
    for code, dossier in late.items():
        row = listed[code]
        assert row.unit.name == "UBND xã Vĩnh Khê" and not row.apology_sent
        assert row.days_late == ((dossier.returned or AS_OF) - dossier.due).days
        assert row.returned_on == dossier.returned and row.due_on == dossier.due


def test_it_reproduces_seed_003s_overdue_counts_from_dossiers(tmp_path, registry, period):
    """Seed 003's table: per unit, the late dossiers; district 28. Built as dossiers, read back."""
    seed = expected_values("003-1")
    dossiers = []
    for name, values in seed.items():
        dossiers += make_dossiers(name, 30, late=int(values.get("tthc_overdue", 0)), prefix=f"{len(dossiers)}-")
    outcome = import_file(write_csv(tmp_path / "ho-so.csv", dossiers), period=period)

    assert outcome.stored.created, [m.text for m in outcome.report.errors[:3]]
    for name, values in seed.items():
        unit = outcome.report.matched[name]
        assert int(stored_values(unit)["tthc_overdue"]) == int(values.get("tthc_overdue", 0)), name
    total = sum(int(v.value) for v in MetricValue.objects.filter(key="tthc_overdue"))
    assert total == OverdueDossier.objects.count() == 28


def test_it_reads_text_dates_and_a_csv_without_bom(tmp_path, registry, period):
    dossiers = make_dossiers("UBND xã Vĩnh Khê", 15, late=2)
    for path in (write_xlsx(tmp_path / "a.xlsx", dossiers, dates_as_text=True), write_csv(tmp_path / "b.csv", dossiers, bom=False)):
        report = read_file(path, as_of=AS_OF)
        assert not report.errors, [m.text for m in report.errors]
        (row,) = report.rows
        expected = hand_counts(dossiers, AS_OF)
        assert {k: int(row.values[k].value) for k in expected} == expected


def test_it_streams_the_file_rather_than_loading_every_sheet(tmp_path, registry, period, monkeypatch):
    def whole_file(*args, **kwargs):
        raise AssertionError("a per-dossier export must not be read whole")

    monkeypatch.setattr(pipeline, "read_sheets", whole_file)
    outcome = import_file(write_xlsx(tmp_path / "ho-so.xlsx", make_dossiers("Phòng Tư pháp", 30)), period=period)
    assert outcome.stored.created


@pytest.mark.parametrize("change, column, words", [
    (lambda d: setattr(d, "submitted", "31/02/2023"), "E", "không phải ngày"),
    (lambda d: setattr(d, "due", date(2022, 12, 1)), "F", "ngày hẹn trả trước ngày tiếp nhận"),
    (lambda d: setattr(d, "returned", date(2022, 12, 1)), "G", "ngày trả kết quả trước ngày tiếp nhận"),
    (lambda d: setattr(d, "code", "PTP-00001"), "B", "đã có ở một dòng trên"),
    (lambda d: setattr(d, "unit", ""), "C", "không có tên đơn vị"),
    (lambda d: setattr(d, "status", "Không rõ"), "M", "trạng thái «Không rõ» không rõ"),
])
def test_it_refuses_the_whole_file_for_one_bad_row(tmp_path, registry, period, change, column, words):
    dossiers = make_dossiers("Phòng Tư pháp", 10)
    change(dossiers[4])
    before = table_dump()

    outcome = import_file(write_csv(tmp_path / "ho-so.csv", dossiers), period=period)

    assert outcome.report.refused and outcome.stored is None
    (error,) = outcome.report.errors
    assert words in error.text and error.row == 6 and error.column == column
    assert "dòng 6" in error.text and "ho-so.csv" in error.text
    assert table_dump() == before and not OverdueDossier.objects.exists()


def test_it_refuses_an_unknown_channel_and_a_missing_required_column(tmp_path, registry, period):
    dossiers = make_dossiers("Phòng Tư pháp", 5)
    path = write_csv(tmp_path / "ho-so.csv", dossiers)
    text = path.read_text(encoding="utf-8-sig").replace("Trực tiếp", "Qua Zalo", 1)
    path.write_text(text, encoding="utf-8")
    (error,) = read_file(path).errors
    assert "hình thức nộp «Qua Zalo» không rõ" in error.text and error.column == "H"

    path.write_text(text.replace("Ngày trả kết quả", "Ghi chú"), encoding="utf-8")
    (error,) = read_file(path).errors
    assert "thiếu cột bắt buộc «Ngày trả kết quả»" in error.text


def test_a_withdrawn_dossier_counts_for_nothing(tmp_path, registry, period):
    dossiers = make_dossiers("Phòng Tư pháp", 6)
    dossiers.append(Dossier("RUT-1", "Phòng Tư pháp", date(2023, 1, 3), date(2023, 1, 5), None, True, status="Rút hồ sơ"))
    (row,) = read_file(write_csv(tmp_path / "ho-so.csv", dossiers), as_of=AS_OF).rows
    assert int(row.values["tthc_received"].value) == 6


def test_a_new_export_keeps_the_apology_letters_already_recorded(tmp_path, registry, period, reviewer):
    dossiers = make_dossiers("UBND xã Vĩnh Khê", 20, late=3)
    import_file(write_xlsx(tmp_path / "v1.xlsx", dossiers), period=period)
    first = OverdueDossier.objects.order_by("code").first()
    set_apology_sent(first, True, acting_user=reviewer)

    dossiers += make_dossiers("UBND xã Vĩnh Khê", 2, late=2, prefix="NEW-")
    outcome = import_file(write_xlsx(tmp_path / "v2.xlsx", dossiers), period=period)

    current = OverdueDossier.objects.filter(batch=outcome.stored.batch)
    assert current.count() == 5
    assert list(current.filter(apology_sent=True).values_list("code", flat=True)) == [first.code]
    assert current.get(code=first.code).apology_sent_by == reviewer
    # The old list stays with the superseded batch, as history.
    assert OverdueDossier.objects.filter(batch__status="superseded").count() == 3
    assert ImportBatch.objects.count() == 2


def test_recording_an_apology_letter_is_audited(tmp_path, registry, period, reviewer):
    import_file(write_xlsx(tmp_path / "v1.xlsx", make_dossiers("Phòng Tư pháp", 10, late=1)), period=period)
    dossier = OverdueDossier.objects.get()

    set_apology_sent(dossier, True, acting_user=reviewer)
    set_apology_sent(dossier, True, acting_user=reviewer)  # again: nothing changes, nothing logged

    dossier.refresh_from_db()
    assert dossier.apology_sent and dossier.apology_sent_by == reviewer and dossier.apology_sent_at
    (entry,) = LogEntry.objects.all()
    assert entry.user == reviewer and dossier.code in entry.change_message
