"""Per-dossier TTHC exports built in the tests, and the counts a person would make from them by
hand (the oracle: plain rules on the test's own rows, never the importer's code)."""

import csv
from dataclasses import dataclass
from datetime import date, timedelta

HEADER = ["STT", "Mã hồ sơ", "Đơn vị tiếp nhận", "Tên thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày trả kết quả",
          "Hình thức nộp", "Mức độ", "Thanh toán trực tuyến", "Số hóa", "Biên lai điện tử", "Trạng thái"]


@dataclass
class Dossier:
    code: str
    unit: str
    submitted: date
    due: date
    returned: date | None
    online: bool
    level: str = ""  # "Một phần" | "Toàn trình" | ""
    paid_online: bool | None = None  # None: no fee
    digitized: bool = False
    e_receipt: bool = False
    status: str = ""

    def cells(self, seq: int, dates_as_text: bool) -> list:
        def d(value):
            if value is None or isinstance(value, str):
                return value
            return value.strftime("%d/%m/%Y") if dates_as_text else value

        yes_no = {True: "Có", False: "Không", None: None}
        status = self.status or ("Đã trả kết quả" if self.returned else "Đang xử lý")
        return [seq, self.code, self.unit, "Cấp bản sao từ sổ gốc", d(self.submitted), d(self.due), d(self.returned),
                "Trực tuyến" if self.online else "Trực tiếp", self.level, yes_no[self.paid_online],
                "Có" if self.digitized else None, "Có" if self.e_receipt else "Không", status]


def make_dossiers(unit: str, count: int, *, late: int = 0, pending_late: int = 0, prefix: str = "") -> list[Dossier]:
    """``count`` dossiers of ``unit``, varied by position; ``late`` of them returned after their
    due date, ``pending_late`` more still pending, due before 01/06/2023."""
    result = []
    start = date(2023, 1, 2)
    tag = "".join(word[0] for word in unit.split()).upper()  # "UBND xã Vĩnh Khê" → "UXVK"
    for i in range(count):
        submitted = start + timedelta(days=i % 90)
        due = submitted + timedelta(days=5)
        returned = due + timedelta(days=(i % 3) + 1) if i < late else due - timedelta(days=i % 4)
        result.append(Dossier(
            code=f"{prefix}{tag}-{i:05d}", unit=unit, submitted=submitted, due=due, returned=returned,
            online=i % 3 != 0, level=("Toàn trình" if i % 2 else "Một phần") if i % 3 != 0 else "",
            paid_online=None if i % 5 == 0 else (i % 4 == 0), digitized=i % 7 != 0, e_receipt=i % 5 == 1,
        ))
    for j in range(pending_late):
        submitted = date(2023, 5, 1) + timedelta(days=j)
        result.append(Dossier(f"{prefix}{tag}-P{j:04d}", unit, submitted, submitted + timedelta(days=3),
                              None, online=True, level="Một phần"))
    return result


def hand_counts(dossiers: list[Dossier], as_of: date) -> dict[str, int]:
    """What one counts by hand from the list, with the rules the letters use."""
    with_fee = [d for d in dossiers if d.paid_online is not None]
    resolved = [d for d in dossiers if d.returned is not None]
    return {
        "tthc_received": len(dossiers),
        "tthc_online_received": sum(d.online for d in dossiers),
        "tthc_digitized": sum(d.digitized for d in dossiers),
        "tthc_fee_dossiers": len(with_fee),
        "tthc_paid_online": sum(d.paid_online for d in with_fee),
        "tthc_e_receipts": sum(d.e_receipt for d in with_fee),
        "tthc_resolved": len(resolved),
        "tthc_resolved_on_time": sum(d.returned <= d.due for d in resolved),
        "tthc_overdue": sum(d.returned > d.due for d in resolved) + sum(d.returned is None and d.due < as_of
                                                                        for d in dossiers),
    }


TITLE = ["DANH SÁCH HỒ SƠ TIẾP NHẬN, GIẢI QUYẾT TTHC", "Từ ngày 15/12/2022 đến ngày 14/06/2023"]


def write_xlsx(path, dossiers: list[Dossier], *, dates_as_text: bool = False, repeat_header_every: int = 0):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách hồ sơ")
    for line in TITLE:
        sheet.append([line])
    sheet.append([])
    sheet.append(HEADER)
    for seq, dossier in enumerate(dossiers, 1):
        if repeat_header_every and seq % repeat_header_every == 0:
            sheet.append(HEADER)
        sheet.append(dossier.cells(seq, dates_as_text))
    workbook.save(path)
    return path


def write_csv(path, dossiers: list[Dossier], *, bom: bool = True):
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for seq, dossier in enumerate(dossiers, 1):
            writer.writerow(["" if c is None else c for c in dossier.cells(seq, True)])
    return path
