"""Hypothesis against the parsers that read what others typed: the number parser never raises
anything but ValueError and gives back what format_number printed; the import pipeline's header
and layout detection, given any table at all, answers with a report (its own errors inside) or
UnreadableFile, never with another exception; and a valid table of each source, laid out at random
(title rows, column order, blank columns, respelled headers, number styles), reads as that source
with the values its letter prints. Bounded to run in seconds."""

import csv
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.numbers import format_number, parse_number
from documents.importing import pipeline
from documents.importing.profiles import ID_HEADERS, NAME_HEADERS, PROFILES, SEQ_HEADERS
from documents.importing.reading import Sheet
from documents.importing.report import ImportReport
from units.text import fold, strip_diacritics

from ..documents import seeds
from ..documents.dossier_files import HEADER as DOSSIER_HEADER

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TABLES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])

# --- the number parser ------------------------------------------------------------------------

NUMBERISH = st.text(alphabet="0123456789.,-+ %eE\u00a0", max_size=20)
ANYTHING = st.one_of(
    st.none(), st.text(max_size=30), NUMBERISH, st.integers(), st.floats(), st.booleans(),
    st.decimals(), st.lists(st.integers(), max_size=2), st.binary(max_size=8),
)


@FAST
@given(ANYTHING)
def test_the_number_parser_raises_only_value_error(value):
    try:
        parsed = parse_number(value)
    except ValueError:
        return
    assert parsed is None or (isinstance(parsed, Decimal) and parsed.is_finite()), (value, parsed)


@FAST
@given(st.decimals(min_value=-10**12, max_value=10**12, places=6, allow_nan=False, allow_infinity=False))
def test_a_formatted_number_reads_back_as_itself(number):
    assert parse_number(format_number(number)) == number
    assert parse_number(format_number(number, grouping=False)) == number
    assert parse_number(format_number(number, 2)) == number.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


# --- header and layout detection --------------------------------------------------------------

WORDS = sorted({h for p in PROFILES.values() for c in p.columns for h in c.headers}
               | set(NAME_HEADERS) | set(SEQ_HEADERS) | set(ID_HEADERS) | set(DOSSIER_HEADER)
               | {"Tổng cộng", "Cộng", "I", "II", "(1)", "(2)", "UBND xã Vĩnh Khê", "Phòng Tư pháp", "Tổng số"})
CELLS = st.one_of(
    st.none(), st.sampled_from(WORDS), st.text(max_size=12), NUMBERISH,
    st.integers(min_value=-10**6, max_value=10**9), st.floats(allow_nan=True, allow_infinity=True),
)
TABLE = st.lists(st.lists(CELLS, min_size=0, max_size=10), min_size=0, max_size=25)


@TABLES
@given(TABLE)
def test_any_table_read_from_a_sheet_gives_a_report(monkeypatch, table):
    monkeypatch.setattr(pipeline, "read_sheets", lambda path, name=None: [Sheet("Trang 1", table)])
    monkeypatch.setattr(pipeline.dossiers, "try_read", lambda *args, **kwargs: False)

    report = pipeline.read_file(Path("bang.xlsx"))

    assert isinstance(report, ImportReport)
    assert report.refused or report.rows or report.notes or report.warnings  # it says what it found


@TABLES
@given(TABLE)
def test_any_table_written_as_csv_gives_a_report(table):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bang.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([["" if c is None else c for c in row] for row in table])

        report = pipeline.read_file(path)  # UnreadableFile is turned into a located error by read_file

    assert isinstance(report, ImportReport)
    for message in report.errors:
        assert message.text  # a sentence for the user, not an empty error


# --- a valid table, laid out as any export might lay it out -------------------------------------
# The seed letters' appendices (tests/documents/seeds.py: one table of each source, expected values
# read from the letters' text, never from the importer), re-laid at random: title rows above, the
# figure columns in any order, blank columns anywhere, headers respelled as other exports spell them,
# numbers as numbers or as typed. The unit's own columns (TT, ID, name) stay first, as every export
# has them: a total row is told by the label before the name.

LAYOUTS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])
TITLES = ["UBND HUYỆN VĨNH LINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "BÁO CÁO SỐ LIỆU", "Kỳ báo cáo: 6 tháng đầu năm 2023", "(Kèm theo Công văn số 123/UBND-NV)",
          "Đơn vị tính: văn bản, hồ sơ", "Phụ lục 1"]
TITLE_ROW = st.tuples(
    st.integers(min_value=0, max_value=3),
    st.one_of(st.sampled_from(TITLES), st.text(alphabet="abcdefghiklmnoprstuvxyĐđÁáÂâÊêÔôƯưƠơ :-/0123456789",
                                               min_size=1, max_size=40)),
)
# Spellings the exports use for one another's words (profiles._VARIANTS read the other way, and the
# seeds' respellings): each pair names the same column once headers are normalized.
SHORTHANDS = [("Văn bản", "VB"), ("văn bản", "VB"), ("hồ sơ", "HS"), ("HS", "hồ sơ"), ("VB", "văn bản"),
              ("Tổng số", "Tổng"), ("Tỷ lệ", "Tỉ lệ"), ("Tỉ lệ", "Tỷ lệ"), ("trực tuyến", "online"),
              ("online", "trực tuyến"), ("Phải hồi", "Phản hồi"), ("phản hồi", "phải hồi"),
              ("DVC TT", "DVC trực tuyến"), ("Lãnh đạo", "LĐ"), ("ký số", "KS")]


def respelled(label: str, how: list[str]) -> str:
    if label in ("TT", "STT", "ID"):
        return label
    for step in how:
        if step == "upper":
            label = label.upper()
        elif step == "lower":
            label = label.lower()
        elif step == "no marks":
            label = strip_diacritics(label)
        elif step == "spacing":
            label = "  " + label.replace(" ", " \n ", 1) + " "
        else:  # a shorthand, by its index
            old, new = SHORTHANDS[int(step)]
            label = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, label)
    return label


RESPELLING = st.lists(st.sampled_from(["upper", "lower", "no marks", "spacing", *map(str, range(len(SHORTHANDS)))]),
                      max_size=3)
NUMBER_STYLES = st.sampled_from(["number", "typed", "thousands dot", "percent sign"])


@st.composite
def laid_out(draw, appendix: str):
    """(rows of the sheet, expected {name: {key: value}}, expected {name: code}) for ``appendix``."""
    t = seeds.table(appendix)
    h, n = t.header_height, seeds.label_columns(appendix)
    header = [list(row) for row in t.rows[:h]]
    if h == 2:  # a merged parent written over each of its children, so that it follows them anywhere
        top, below = header
        for c in range(1, len(top)):
            if not top[c] and below[c]:
                top[c] = top[c - 1]
    width = len(header[0])
    figures = draw(st.permutations(range(n, width)))
    order = list(range(n)) + list(figures)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        order.insert(draw(st.integers(min_value=0, max_value=len(order))), None)  # a blank column
    spelling = {c: draw(RESPELLING) for c in range(width)}
    styles = {c: draw(NUMBER_STYLES) for c in range(width)}
    is_rate = {c: "ty le" in fold(" ".join(r[c] for r in header)) or "ti le" in fold(" ".join(r[c] for r in header))
               for c in range(width)}

    def cell(c, text: str, in_header: bool):
        if c is None or not text:
            return None
        if in_header:
            return respelled(text, spelling[c])
        if not seeds.builder.NUMBER.match(text) or c < n:
            return text
        style = styles[c]
        if style == "number":
            return seeds.builder.cell_value(text)
        if style == "thousands dot":
            return seeds.vn_text(text)
        if style == "percent sign" and is_rate[c]:
            return text + "%"
        return text

    originals = [list(row) for row in t.rows[:h]]
    rows = []
    for source_row in t.rows:
        header_row = next((i for i, original in enumerate(originals) if source_row == original), None)
        row = header[header_row] if header_row is not None else source_row
        rows.append([cell(c, row[c] if c is not None else "", header_row is not None) for c in order])
    titles = []
    for column, text in draw(st.lists(TITLE_ROW, max_size=4)):
        titles.append([None] * column + [text] + [None] * (len(order) - column - 1))
    return titles + rows


@pytest.mark.parametrize("appendix", sorted(seeds.APPENDICES))
def test_a_valid_table_in_any_layout_reads_as_its_source_with_its_values(appendix, monkeypatch):
    expected_source = seeds.APPENDICES[appendix]["source"]
    expected = seeds.expected_values(appendix)
    codes = seeds.expected_codes(appendix)
    monkeypatch.setattr(pipeline.dossiers, "try_read", lambda *args, **kwargs: False)

    @LAYOUTS
    @given(laid_out(appendix))
    def reads_back(rows):
        monkeypatch.setattr(pipeline, "read_sheets", lambda path, name=None: [Sheet("Trang 1", rows)])

        report = pipeline.read_file(Path("bang.xlsx"))

        assert [m.text for m in report.errors] == []
        assert report.source == expected_source
        assert {row.name: {key: c.value for key, c in row.values.items()} for row in report.rows} == expected
        if codes:
            assert {row.name: row.code for row in report.rows} == codes

    reads_back()
