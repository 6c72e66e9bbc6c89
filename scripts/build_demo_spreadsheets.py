"""Rebuild each appendix of the seed letters as the spreadsheet an export would have been.

    .venv/bin/python scripts/build_demo_spreadsheets.py [OUT_DIR]

Reads the tab-separated tables of fixtures/seeds/000, 002 and 003 and writes, into
fixtures/spreadsheets/ (or OUT_DIR): title rows above the header, the header as printed (two rows
with merged cells where the letter has two), the numbered-columns row, the header repeated where
the letter starts a new page, section and total rows as printed, numbers as numbers. Beside them,
manifest.json says each file's source and period, for the demo loader.

The functions are imported by the tests, which build more layouts from the same tables.
"""

import csv
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
OUT = ROOT / "fixtures" / "spreadsheets"
NUMBER = re.compile(r"^-?\d+(,\d+)?$")
FIXED_TIME = datetime(2023, 12, 8, 8, 0, 0)


@dataclass
class SeedTable:
    """One appendix table as the letter prints it: title lines, then rows of cells (strings)."""

    seed: str
    index: int  # 1-based, in the order of the letter
    title: list[str]
    rows: list[list[str]] = field(default_factory=list)

    @property
    def header_height(self) -> int:
        """Two when the row under the header starts blank and carries labels (seed 002)."""
        labels = [c for c in self.rows[1] if c and not NUMBER.match(c)] if len(self.rows) > 1 else []
        if not self.rows[1][0] and len(labels) >= 2:
            return 2
        return 1


def _clean(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def seed_tables(seed_prefix: str) -> list[SeedTable]:
    """Every tab-separated table of a seed: a table goes on across blank lines (page breaks) and
    ends at the next line of text."""
    path = next(SEEDS.glob(f"{seed_prefix}_*.txt"))
    tables: list[SeedTable] = []
    title: list[str] = []
    current: SeedTable | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            if current is None:
                current = SeedTable(seed_prefix, len(tables) + 1, title)
                tables.append(current)
                title = []
            current.rows.append([_clean(c) for c in line.split("\t")])
        elif line.strip():
            current = None
            text = re.sub(r"[*]+", " ", line).strip()
            # The title of an appendix starts at "Phụ lục"; without one, the line right above the table.
            title = [text] if text.startswith("Phụ lục") or not title or not title[0].startswith("Phụ lục") else title + [text]
    width = {id(t): max(len(r) for r in t.rows) for t in tables}
    for table in tables:
        table.rows = [r + [""] * (width[id(table)] - len(r)) for r in table.rows]
    return tables


def cell_value(text: str, numbers: str = "number"):
    """A seed cell as an export would hold it: numbers as numbers, or left as the letter's text."""
    if numbers == "number" and NUMBER.match(text):
        return float(text.replace(",", ".")) if "," in text else int(text)
    return text if text else None


def header_merges(header: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Merged ranges (row0, col0, row1, col1; 0-based, relative to the header) of a two-row header:
    a label with nothing under it spans both rows; a parent spans the children to its right."""
    if len(header) < 2:
        return []
    top, below = header
    merges = []
    c = 0
    while c < len(top):
        if top[c] and not below[c]:
            merges.append((0, c, 1, c))
            c += 1
        elif top[c] and below[c]:
            end = c
            while end + 1 < len(top) and not top[end + 1] and below[end + 1]:
                end += 1
            if end > c:
                merges.append((0, c, 0, end))
            c = end + 1
        else:
            c += 1
    return merges


def write_xlsx(path: Path, title: list[str], rows: list[list[str]], header_height: int, *,
               numbers: str = "number", sheet_name: str = "Sheet1") -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    for line in title:
        sheet.append([line])
    offset = len(title)
    header = rows[:header_height]
    for r, row in enumerate(rows):
        is_header = r < header_height or row == rows[0]
        sheet.append([(cell or None) if is_header else cell_value(cell, numbers) for cell in row])
    starts = [offset + i for i, row in enumerate(rows) if row == rows[0]]
    for start in starts:
        for r0, c0, r1, c1 in header_merges(header):
            sheet.merge_cells(start_row=start + r0 + 1, start_column=c0 + 1, end_row=start + r1 + 1, end_column=c1 + 1)
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], *, bom: bool = True, title: list[str] = ()) -> Path:
    """Numbers stay as the letter prints them ("10,4", "1.152"): a CSV has no types."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for line in title:
            writer.writerow([line])
        writer.writerows(rows)
    return path


# (seed, table index, file name, source, period): the letter's appendices and the period each covers.
APPENDICES = [
    ("000", 1, "2023-R1_phu-luc-1_dvctt.xlsx", "online_services", "2023-R1"),
    ("000", 2, "2023-R1_phu-luc-2_van-ban-den.xlsx", "incoming", "2023-R1"),
    ("000", 3, "2023-R1_phu-luc-3_van-ban-di.xlsx", "outgoing", "2023-R1"),
    ("002", 1, "2023-H1_phu-luc-1_van-ban-den.xlsx", "incoming", "2023-H1"),
    ("002", 2, "2023-H1_phu-luc-2_van-ban-di.xlsx", "outgoing", "2023-H1"),
    ("003", 1, "2023-H1_tthc.csv", "procedures", "2023-H1"),
]


def seed_table(seed: str, index: int) -> SeedTable:
    return seed_tables(seed)[index - 1]


def build(out: Path = OUT) -> list[Path]:
    written, manifest = [], {}
    for seed, index, name, source, period in APPENDICES:
        table = seed_table(seed, index)
        if name.endswith(".csv"):
            path = write_csv(out / name, table.rows, title=table.title)
        else:
            path = write_xlsx(out / name, table.title, table.rows, table.header_height)
        manifest[name] = {"source": source, "period": period, "seed": f"{seed} phụ lục {index}"}
        written.append(path)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return written


if __name__ == "__main__":
    for written_path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(written_path)
