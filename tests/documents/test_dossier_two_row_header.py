"""A per-dossier export whose header takes two rows with merged cells ("Ngày" over "Tiếp nhận | Hẹn
trả | Trả kết quả"), repeated on each new page, reads as the one-row header does."""

from datetime import date

import pytest

from documents.importing.run import import_file
from documents.models import MetricValue, OverdueDossier

from .dossier_files import HEADER, TITLE, hand_counts, make_dossiers

AS_OF = date(2023, 6, 14)  # the fixture period's end
UNITS = {"UBND xã Vĩnh Khê": (30, 2, 1), "Phòng Tư pháp": (14, 1, 0)}

# Columns of HEADER (0-based) that the second row splits under a merged cell of the first, with the
# words each row shows. The other columns are merged down both rows.
DATES_UNDER_ONE_CELL = {4: ("Ngày", ["Tiếp nhận", "Hẹn trả", "Trả kết quả"])}
FLAGS_UNDER_ONE_CELL = {9: ("Thanh toán, số hóa, biên lai",
                            ["Thanh toán trực tuyến", "Số hóa", "Biên lai điện tử"])}


def _write(path, dossiers, spans: dict, repeat_every: int):
    """The export as the one-stop system lays it out: title, blank row, two header rows with merged
    cells (openpyxl writes real merges; a reader sees the text in the first cell of each)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách hồ sơ"
    for line in TITLE:
        sheet.append([line])
    sheet.append([])

    def header():
        upper, lower = list(HEADER), [None] * len(HEADER)
        for start, (top, parts) in spans.items():
            upper[start:start + len(parts)] = [top] + [None] * (len(parts) - 1)
            lower[start:start + len(parts)] = parts
        sheet.append(upper)
        sheet.append(lower)
        first = sheet.max_row - 1
        split = {start + i for start, (_, parts) in spans.items() for i in range(len(parts))}
        for column in range(1, len(HEADER) + 1):
            if column - 1 not in split:
                sheet.merge_cells(start_row=first, end_row=first + 1, start_column=column, end_column=column)
        for start, (_, parts) in spans.items():
            sheet.merge_cells(start_row=first, end_row=first, start_column=start + 1, end_column=start + len(parts))

    header()
    for seq, dossier in enumerate(dossiers, 1):
        if repeat_every and seq % repeat_every == 0:
            header()  # a new page of the export repeats both header rows
        sheet.append(dossier.cells(seq, False))
    workbook.save(path)
    return path


@pytest.mark.parametrize("spans", [DATES_UNDER_ONE_CELL, FLAGS_UNDER_ONE_CELL], ids=["dates", "flags"])
def test_it_reads_a_two_row_header_with_merged_cells(spans, tmp_path, registry, period):
    dossiers = [d for unit, (n, late, pending) in UNITS.items()
                for d in make_dossiers(unit, n, late=late, pending_late=pending)]
    path = _write(tmp_path / "ho-so.xlsx", dossiers, spans, repeat_every=20)

    outcome = import_file(path, period=period)

    assert outcome.stored is not None, [m.text for m in outcome.report.errors]
    assert outcome.report.layout == "dossiers" and outcome.report.dossiers == len(dossiers)
    for unit in UNITS:
        expected = hand_counts([d for d in dossiers if d.unit == unit], AS_OF)
        stored = {v.key: int(v.value) for v in MetricValue.objects.filter(unit__name=unit, key__in=expected)}
        assert stored == expected, unit
    assert OverdueDossier.objects.count() == hand_counts(dossiers, AS_OF)["tthc_overdue"]


def test_its_first_dossier_is_numbered_below_both_header_rows(tmp_path, registry, period):
    dossiers = make_dossiers("UBND xã Vĩnh Khê", 3, late=3)
    path = _write(tmp_path / "ho-so.xlsx", dossiers, DATES_UNDER_ONE_CELL, repeat_every=0)

    import_file(path, period=period)

    # Two title rows, a blank row, two header rows: the first dossier is on row 6.
    assert sorted(OverdueDossier.objects.values_list("row", flat=True)) == [6, 7, 8]
