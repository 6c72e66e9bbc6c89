"""The per-dossier TTHC export of the one-stop system: one row per dossier (code, unit, procedure,
submitted, due, returned, channel, level, paid online, digitised, e-receipt, status), read one row
at a time and aggregated into the ``procedures`` counts of each unit; the late dossiers are kept
(seed 003 item 4: each needs an apology letter).

What a dossier counts for (the definitions the rates are derived with, documents/metrics.py):
- received: every dossier in the file that was not withdrawn or cancelled;
- online_received: submitted online (column "Hình thức nộp" says trực tuyến);
- digitized / e_receipts: the column says yes ("Có", "x", "1"); blank means no (a checkbox);
- fee_dossiers / paid_online: the payment column says yes (paid online) or no (paid otherwise);
  blank means the procedure has no fee, and the dossier counts for neither;
- resolved: it has a return date; resolved_on_time: returned on or before its due date (the
  province counts early and on time together, seed 001: 14.651/14.678);
- overdue: returned after its due date, or still pending with a due date before ``as_of``
  (the end of the period being imported).
"""

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings

from units.text import fold

from ..metrics import derive_rates
from .profiles import normalize_header
from .reading import UnreadableFile, check_file, iter_sheets
from .report import Cell, DataRow, ImportReport, column_letter

SOURCE = "procedures"
HEADER_SEARCH_ROWS = 30
MAX_PLACES = 6  # MetricValue keeps six decimals
MAX_MESSAGES = 200  # a broken 200,000-row file would otherwise carry 200,000 messages

# Column → header phrases (compared after normalize_header, so "Mã HS" is "Mã hồ sơ").
COLUMNS = {
    "code": ("Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ", "Số biên nhận"),
    "unit": ("Đơn vị", "Tên đơn vị", "Cơ quan, đơn vị", "Đơn vị tiếp nhận", "Cơ quan giải quyết",
             "Cơ quan, đơn vị, địa phương", "Đơn vị giải quyết"),
    "procedure": ("Thủ tục hành chính", "Tên thủ tục", "Tên thủ tục hành chính", "Thủ tục", "Tên TTHC"),
    "submitted": ("Ngày tiếp nhận", "Ngày nộp", "Ngày nhận", "Ngày nộp hồ sơ", "Ngày tiếp nhận hồ sơ"),
    "due": ("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hạn xử lý", "Hạn giải quyết", "Hạn trả kết quả"),
    "returned": ("Ngày trả kết quả", "Ngày trả", "Ngày hoàn thành", "Ngày có kết quả", "Ngày trả KQ"),
    "channel": ("Hình thức nộp", "Kênh nộp", "Hình thức tiếp nhận", "Kênh tiếp nhận"),
    "level": ("Mức độ", "Mức độ DVC", "Mức độ DVCTT", "Mức độ dịch vụ công"),
    "paid_online": ("Thanh toán trực tuyến", "Thanh toán TT", "Thanh toán online"),
    "digitized": ("Số hóa", "Số hóa thành phần hồ sơ", "Số hóa đầy đủ", "Số hóa đầy đủ thành phần hồ sơ"),
    "e_receipt": ("Biên lai điện tử", "Có biên lai điện tử", "Phát hành biên lai điện tử"),
    "status": ("Trạng thái", "Tình trạng", "Trạng thái hồ sơ"),
}
KEYS = tuple(COLUMNS)
(CODE, UNIT, PROCEDURE, SUBMITTED, DUE, RETURNED, CHANNEL, LEVEL, PAID, DIGITIZED, RECEIPT, STATUS) = range(len(KEYS))
REQUIRED = ("code", "unit", "submitted", "due", "returned", "channel")
LOOKUP = {normalize_header(h): key for key, headers in COLUMNS.items() for h in headers}

# Folded cell values. A value not listed here is an error that names the column and what it accepts.
CHANNELS = {"truc tuyen": "online", "online": "online", "tt": "online", "truc tiep": "in_person",
            "buu chinh": "in_person", "buu chinh cong ich": "in_person", "bcci": "in_person",
            "qua buu chinh": "in_person", "nop truc tiep": "in_person", "nop truc tuyen": "online"}
LEVELS = {"mot phan": "partial", "toan trinh": "full", "muc do 3": "partial", "muc do 4": "full", "": ""}
YES = {"co", "x", "1", "yes", "true", "da thanh toan", "da so hoa", "da phat hanh"}
NO = {"khong", "0", "no", "false", "chua", "chua thanh toan", "chua so hoa", "chua phat hanh"}
WITHDRAWN = {"da huy", "huy", "rut ho so", "da rut", "tra lai", "tu choi", "khong giai quyet", "da rut ho so"}
RESOLVED = {"da tra ket qua", "da giai quyet", "hoan thanh", "da hoan thanh", "da tra", "co ket qua"}
PENDING = {"dang xu ly", "cho xu ly", "dang giai quyet", "cho bo sung", "tam dung", "cho tra ket qua",
           "dang thu ly", "moi tiep nhan"}
DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?$")
ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")

COUNT_KEYS = ("tthc_received", "tthc_online_received", "tthc_digitized", "tthc_fee_dossiers", "tthc_paid_online",
              "tthc_e_receipts", "tthc_resolved", "tthc_resolved_on_time", "tthc_overdue")
# A count is stored only when the file has the column it needs: no column is no data, not zero.
NEEDS = {"tthc_digitized": "digitized", "tthc_fee_dossiers": "paid_online", "tthc_paid_online": "paid_online",
         "tthc_e_receipts": "e_receipt"}


@dataclass
class OverdueRow:
    """A late dossier as the file gives it; the unit is resolved with the report's names."""

    code: str
    unit_name: str
    procedure: str
    submitted: date
    due: date
    returned: date | None
    days_late: int
    channel: str
    level: str
    status: str
    sheet: str
    row: int


@dataclass
class _Tally:
    """One unit's counts while the file streams by; ``first_row`` locates the unit in messages."""

    first_row: int
    counts: list[int] = field(default_factory=lambda: [0] * len(COUNT_KEYS))


def _cell(row: list, index: int):
    return row[index] if index < len(row) else None


def _text(cell) -> str:
    if type(cell) is str:
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def find_header(row: list) -> dict[str, int] | None:
    """{column key: index} when ``row`` is a per-dossier header (it names the dossier code, the
    submitted and the due dates), else None."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        key = LOOKUP.get(normalize_header(_text(cell)))
        if key is not None and key not in found:
            found[key] = index
    return found if {"code", "submitted", "due"} <= found.keys() else None


def find_two_row_header(upper: list, lower: list) -> dict[str, int] | None:
    """{column key: index} when ``upper`` over ``lower`` is a per-dossier header of two rows with
    merged cells, else None. A merged cell gives its text in its first column only, so each column
    is read as: the upper text carried over its span followed by the lower ("Ngày" over "Tiếp
    nhận | Hẹn trả"), else the lower alone ("Thời gian" over "Ngày tiếp nhận"), else the upper alone
    (a cell merged down both rows, "Mã hồ sơ")."""
    found: dict[str, int] = {}
    carried = ""
    for index in range(max(len(upper), len(lower))):
        top = _text(upper[index]) if index < len(upper) else ""
        bottom = _text(lower[index]) if index < len(lower) else ""
        if top:
            carried = top
        elif not bottom:
            carried = ""  # blank in both rows: whatever span there was has ended
        for text in (f"{carried} {bottom}" if carried and bottom else "", bottom, top):
            key = LOOKUP.get(normalize_header(text)) if text else None
            if key is not None:
                if key not in found:
                    found[key] = index
                break
    return found if {"code", "submitted", "due"} <= found.keys() else None


class DossierReader:
    """Reads one per-dossier sheet into ``report``: per-unit DataRows and the overdue dossiers."""

    def __init__(self, report: ImportReport, sheet: str, header_row: int, columns: dict[str, int], as_of: date | None):
        self.report = report
        self.sheet = sheet
        self.header_row = header_row  # 0-based
        self.columns = columns
        self.as_of = as_of
        self.tallies: dict[str, _Tally] = {}
        self.codes: set[str] = set()
        self.problems = 0
        self._folded: dict[str, str] = {}
        self.header_texts: set[str] = set()  # the header's own words: a row repeating them is the header again
        self._dates: dict[str, date | None] = {}

    # Messages -----------------------------------------------------------------------------
    def _where(self, r: int, key: str) -> tuple[str, str]:
        c = self.columns[key]
        return column_letter(c), f"Tệp {self.report.file}, trang «{self.sheet}», dòng {r}, cột {column_letter(c)} «{COLUMNS[key][0]}»"

    def error(self, r: int, key: str, value: str, problem: str, expected: str) -> None:
        self.problems += 1
        if self.problems > MAX_MESSAGES:
            return
        column, at = self._where(r, key)
        self.report.error(f"{at}: {problem}; cần {expected}.", sheet=self.sheet, row=r, column=column,
                          value=value, expected=expected)

    def warn(self, r: int, key: str, value: str, text: str) -> None:
        if len(self.report.warnings) >= MAX_MESSAGES:
            return
        column, at = self._where(r, key)
        self.report.warn(f"{at}: {text}.", sheet=self.sheet, row=r, column=column, value=value)

    # Cells --------------------------------------------------------------------------------
    def folded(self, text: str) -> str:
        # The same few values repeat on every row: fold each once.
        value = self._folded.get(text)
        if value is None:
            value = self._folded[text] = fold(text)
        return value


    def date_of(self, value, r: int, key: str, required: bool) -> tuple[date | None, bool]:
        """(the date, ok). Calamine gives dates as date/datetime; exports as text give dd/mm/yyyy."""
        if type(value) is datetime:
            return value.date(), True
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(r, key, "(trống)", "thiếu ngày", "ngày dạng dd/mm/yyyy")
                return None, False
            return None, True
        if isinstance(value, datetime):
            return value.date(), True
        if isinstance(value, date):
            return value, True
        text = _text(value)
        if text in self._dates:
            parsed = self._dates[text]
        else:
            parsed = None
            match = DATE_RE.match(text)
            try:
                if match:
                    parsed = date(int(match[3]), int(match[2]), int(match[1]))
                elif (match := ISO_RE.match(text)):
                    parsed = date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                parsed = None
            self._dates[text] = parsed
        if parsed is None:
            self.error(r, key, text, f"giá trị «{text}» không phải ngày", "ngày dạng dd/mm/yyyy")
            return None, False
        return parsed, True

    def flag(self, value, r: int, key: str) -> bool | None:
        """True, False, or None for blank; an unknown value is an error (and counts as blank)."""
        text = _text(value)
        if not text:
            return None
        folded = self.folded(text)
        if folded in YES:
            return True
        if folded in NO:
            return False
        self.error(r, key, text, f"giá trị «{text}» không rõ là có hay không", "«Có» hoặc «Không» (hoặc để trống)")
        return None

    # Rows ---------------------------------------------------------------------------------
    def read(self, rows) -> None:
        """Consume ``rows`` (the iterator positioned just after the header)."""
        max_rows = settings.IMPORT_MAX_ROWS
        # Each row becomes its cells in COLUMNS order (None for a column the file lacks): one list
        # comprehension per row instead of a lookup per cell, which is most of the time on 200,000 rows.
        index = [self.columns.get(key, -1) for key in KEYS]  # -1: the None appended to every row
        width = max(index) + 1
        padding = [None] * width
        r = self.header_row + 1
        for row in rows:
            r += 1
            if r > max_rows:
                raise UnreadableFile(
                    f"Tệp {self.report.file}, trang {self.sheet}: có hơn {max_rows} dòng, vượt giới hạn: không đọc."
                )
            if len(row) < width:
                row = row + padding[: width - len(row)]
            row.append(None)
            cells = [row[i] for i in index]
            if not any(cells):
                continue
            self.read_row(r, cells)
        if self.problems > MAX_MESSAGES:
            self.report.error(
                f"Tệp {self.report.file}: còn {self.problems - MAX_MESSAGES} lỗi khác không liệt kê ở đây.",
                sheet=self.sheet, value=str(self.problems), expected="không có lỗi",
            )

    def read_row(self, r: int, cells: list) -> None:  # noqa: C901 (one dossier, one flat list of checks)
        code = _text(cells[CODE])
        name = _text(cells[UNIT])
        if code in self.header_texts:
            return  # the header repeated on a new page
        if not code and self.header_texts and all(
            _text(c) in self.header_texts for c in cells if c is not None and _text(c)
        ):
            return  # the second row of a two-row header, repeated on a new page (its code cell is merged above)
        if not code:
            self.error(r, "code", "(trống)", "dòng không có mã hồ sơ", "mã hồ sơ")
            return
        if code in self.codes:
            self.error(r, "code", code, f"mã hồ sơ «{code}» đã có ở một dòng trên", "mỗi hồ sơ một dòng")
            return
        self.codes.add(code)
        if not name:
            self.error(r, "unit", "(trống)", f"hồ sơ {code} không có tên đơn vị", "tên cơ quan, đơn vị")
            return
        status_text = _text(cells[STATUS])
        status = self.folded(status_text) if status_text else ""
        if status and status not in WITHDRAWN | RESOLVED | PENDING:
            self.error(r, "status", status_text, f"trạng thái «{status_text}» không rõ",
                       "đã trả kết quả, đang xử lý hoặc đã hủy/rút hồ sơ")
            return
        submitted, ok1 = self.date_of(cells[SUBMITTED], r, "submitted", True)
        due, ok2 = self.date_of(cells[DUE], r, "due", True)
        returned, ok3 = self.date_of(cells[RETURNED], r, "returned", False)
        channel_text = _text(cells[CHANNEL])
        channel = CHANNELS.get(self.folded(channel_text))
        if channel is None:
            self.error(r, "channel", channel_text or "(trống)", f"hình thức nộp «{channel_text}» không rõ",
                       "«Trực tuyến» hoặc «Trực tiếp»/«Bưu chính»")
        level_text = _text(cells[LEVEL])
        level = LEVELS.get(self.folded(level_text))
        if level is None:
            self.error(r, "level", level_text, f"mức độ «{level_text}» không rõ", "«Một phần», «Toàn trình» hoặc để trống")
        paid = self.flag(cells[PAID], r, "paid_online") if "paid_online" in self.columns else None
        digitized = self.flag(cells[DIGITIZED], r, "digitized") if "digitized" in self.columns else None
        receipt = self.flag(cells[RECEIPT], r, "e_receipt") if "e_receipt" in self.columns else None
        if not (ok1 and ok2 and ok3) or channel is None or level is None:
            return
        if due < submitted:
            self.error(r, "due", due.strftime("%d/%m/%Y"), f"ngày hẹn trả trước ngày tiếp nhận {submitted:%d/%m/%Y}",
                       "ngày hẹn trả từ ngày tiếp nhận trở đi")
            return
        if returned is not None and returned < submitted:
            self.error(r, "returned", returned.strftime("%d/%m/%Y"),
                       f"ngày trả kết quả trước ngày tiếp nhận {submitted:%d/%m/%Y}", "ngày trả từ ngày tiếp nhận trở đi")
            return
        if status in WITHDRAWN:
            return  # a withdrawn or cancelled dossier is neither received nor resolved
        if status in RESOLVED and returned is None:
            self.error(r, "returned", "(trống)", f"hồ sơ {code} có trạng thái «{status_text}» nhưng không có ngày trả",
                       "ngày trả kết quả")
            return
        if status in PENDING and returned is not None:
            self.warn(r, "status", status_text,
                      f"hồ sơ {code} có ngày trả kết quả {returned:%d/%m/%Y} nhưng trạng thái «{status_text}»; "
                      "được tính là đã giải quyết")
        tally = self.tallies.get(name)
        if tally is None:
            tally = self.tallies[name] = _Tally(r)
        counts = tally.counts
        counts[0] += 1
        counts[1] += channel == "online"
        counts[2] += digitized is True
        if paid is not None:
            counts[3] += 1
            counts[4] += paid
            counts[5] += receipt is True
        late_until = None
        if returned is not None:
            counts[6] += 1
            if returned <= due:
                counts[7] += 1
            else:
                late_until = returned
        elif self.as_of is not None and due < self.as_of:
            late_until = self.as_of
        if late_until is not None:
            counts[8] += 1
            self.report.overdue.append(OverdueRow(
                code, name, _text(cells[PROCEDURE]), submitted, due, returned, (late_until - due).days,
                channel, level, status_text, self.sheet, r,
            ))

    def finish(self) -> None:
        """One DataRow per unit, in the order the units first appear."""
        keep = [i for i, key in enumerate(COUNT_KEYS) if NEEDS.get(key) is None or NEEDS[key] in self.columns]
        unit_column = column_letter(self.columns["unit"])
        for name, tally in self.tallies.items():
            row = DataRow(self.sheet, tally.first_row, name)
            for i in keep:
                row.values[COUNT_KEYS[i]] = Cell(Decimal(tally.counts[i]), self.sheet, tally.first_row, unit_column)
            # The rates too, derived from these counts, so that a reader of tthc_online_rate finds
            # it whichever export came; a district rate is still Σ counts / Σ counts.
            counts = {key: cell.value for key, cell in row.values.items()}
            for key, rate in derive_rates(SOURCE, counts).items():
                row.values[key] = Cell(rate, self.sheet, tally.first_row, unit_column, places=MAX_PLACES)
            self.report.rows.append(row)


def try_read(path, report: ImportReport, *, as_of: date | None = None) -> bool:
    """Read ``path`` as a per-dossier export if one of its sheets has a dossier header in its
    first rows; False (and nothing read) otherwise. Raises UnreadableFile as read_sheets does."""
    kind = check_file(path, report.file)
    for sheet_name, rows in iter_sheets(path, kind, report.file):
        previous = None
        index = 0
        while index < HEADER_SEARCH_ROWS:
            row = next(rows, None)
            if row is None:
                break
            header = [row]
            columns = find_header(row)
            if columns is None and previous is not None:
                columns = find_two_row_header(previous, row)  # the header's second row is this one
                header = [previous, row]
            if columns is None:
                previous = row
                index += 1
                continue
            if len(header) == 1:
                # The first row alone may name enough columns while the row under it completes the
                # header (sub-columns under a merged cell): taken together only if that row is no dossier.
                following = next(rows, None)
                wider = find_two_row_header(row, following) if following is not None else None
                if wider is not None and len(wider) > len(columns) and not _text(_cell(following, columns["code"])):
                    columns, header = wider, [row, following]
                    index += 1
                elif following is not None:
                    rows = itertools.chain([following], rows)
            report.source = SOURCE
            report.layout = "dossiers"
            missing = [COLUMNS[k][0] for k in REQUIRED if k not in columns]
            if missing:
                report.error(
                    f"Tệp {report.file}, trang «{sheet_name}», dòng tiêu đề {index + 1}: thiếu cột bắt buộc "
                    f"{', '.join('«' + m + '»' for m in missing)} của danh sách hồ sơ TTHC.",
                    sheet=sheet_name, row=index + 1, value="(không có)", expected=", ".join(missing),
                )
                return True
            reader = DossierReader(report, sheet_name, index, columns, as_of)
            reader.header_texts = {_text(c) for line in header for c in line} - {""}
            reader.read(rows)
            reader.finish()
            report.dossiers = sum(t.counts[0] for t in reader.tallies.values())
            return True
    return False
