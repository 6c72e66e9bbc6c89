"""Hypothesis against the parsers that read what others typed: the number parser never raises
anything but ValueError and gives back what format_number printed; the import pipeline's header
and layout detection, given any table at all, answers with a report (its own errors inside) or
UnreadableFile, never with another exception. Bounded to run in seconds."""

import csv
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.numbers import format_number, parse_number
from documents.importing import pipeline
from documents.importing.profiles import ID_HEADERS, NAME_HEADERS, PROFILES, SEQ_HEADERS
from documents.importing.reading import Sheet
from documents.importing.report import ImportReport

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
