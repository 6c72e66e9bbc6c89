"""Files that would cost the server dearly are refused before any parser reads them, quickly and
with a message a person understands."""

import time
import zipfile

import pytest

from documents.importing.run import import_file

from .conftest import table_dump
from .seeds import write_layout

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def rebuilt(source, target, replace):
    """Copy an .xlsx, replacing some of its parts."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            if item.filename not in replace:
                copy.writestr(item, original.read(item.filename))
        for name, data in replace.items():
            copy.writestr(name, data)
    return target


def refused_quickly(path, period):
    before = table_dump()
    started = time.monotonic()
    outcome = import_file(path, period=period)
    elapsed = time.monotonic() - started
    assert outcome.report.refused and outcome.stored is None
    assert elapsed < 2, f"took {elapsed:.1f} s"
    assert table_dump() == before
    return outcome.report.errors[0].text


def test_it_refuses_a_file_over_the_size_limit(tmp_path, registry, period, settings):
    path = write_layout("000-2", "as_exported", tmp_path)
    settings.UPLOAD_MAX_BYTES = path.stat().st_size - 1

    text = refused_quickly(path, period)

    assert "vượt giới hạn" in text and "000-2-as_exported.xlsx" in text


def test_it_refuses_a_zip_bomb(tmp_path, registry, period):
    good = write_layout("000-2", "as_exported", tmp_path)
    # 300 MB of the same byte compresses to a few hundred KB: a small file that would eat the memory.
    bomb = rebuilt(good, tmp_path / "bom-nen.xlsx", {"xl/worksheets/sheet1.xml": b" " * (300 * 1024 * 1024)})
    assert bomb.stat().st_size < 2 * 1024 * 1024

    text = refused_quickly(bomb, period)

    assert "bom nén" in text and "bom-nen.xlsx" in text


def test_it_refuses_an_xml_entity_bomb(tmp_path, registry, period):
    good = write_layout("000-2", "as_exported", tmp_path)
    bomb = rebuilt(good, tmp_path / "bom-xml.xlsx", {"xl/worksheets/sheet1.xml": BILLION_LAUGHS})

    text = refused_quickly(bomb, period)

    assert "ENTITY" in text and "xl/worksheets/sheet1.xml" in text


def test_it_refuses_a_sheet_over_the_row_limit(tmp_path, registry, period, settings):
    settings.IMPORT_MAX_ROWS = 10

    text = refused_quickly(write_layout("000-2", "csv_bom", tmp_path), period)

    assert "vượt giới hạn 10 dòng" in text
