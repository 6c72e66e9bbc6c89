"""Finding the table in a sheet as real exports lay it out: title rows above the header, one- or
two-row headers with merged cells, a numbered-columns row, the header repeated mid-sheet, section
rows, total rows, extra or reordered columns, ID columns before the name."""

import re
from dataclasses import dataclass
from decimal import Decimal

from common.numbers import format_number, parse_number
from units.text import fold

from .profiles import (
    COUNT, ID_HEADERS, NAME_HEADERS, PROFILES, RATE, SEQ_HEADERS, STATED_RATE, STATED_SUM, Column, Profile,
    is_grand_total_label, is_total_label, normalize_header,
)
from .reading import Sheet
from .report import Cell, DataRow, ImportReport, TotalRow, column_letter

NUMBERED_CELL = re.compile(r"^\(\d+\)")
NAME_SET = {normalize_header(h) for h in NAME_HEADERS}
SEQ_SET = {normalize_header(h) for h in SEQ_HEADERS}
ID_SET = {normalize_header(h) for h in ID_HEADERS}
ALL_KNOWN = {phrase for p in PROFILES.values() for phrase in p.lookup()}
MAX_PLACES = 6


def blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def text_of(cell) -> str:
    if blank(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


@dataclass
class Header:
    """A header block: its first row (0-based), how many rows it spans, and each column's label."""

    start: int
    height: int
    labels: list[str]      # parent and child joined, as a person reads the column
    children: list[str]    # the lower row alone (blank for a one-row header)
    name_col: int

    def signature(self) -> list[str]:
        return [normalize_header(label) for label in self.labels]


def _is_numbered_row(row: list) -> bool:
    cells = [text_of(c) for c in row if not blank(c)]
    return len(cells) >= 2 and all(NUMBERED_CELL.match(c) for c in cells)


def header_at(rows: list[list], i: int) -> Header | None:
    """The header block starting at row ``i``, or None: a header names the unit column and at
    least two columns some source knows."""
    row = rows[i]
    normalized = [normalize_header(text_of(c)) for c in row]
    name_col = next((c for c, n in enumerate(normalized) if n in NAME_SET), None)
    if name_col is None:
        return None
    height = 1
    width = len(row)
    children = [""] * width
    below = rows[i + 1] if i + 1 < len(rows) else []
    if below and blank(below[name_col] if name_col < len(below) else None) and not _is_numbered_row(below):
        texts = [text_of(c) for c in below]
        words = [t for t in texts if t and parse_number_or_none(t) is None]
        # Two labels or more, or one that a source knows: a single text (a section row
        # "HUYỆN VĨNH LINH") under a one-row header is not a second header row.
        if len(words) >= 2 or any(normalize_header(t) in ALL_KNOWN for t in words):
            height = 2
            children = (texts + [""] * width)[:width]
    labels, parent = [], ""
    for c in range(width):
        own = text_of(row[c])
        if own:
            parent = own
            labels.append(f"{own} {children[c]}".strip())
        elif children[c]:
            # A merged parent spans to the right: calamine leaves the covered cells blank.
            labels.append(f"{parent} {children[c]}".strip())
        else:
            labels.append("")
    known = sum(1 for c in range(width)
                if normalize_header(labels[c]) in ALL_KNOWN or normalize_header(children[c]) in ALL_KNOWN)
    if known < 2:
        return None
    return Header(i, height, labels, children, name_col)


def parse_number_or_none(text):
    try:
        return parse_number(text)
    except ValueError:
        return None


def map_columns(header: Header, profile: Profile) -> dict[int, Column]:
    lookup = profile.lookup()
    mapped = {}
    for c, label in enumerate(header.labels):
        column = lookup.get(normalize_header(label)) or lookup.get(normalize_header(header.children[c]))
        if column is not None:
            mapped[c] = column
    return mapped


def detect_source(header: Header) -> tuple[str, list[str]]:
    """The source whose required columns the header has, the one with most known columns among
    several; with none complete, the closest one and the names of its missing columns."""
    best = None
    for profile in PROFILES.values():
        mapped = map_columns(header, profile)
        keys = {col.key for col in mapped.values()}
        missing = [col.headers[0] for col in profile.required if col.key not in keys]
        rank = (not missing, len(mapped))
        if best is None or rank > best[0]:
            best = (rank, profile.source, missing)
    return best[1], best[2]


class SheetReader:
    """Reads one sheet of a file of a known source into the report: data rows, total rows, and
    errors for cells that are not what their column needs."""

    def __init__(self, report: ImportReport, sheet: Sheet, header: Header, profile: Profile):
        self.report = report
        self.sheet = sheet
        self.header = header
        self.profile = profile
        self.columns = map_columns(header, profile)
        normalized = header.signature()
        self.seq_col = next((c for c, n in enumerate(normalized) if n in SEQ_SET), None)
        id_cols = [c for c, n in enumerate(normalized) if n in ID_SET and c < header.name_col]
        # QLVB exports carry two IDs (the district's, then the unit's): the one nearest the name is the unit's.
        self.code_col = id_cols[-1] if id_cols else None

    def where(self, r: int, c: int) -> dict:
        return {"sheet": self.sheet.name, "row": r + 1, "column": column_letter(c)}

    def prefix(self, r: int, c: int | None = None) -> str:
        text = f"Tệp {self.report.file}, trang «{self.sheet.name}», dòng {r + 1}"
        if c is not None:
            text += f", cột {column_letter(c)} «{self.header.labels[c]}»"
        return text

    def check_columns(self) -> None:
        seen: dict[str, int] = {}
        for c, column in sorted(self.columns.items()):
            if column.key in seen:
                first = seen[column.key]
                self.report.error(
                    f"{self.prefix(self.header.start)}: hai cột {column_letter(first)} «{self.header.labels[first]}» "
                    f"và {column_letter(c)} «{self.header.labels[c]}» cùng là «{column.headers[0]}»; "
                    "cần mỗi chỉ số một cột.",
                    **self.where(self.header.start, c), value=self.header.labels[c], expected="mỗi chỉ số một cột",
                )
            seen.setdefault(column.key, c)
        keys = set(seen)
        for column in self.profile.required:
            if column.key not in keys:
                self.report.error(
                    f"Tệp {self.report.file}, trang «{self.sheet.name}», dòng tiêu đề {self.header.start + 1}: "
                    f"thiếu cột bắt buộc «{column.headers[0]}» của bảng {self.profile.label.lower()}.",
                    sheet=self.sheet.name, row=self.header.start + 1, column="",
                    value="(không có)", expected=column.headers[0],
                )
        ignored = [label for c, label in enumerate(self.header.labels)
                   if label and c not in self.columns and c != self.header.name_col and c != self.seq_col
                   and normalize_header(label) not in ID_SET]
        if ignored:
            self.report.notes.append(f"Trang «{self.sheet.name}»: bỏ qua các cột không dùng: {', '.join(ignored)}.")

    def read(self) -> None:
        self.check_columns()
        rows = self.sheet.rows
        pending_totals: list[tuple[TotalRow, int]] = []
        data: list[DataRow] = []
        since_last_total: list[DataRow] = []
        r = self.header.start + self.header.height
        while r < len(rows):
            row = rows[r]
            if all(blank(c) for c in row) or _is_numbered_row(row):
                r += 1
                continue
            repeated = header_at(rows, r)
            if repeated is not None:
                r += repeated.height
                continue
            label_cells = [text_of(c) for c in row[: self.header.name_col + 1]]
            first_label = next((t for t in label_cells if t), "")
            name = text_of(row[self.header.name_col]) if self.header.name_col < len(row) else ""
            has_values = any(c < len(row) and not blank(row[c]) for c in self.columns)
            folded = fold(first_label)
            if first_label and is_total_label(folded):
                total = TotalRow(self.sheet.name, r + 1, first_label, is_grand_total_label(folded))
                total.values = self.read_cells(r, row, for_total=True)
                total.covers = list(since_last_total)
                since_last_total = []
                pending_totals.append((total, len(data)))
            elif not has_values and not self._is_numbered_unit(row, name):
                if first_label:
                    self.report.notes.append(f"Trang «{self.sheet.name}», dòng {r + 1}: dòng mục «{first_label}», bỏ qua.")
            elif not name:
                self.report.error(
                    f"{self.prefix(r, self.header.name_col)}: dòng có số liệu nhưng không có tên đơn vị; "
                    "cần tên cơ quan, đơn vị.",
                    **self.where(r, self.header.name_col), value="(trống)", expected="tên đơn vị",
                )
            else:
                data_row = DataRow(self.sheet.name, r + 1, name, code=self._code(row))
                cells = self.read_cells(r, row)
                for key, cell in cells.items():
                    column_role = self.profile_column(key).role
                    (data_row.stated if column_role in (STATED_RATE, STATED_SUM) else data_row.values)[key] = cell
                data.append(data_row)
                since_last_total.append(data_row)
            r += 1
        for total, _ in pending_totals:
            # A grand total, or a subtotal with nothing above it (a "Toàn huyện" first row), covers the sheet.
            if total.grand or not total.covers:
                total.covers = list(data)
        self.report.rows.extend(data)
        self.report.totals.extend(t for t, _ in pending_totals)

    def profile_column(self, key: str) -> Column:
        return next(col for col in self.profile.columns if col.key == key)

    def _is_numbered_unit(self, row, name) -> bool:
        """A unit listed with no figures at all (its seq is a number): kept, with nothing to store."""
        if not name or self.seq_col is None or self.seq_col >= len(row):
            return False
        return text_of(row[self.seq_col]).isdigit()

    def _code(self, row) -> str:
        if self.code_col is None or self.code_col >= len(row):
            return ""
        return text_of(row[self.code_col])

    def read_cells(self, r: int, row: list, for_total: bool = False) -> dict[str, Cell]:
        cells = {}
        for c, column in self.columns.items():
            raw = row[c] if c < len(row) else None
            if blank(raw):
                continue  # blank is "no data", never zero
            try:
                value = parse_number(raw)
            except ValueError:
                value = None
                bad = True
            else:
                bad = False
            if value is None and not bad:
                continue  # "-" means no data as well
            where = self.where(r, c)
            # A number cell is shown the Vietnamese way (12,5), text as it was typed.
            shown = format_number(value) if isinstance(raw, (int, float)) and value is not None else text_of(raw)
            if column.role == COUNT:
                if bad or value != value.to_integral_value() or value < 0:
                    problem = "không phải số" if bad else ("là số âm" if value < 0 else "không phải số nguyên")
                    self.report.error(
                        f"{self.prefix(r, c)}: giá trị «{shown}» {problem}; cần một số đếm nguyên không âm "
                        "(để trống nếu không có số liệu).",
                        **where, value=shown, expected="số nguyên không âm",
                    )
                    continue
                value = value.to_integral_value()
            elif column.role in (RATE, STATED_RATE):
                if bad or value < 0 or value > 100:
                    text = (f"{self.prefix(r, c)}: giá trị «{shown}» "
                            f"{'không phải số' if bad else 'nằm ngoài khoảng 0–100'}; cần một tỷ lệ phần trăm từ 0 đến 100.")
                    if column.role == RATE:
                        self.report.error(text, **where, value=shown, expected="tỷ lệ % từ 0 đến 100")
                    else:
                        # A printed rate is only checked, never stored: a bad one is worth a warning, not a refusal.
                        self.report.warn(text, **where, value=shown, expected="tỷ lệ % từ 0 đến 100")
                    continue
            elif bad:
                self.report.warn(
                    f"{self.prefix(r, c)}: giá trị «{shown}» không phải số; cần một số.",
                    **where, value=shown, expected="số",
                )
                continue
            if isinstance(raw, float):
                # A number cell: 75.0 was printed 75; calamine gives no display format, so the
                # shortest repr is the best guess of the printed precision.
                value = value.normalize() if value == value.to_integral_value() else value
                value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
            places = min(max(0, -value.as_tuple().exponent), MAX_PLACES)
            cells[column.key] = Cell(value, self.sheet.name, r + 1, column_letter(c), places, shown)
        return cells
