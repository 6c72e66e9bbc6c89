"""Every kind of bad input refuses the whole file, says where and what in Vietnamese, and leaves
the database exactly as it was."""

import copy

import pytest

from documents.importing.run import import_file

from .conftest import table_dump
from .seeds import builder, table

HEADER = table("000-2").rows[0]  # STT | Tên đơn vị | Tổng số VB đến | VB đến phản hồi | VB đến kết thúc | VB đến chưa xử lý


def incoming_file(tmp_path, change):
    """Seed 000's appendix 2 as exported, after ``change(rows)``; the row changed is spreadsheet row 5
    (three title rows, the header, then the first unit)."""
    t = table("000-2")
    rows = copy.deepcopy(t.rows)
    change(rows)
    return builder.write_xlsx(tmp_path / "van-ban-den.xlsx", t.title, rows, 1)


def set_cell(col, value, row=1):
    def change(rows):
        rows[row][col] = value
    return change


def drop_column(col):
    def change(rows):
        for r in rows:
            del r[col]
    return change


BAD_INPUTS = {
    "text in a count": (set_cell(2, "mười hai"), ["dòng 5", "cột C", "«mười hai»", "không phải số", "số đếm nguyên không âm"]),
    "negative count": (set_cell(3, "-5"), ["dòng 5", "cột D", "«-5»", "là số âm"]),
    "fraction in a count": (set_cell(4, "12,5"), ["dòng 5", "cột E", "«12,5»", "không phải số nguyên"]),
    "parts above the whole": (set_cell(3, "9000"), ["dòng 5", "cột C", "lớn hơn Tổng số văn bản đến = 12.465",
                                                   "cần không vượt quá 12.465"]),
    "required column missing": (drop_column(5), ["thiếu cột bắt buộc «VB đến chưa xử lý»"]),
    "unknown unit": (set_cell(1, "UBND xã Không Tồn Tại"), ["dòng 5", "không xác định được đơn vị «UBND xã Không Tồn Tại»"]),
    "figures without a unit name": (set_cell(1, ""), ["dòng 5", "cột B", "không có tên đơn vị"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_it_refuses_a_bad_file_whole_and_writes_nothing(case, tmp_path, registry, period, reviewer):
    change, fragments = BAD_INPUTS[case]
    path = incoming_file(tmp_path, change)
    before = table_dump()

    outcome = import_file(path, period=period, acting_user=reviewer)

    assert outcome.report.refused
    assert outcome.stored is None
    text = " | ".join(m.text for m in outcome.report.errors)
    assert "van-ban-den.xlsx" in text and "Sheet1" in text
    for fragment in fragments:
        assert fragment in text
    assert table_dump() == before


def test_it_imports_an_unknown_name_once_the_user_maps_it(tmp_path, registry, period, reviewer):
    from documents.models import MetricValue

    path = incoming_file(tmp_path, set_cell(1, "Văn phòng UBND (cũ)"))

    outcome = import_file(path, period=period, acting_user=reviewer,
                          mapping={"Văn phòng UBND (cũ)": "UBND huyện Vĩnh Linh"})

    assert not outcome.report.refused
    assert outcome.report.matched["Văn phòng UBND (cũ)"] == "UBND huyện Vĩnh Linh"
    value = MetricValue.objects.get(unit__name="UBND huyện Vĩnh Linh", key="incoming_total")
    assert int(value.value) == int(table("000-2").rows[1][2])
    assert (value.sheet, value.row, value.column) == ("Sheet1", 5, "C")


@pytest.mark.parametrize("content,fragment", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "không phải bảng tính"),
    ("Biên bản họp\nkhông có bảng nào\n".encode(), "không tìm thấy dòng tiêu đề"),
    (b"PK\x03\x04 not really a zip", "không phải tệp Excel"),
    ("a;b\n\xe9".encode("latin-1"), "không phải văn bản UTF-8"),
])
def test_it_refuses_what_is_not_a_spreadsheet(content, fragment, tmp_path, registry, period):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(content)
    before = table_dump()

    outcome = import_file(path, period=period)

    assert outcome.report.refused
    assert fragment in outcome.report.errors[0].text
    assert "bao-cao.xlsx" in outcome.report.errors[0].text
    assert table_dump() == before
