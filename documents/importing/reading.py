"""Reading a file into sheets of raw cell values, safely: size limit, row limit, zip and XML-entity
bombs refused before any parser sees the content. Formulas are never evaluated (calamine reads the
cached values) and external links are never followed (calamine does not resolve them).
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An honest export compresses well, but not a thousandfold; a bomb does.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# OOXML parts never carry a DTD: a DOCTYPE or ENTITY there is an attack (billion laughs).
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
# Files that are surely not a table, whatever their name says (the CSV reader would take their text).
FOREIGN_MAGIC = {
    b"%PDF": "PDF", b"MZ": "chương trình", b"\x7fELF": "chương trình", b"\x89PNG": "ảnh PNG",
    b"\xff\xd8\xff": "ảnh JPEG", b"GIF8": "ảnh GIF", b"<!doctype html": "trang web", b"<html": "trang web",
}


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message is for the user, in Vietnamese."""


@dataclass
class Sheet:
    name: str
    rows: list[list]  # rows[0] is spreadsheet row 1; cells as calamine gives them (str, int, float, None…)


def check_file(path: Path, display_name: str | None = None) -> str:
    """The file's kind ("xlsx", "xls" or "csv") once the size limit and, for .xlsx, the zip and
    XML-entity bomb checks have passed; else UnreadableFile. Nothing is parsed yet."""
    path = Path(path)
    name = display_name or path.name
    size = path.stat().st_size
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise UnreadableFile(
            f"Tệp {name} có dung lượng {size / 1024 / 1024:.1f} MB, vượt giới hạn {limit / 1024 / 1024:.0f} MB: "
            "không đọc. Hãy tách tệp hoặc chỉ xuất các cột cần thiết."
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(XLSX_MAGIC):
        _check_ooxml(path, name)
        return "xlsx"
    if head == XLS_MAGIC:
        return "xls"
    with path.open("rb") as handle:
        start = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    foreign = next((what for magic, what in FOREIGN_MAGIC.items() if start.startswith(magic.lower())), None)
    if foreign:
        raise UnreadableFile(f"Tệp {name} không phải bảng tính mà là {foreign}: cần tệp .xlsx, .xls hoặc .csv.")
    return "csv"


def read_sheets(path: Path, display_name: str | None = None) -> list[Sheet]:
    """Every sheet of ``path`` as rows of cell values, or UnreadableFile with a plain message."""
    path = Path(path)
    name = display_name or path.name
    kind = check_file(path, name)
    sheets = [_read_csv(path, name)] if kind == "csv" else _read_calamine(path, name)
    max_rows = settings.IMPORT_MAX_ROWS
    for sheet in sheets:
        if len(sheet.rows) > max_rows:
            raise UnreadableFile(
                f"Tệp {name}, trang {sheet.name}: có {len(sheet.rows)} dòng, vượt giới hạn {max_rows} dòng: không đọc."
            )
    return sheets


def iter_sheets(path: Path, kind: str, display_name: str | None = None):
    """(sheet name, iterator of rows) for each sheet, one row at a time: for the per-dossier
    exports, which can hold hundreds of thousands of rows. Row 1 comes first, as in read_sheets.
    ``kind`` is what check_file answered (the caller checks first)."""
    path = Path(path)
    name = display_name or path.name
    if kind == "csv":
        yield Path(name).stem or "CSV", _iter_csv(path, name)
        return
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            # iter_rows gives row 1 first but starts each row at the first used column: pad it,
            # so that messages name the real column.
            start_col = sheet.start[1] if sheet.start else 0
            rows = sheet.iter_rows()
            yield sheet_name, (_padded(start_col, rows) if start_col else rows)
        workbook.close()
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises several types for a damaged or foreign file
        raise UnreadableFile(f"Tệp {name} không đọc được như một bảng tính Excel ({exc.__class__.__name__}).") from exc


def _padded(blank_columns: int, rows):
    pad = [None] * blank_columns
    for row in rows:
        yield pad + row


def _iter_csv(path: Path, name: str):
    with path.open("rb") as handle:
        head = handle.read(8192)
    if b"\x00" in head[:4096]:
        raise UnreadableFile(
            f"Tệp {name} không phải bảng tính: cần tệp .xlsx, .xls hoặc .csv (UTF-8, có hoặc không có BOM)."
        )
    try:
        sample = head.decode("utf-8-sig", errors="ignore")
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    with path.open(encoding="utf-8-sig", newline="") as text:
        try:
            for row in csv.reader(text, delimiter=delimiter):
                yield [c if c.strip() else None for c in row]
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                f"Tệp {name} không phải văn bản UTF-8: hãy lưu lại dưới dạng CSV UTF-8 hoặc dùng tệp .xlsx."
            ) from exc


def _check_ooxml(path: Path, name: str) -> None:
    """Refuse a zip bomb or an XML entity bomb by looking at the archive, before parsing it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise UnreadableFile(f"Tệp {name} là tệp nén nhưng không phải bảng tính Excel (.xlsx): không đọc.")
            total = sum(m.file_size for m in members)
            if total > MAX_UNZIPPED_BYTES:
                raise UnreadableFile(
                    f"Tệp {name} khi giải nén lên tới {total / 1024 / 1024:.0f} MB, vượt giới hạn "
                    f"{MAX_UNZIPPED_BYTES / 1024 / 1024:.0f} MB (nghi là “bom nén”): không đọc."
                )
            for member in members:
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
                    raise UnreadableFile(
                        f"Tệp {name}: phần {member.filename} nén với tỷ lệ {ratio:.0f}:1, bất thường "
                        "(nghi là “bom nén”): không đọc."
                    )
                if member.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(member) as part:
                        prolog = part.read(4096)
                    if any(marker in prolog for marker in DTD_MARKERS):
                        raise UnreadableFile(
                            f"Tệp {name}: phần {member.filename} khai báo DOCTYPE/ENTITY, điều mà tệp Excel "
                            "thật không bao giờ có (nghi là “bom thực thể XML”): không đọc."
                        )
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"Tệp {name} bị hỏng hoặc không phải tệp Excel (.xlsx): không đọc.") from exc


def _read_calamine(path: Path, name: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)
            # skip_empty_area=False keeps row 1 at index 0, so that messages name the real row.
            sheets.append(Sheet(sheet_name, sheet.to_python(skip_empty_area=False)))
        workbook.close()
        return sheets
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises several types for a damaged or foreign file
        raise UnreadableFile(f"Tệp {name} không đọc được như một bảng tính Excel ({exc.__class__.__name__}).") from exc


def _read_csv(path: Path, name: str) -> Sheet:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise UnreadableFile(
            f"Tệp {name} không phải bảng tính: cần tệp .xlsx, .xls hoặc .csv (UTF-8, có hoặc không có BOM)."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"Tệp {name} không phải văn bản UTF-8 (byte {exc.start}): hãy lưu lại dưới dạng CSV UTF-8 "
            "hoặc dùng tệp .xlsx."
        ) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Sheet(Path(name).stem or "CSV", [[c if c.strip() else None for c in r] for r in rows])
