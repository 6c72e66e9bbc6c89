"""The oracle: the seed letters' appendix tables, parsed straight from fixtures/seeds/*.txt, and
ways to lay them out as the exports arrive. Expected values come from the text, never from the
importer."""

import importlib.util
import re
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("build_demo_spreadsheets", ROOT / "scripts" / "build_demo_spreadsheets.py")
builder = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builder)

# Per appendix: the source, which rows are units, the column of the name (and QLVB ID), and which
# printed column holds which canonical key (DOMAIN.md's table, read against the printed headers).
APPENDICES = {
    "000-1": dict(source="online_services", unit_row=lambda r: r[0].isdigit(), name=1, keys={
        2: "dvc_partial_services", 3: "dvc_full_services",
        5: "dvc_partial_services_with_dossiers", 6: "dvc_partial_services_with_online_dossiers",
        7: "dvc_full_services_with_dossiers", 8: "dvc_full_services_with_online_dossiers",
        10: "dvc_partial_online_dossiers", 11: "dvc_partial_dossiers",
        13: "dvc_full_online_dossiers", 14: "dvc_full_dossiers", 16: "tthc_dossiers"}),
    "000-2": dict(source="incoming", unit_row=lambda r: r[0].isdigit(), name=1, keys={
        2: "incoming_total", 3: "incoming_replied", 4: "incoming_closed", 5: "incoming_pending"}),
    "000-3": dict(source="outgoing", unit_row=lambda r: r[0].isdigit(), name=1, keys={
        2: "outgoing_total", 3: "outgoing_electronic", 4: "outgoing_paper", 5: "outgoing_unsigned",
        6: "outgoing_signed", 8: "outgoing_leader_signed"}),
    "002-1": dict(source="incoming", unit_row=lambda r: r[0] == "2730", name=2, code=1, keys={
        3: "incoming_total", 4: "incoming_replied", 5: "incoming_closed", 7: "incoming_pending"}),
    "002-2": dict(source="outgoing", unit_row=lambda r: r[0] == "2730", name=2, code=1, keys={
        3: "outgoing_total", 4: "outgoing_electronic", 5: "outgoing_paper", 6: "outgoing_signed",
        8: "outgoing_unsigned", 9: "outgoing_leader_signed"}),
    "003-1": dict(source="procedures", unit_row=lambda r: r[0].isdigit(), name=1, keys={
        2: "tthc_online_rate", 3: "tthc_digitized_rate", 4: "tthc_overdue",
        5: "tthc_online_payment_rate", 6: "tthc_e_receipt_rate"}),
}


def table(appendix: str):
    seed, index = appendix.split("-")
    return builder.seed_table(seed, int(index))


def expected_values(appendix: str) -> dict[str, dict[str, Decimal]]:
    """{name as printed: {key: value}}; a blank cell is no data and has no key."""
    spec = APPENDICES[appendix]
    result = {}
    for row in table(appendix).rows:
        if not spec["unit_row"](row):
            continue
        result[row[spec["name"]]] = {
            key: Decimal(row[col].replace(",", ".")) for col, key in spec["keys"].items() if row[col].strip()
        }
    return result


def expected_codes(appendix: str) -> dict[str, str]:
    spec = APPENDICES[appendix]
    if "code" not in spec:
        return {}
    return {r[spec["name"]]: r[spec["code"]] for r in table(appendix).rows if spec["unit_row"](r)}


# ---- layouts -------------------------------------------------------------------------------

VARIANT_SPELLINGS = [
    (r"\bphản hồi\b", "Phải hồi"), (r"\bPhải hồi\b", "Phản hồi"), (r"\bTỷ lệ\b", "Tỉ lệ"), (r"\bTỉ lệ\b", "Tỷ lệ"),
    (r"\bHS\b", "hồ sơ"), (r"\bVB\b", "văn bản"), (r"\bDVC TT\b", "DVC trực tuyến"),
]


def respell(cell: str) -> str:
    if cell in ("TT", "STT", "ID"):
        return cell
    for pattern, replacement in VARIANT_SPELLINGS:
        new = re.sub(pattern, replacement, cell)
        if new != cell:
            return new
    return cell


def vn_text(cell: str) -> str:
    """A number as a Vietnamese export types it: thousands dot, decimal comma, sometimes "%"."""
    if not re.fullmatch(r"\d+(,\d+)?", cell):
        return cell
    whole, _, frac = cell.partition(",")
    whole = f"{int(whole):,}".replace(",", ".")
    return f"{whole},{frac}" if frac else whole


def label_columns(appendix: str) -> int:
    """How many columns come before the figures (seq, IDs, name)."""
    return APPENDICES[appendix]["name"] + 1


def reordered(appendix: str) -> tuple[list[str], list[list[str]], int]:
    """Metric columns reversed, a note column after the name and one at the end, headers respelled,
    a section row, and the header repeated in the middle of the body."""
    t = table(appendix)
    h = t.header_height
    n = label_columns(appendix)

    def reshape(row, is_header):
        labels, figures = row[:n], row[n:][::-1]
        extra = "Ghi chú" if is_header == 0 else ("" if is_header else "xem báo cáo")
        return labels + [extra] + figures + [("Người lập" if is_header == 0 else "")]

    header_rows = [list(t.rows[i]) for i in range(h)]
    body = [r for r in t.rows[h:] if r not in t.rows[:h] and not _numbered(r)]
    if h == 2:
        # Spread a merged parent over its children, so that it stays over them once reversed.
        top, below = header_rows
        for c in range(1, len(top)):
            if not top[c] and below[c]:
                top[c] = top[c - 1]
    new_header = [[respell(c) for c in reshape(r, i)] for i, r in enumerate(header_rows)]
    if h == 2:
        top, below = new_header
        for c in range(len(top) - 1, 0, -1):
            if top[c] and top[c] == top[c - 1] and below[c]:
                top[c] = ""  # only the first cell of a merged range holds the label
    new_body = [reshape(r, None) for r in body]
    section = [""] * len(new_header[0])
    section[n - 1 if n > 2 else 0] = "CÁC ĐƠN VỊ"
    middle = len(new_body) // 2
    rows = new_header + [section] + new_body[:middle] + new_header + new_body[middle:]
    return ["BÁO CÁO SỐ LIỆU", "Kỳ báo cáo: 6 tháng"], rows, h


def two_row_header(appendix: str) -> tuple[list[str], list[list[str]], int]:
    """A one-row header turned into two: "Kết quả" merged over the figures' own headers."""
    t = table(appendix)
    assert t.header_height == 1
    n = label_columns(appendix)
    top = t.rows[0][:n] + ["Kết quả"] + [""] * (len(t.rows[0]) - n - 1)
    below = [""] * n + t.rows[0][n:]
    body = [r for r in t.rows[1:] if r != t.rows[0]]
    return t.title, [top, below] + body, 2


def _numbered(row) -> bool:
    cells = [c for c in row if c]
    return bool(cells) and all(c.startswith("(") for c in cells)


def write_layout(appendix: str, layout: str, folder: Path) -> Path:
    t = table(appendix)
    name = f"{appendix}-{layout}"
    if layout == "as_exported":
        return builder.write_xlsx(folder / f"{name}.xlsx", t.title, t.rows, t.header_height)
    if layout == "text_numbers":
        return builder.write_xlsx(folder / f"{name}.xlsx", t.title, t.rows, t.header_height, numbers="text")
    if layout == "csv_bom":
        rows = [[vn_text(c) for c in r] for r in t.rows]
        return builder.write_csv(folder / f"{name}.csv", rows, bom=True, title=t.title)
    if layout == "csv_plain":
        return builder.write_csv(folder / f"{name}.csv", t.rows, bom=False)
    if layout == "reordered":
        title, rows, h = reordered(appendix)
        return builder.write_xlsx(folder / f"{name}.xlsx", title, rows, h)
    if layout == "two_row_header":
        title, rows, h = two_row_header(appendix)
        return builder.write_xlsx(folder / f"{name}.xlsx", title, rows, h)
    raise ValueError(layout)


LAYOUTS = {
    "000-1": ["as_exported", "text_numbers", "csv_bom", "reordered", "two_row_header"],
    "000-2": ["as_exported", "csv_bom", "reordered", "two_row_header", "csv_plain"],
    "000-3": ["as_exported", "text_numbers", "reordered", "two_row_header"],
    "002-1": ["as_exported", "csv_bom", "reordered", "text_numbers"],
    "002-2": ["as_exported", "csv_bom", "reordered"],
    "003-1": ["as_exported", "csv_bom", "reordered", "two_row_header"],
}


def write_xls(appendix: str, folder: Path) -> Path:
    """The legacy .xls some provincial systems still export, numbers as numbers."""
    import xlwt

    t = table(appendix)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Báo cáo")
    for r, line in enumerate(t.title):
        sheet.write(r, 0, line)
    for r, row in enumerate(t.rows, start=len(t.title)):
        for c, cell in enumerate(row):
            value = builder.cell_value(cell)
            if value is not None:
                sheet.write(r, c, value)
    path = folder / f"{appendix}-legacy.xls"
    book.save(str(path))
    return path
