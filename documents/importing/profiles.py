"""Source profiles as data: which header phrases name which canonical key, which columns a file of
that source must have, and how its parts and wholes relate.

Header phrases are compared after ``normalize_header``: case, diacritics, punctuation and the
usual abbreviations are folded away, so "Tỉ lệ % HS online" and "Tỷ lệ hồ sơ online" are one
phrase. To accept a new spelling, add it here; no code changes.
"""

import re
from dataclasses import dataclass

from units.text import fold

COUNT = "count"            # a count stored as a metric
RATE = "rate"              # a rate the source gives and we store as is (the TTHC table)
STATED_RATE = "stated_rate"  # a rate the file prints: recomputed and compared, never stored
STATED_SUM = "stated_sum"    # a total column the file prints: recomputed and compared, never stored

# Spelling variants and abbreviations of the exports, as token sequences (after fold()).
_VARIANTS = [
    ("phai hoi", "phan hoi"),
    ("ti le", "ty le"),
    ("hs", "ho so"),
    ("vb", "van ban"),
    ("tt", "truc tuyen"),
    ("dvc", "dich vu cong"),
    ("dvctt", "dich vu cong truc tuyen"),
    ("ld", "lanh dao"),
    ("ks", "ky so"),
    ("online", "truc tuyen"),
    ("tong so", "tong"),
]
_VARIANT_RES = [(re.compile(rf"\b{a}\b"), b) for a, b in _VARIANTS]


def normalize_header(text) -> str:
    """Fold a header cell to the form the synonym tables are written in."""
    folded = fold(str(text or ""))
    for pattern, replacement in _VARIANT_RES:
        folded = pattern.sub(replacement, folded)
    return " ".join(folded.split())


@dataclass(frozen=True)
class Column:
    key: str
    role: str
    headers: tuple[str, ...]
    required: bool = False
    parts: tuple[str, ...] = ()  # for STATED_SUM: the keys it adds up
    # For STATED_RATE: another formula (numerator keys, denominator keys) some exports use; a
    # mismatch that this formula explains is still a warning, but one that says so.
    also: tuple[tuple[str, ...], tuple[str, ...]] | None = None


@dataclass(frozen=True)
class PartWhole:
    """``parts`` add up to ``whole`` (equal=True) or at most to it (equal=False). Parts above
    the whole refuse the file; parts below a whole they should equal are a warning."""

    parts: tuple[str, ...]
    whole: str
    equal: bool


@dataclass(frozen=True)
class Profile:
    source: str
    label: str
    columns: tuple[Column, ...]
    checks: tuple[PartWhole, ...]
    code_system: str = ""  # the registry's SourceSystem whose codes the ID column holds

    def lookup(self) -> dict[str, Column]:
        return {normalize_header(h): c for c in self.columns for h in c.headers}

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


SEQ_HEADERS = ("TT", "STT", "Số TT", "Số thứ tự")
ID_HEADERS = ("ID", "Mã", "Mã đơn vị", "Mã QLVB", "ID đơn vị")
NAME_HEADERS = ("Tên", "Tên đơn vị", "Đơn vị", "Cơ quan, đơn vị, địa phương", "Cơ quan, đơn vị",
                "Tên cơ quan, đơn vị", "Cơ quan, đơn vị, địa phương thực hiện")

INCOMING = Profile(
    source="incoming",
    label="Tình hình xử lý văn bản đến",
    code_system="qlvb",
    columns=(
        Column("incoming_total", COUNT, ("Tổng số VB đến", "Tổng số văn bản đến", "VB đến tổng", "Tổng VB đến"),
               required=True),
        Column("incoming_replied", COUNT, ("VB đến phản hồi", "Văn bản đến đã xử lý Phải hồi",
                                            "Văn bản đến đã xử lý Phản hồi", "Đã xử lý Phản hồi", "Phản hồi",
                                            "VB đến đã phản hồi"), required=True),
        Column("incoming_closed", COUNT, ("VB đến kết thúc", "Văn bản đến đã xử lý Kết thúc", "Đã xử lý Kết thúc",
                                           "Kết thúc", "VB đến đã kết thúc"), required=True),
        Column("incoming_pending", COUNT, ("VB đến chưa xử lý", "Văn bản đến chưa xử lý", "Chưa xử lý"),
               required=True),
        Column("incoming_processed_rate", STATED_RATE, ("Tỷ lệ % xử lý HSCV", "Tỷ lệ % xử lý", "Tỷ lệ xử lý",
                                                         "Tỷ lệ VB đến đã xử lý", "Tỷ lệ % VB đến đã xử lý")),
    ),
    checks=(PartWhole(("incoming_replied", "incoming_closed", "incoming_pending"), "incoming_total", True),),
)

OUTGOING = Profile(
    source="outgoing",
    label="Tình hình ban hành văn bản đi, ký số",
    code_system="qlvb",
    columns=(
        Column("outgoing_total", COUNT, ("VB đi tổng", "Văn bản đi Tổng", "Tổng số VB đi", "Tổng VB đi"),
               required=True),
        Column("outgoing_electronic", COUNT, ("VB đi điện tử", "Văn bản đi Điện tử")),
        Column("outgoing_paper", COUNT, ("VB đi giấy", "Văn bản đi Giấy")),
        Column("outgoing_signed", COUNT, ("VB đi ký số", "Văn bản đi Ký số"), required=True),
        Column("outgoing_unsigned", COUNT, ("VB đi không ký số", "Văn bản đi Không ký số")),
        Column("outgoing_leader_signed", COUNT, ("VB đi Lãnh đạo ký số", "Văn bản đi Lãnh đạo ký số")),
        Column("outgoing_signed_rate", STATED_RATE, ("Tỷ lệ VB đi ký số", "Văn bản đi Tỷ lệ Ký số đơn vị",
                                                      "Tỷ lệ ký số đơn vị", "Tỷ lệ ký số")),
        # QLVB's half-year report (seed 002) divides by the signed documents, not by all of them.
        Column("outgoing_leader_signed_rate", STATED_RATE, ("Tỷ lệ VB đi Lãnh đạo ký số", "Tỷ lệ LĐ KS",
                                                             "Văn bản đi Tỷ lệ LĐ KS", "Tỷ lệ lãnh đạo ký số"),
               also=(("outgoing_leader_signed",), ("outgoing_signed",))),
    ),
    checks=(
        PartWhole(("outgoing_signed", "outgoing_unsigned"), "outgoing_total", True),
        PartWhole(("outgoing_electronic", "outgoing_paper"), "outgoing_total", True),
        PartWhole(("outgoing_signed",), "outgoing_total", False),
        PartWhole(("outgoing_leader_signed",), "outgoing_signed", False),
    ),
)

ONLINE_SERVICES = Profile(
    source="online_services",
    label="Kết quả tiếp nhận hồ sơ dịch vụ công trực tuyến",
    columns=(
        Column("dvc_partial_services", COUNT, ("Tổng số DVC TT một phần", "Số DVCTT một phần")),
        Column("dvc_full_services", COUNT, ("Tổng số DVC TT toàn trình", "Số DVCTT toàn trình")),
        Column("dvc_services", STATED_SUM, ("Tổng số DVC TT một phần, toàn trình", "Tổng số DVCTT"),
               parts=("dvc_partial_services", "dvc_full_services")),
        Column("dvc_partial_services_with_dossiers", COUNT, ("Số DVC TT một phần phát sinh HS",)),
        Column("dvc_partial_services_with_online_dossiers", COUNT, ("Số DVC TT một phần phát sinh HS online",)),
        Column("dvc_full_services_with_dossiers", COUNT, ("Số DVC TT toàn trình phát sinh HS",)),
        Column("dvc_full_services_with_online_dossiers", COUNT, ("Số DVC TT toàn trình phát sinh HS online",)),
        Column("dvc_services_with_online_dossiers_rate", STATED_RATE,
               ("Tỉ lệ DVC TT một phần, toàn trình phát sinh HS online", "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến")),
        Column("dvc_partial_online_dossiers", COUNT, ("Tổng số HS online một phần", "Số HS online một phần"),
               required=True),
        Column("dvc_partial_dossiers", COUNT, ("Tổng HS cả trực tiếp và online một phần", "Tổng HS một phần"),
               required=True),
        Column("dvc_partial_online_rate", STATED_RATE, ("Tỉ lệ % HS online một phần",)),
        Column("dvc_full_online_dossiers", COUNT, ("Tổng số HS online toàn trình", "Số HS online toàn trình"),
               required=True),
        Column("dvc_full_dossiers", COUNT, ("Tổng HS cả trực tiếp và online toàn trình", "Tổng HS toàn trình"),
               required=True),
        Column("dvc_full_online_rate", STATED_RATE, ("Tỉ lệ % HS online toàn trình",)),
        Column("tthc_dossiers", COUNT, ("Tổng số HS TTHC, một phần, toàn trình", "Tổng số HS TTHC")),
        Column("dvc_online_rate", STATED_RATE, ("Tỉ lệ % HS online",)),
    ),
    checks=(
        PartWhole(("dvc_partial_services_with_dossiers",), "dvc_partial_services", False),
        PartWhole(("dvc_partial_services_with_online_dossiers",), "dvc_partial_services_with_dossiers", False),
        PartWhole(("dvc_full_services_with_dossiers",), "dvc_full_services", False),
        PartWhole(("dvc_full_services_with_online_dossiers",), "dvc_full_services_with_dossiers", False),
        PartWhole(("dvc_partial_online_dossiers",), "dvc_partial_dossiers", False),
        PartWhole(("dvc_full_online_dossiers",), "dvc_full_dossiers", False),
    ),
)

PROCEDURES = Profile(
    source="procedures",
    label="Kết quả giải quyết thủ tục hành chính",
    columns=(
        Column("tthc_online_rate", RATE, ("Tỷ lệ % HS online", "Tỷ lệ hồ sơ trực tuyến"), required=True),
        Column("tthc_digitized_rate", RATE, ("Tỷ lệ số hóa đầy đủ thành phần HS khi tiếp nhận",
                                             "Tỷ lệ số hóa thành phần hồ sơ", "Tỷ lệ số hóa"), required=True),
        Column("tthc_overdue", COUNT, ("Hồ sơ quá hạn", "Số hồ sơ quá hạn", "HS quá hạn"), required=True),
        Column("tthc_online_payment_rate", RATE, ("Tỷ lệ giao dịch thanh toán trực tuyến",
                                                  "Tỷ lệ thanh toán trực tuyến")),
        Column("tthc_e_receipt_rate", RATE, ("Tỷ lệ hồ sơ có phát hành biên lai điện tử",
                                             "Tỷ lệ biên lai điện tử")),
    ),
    checks=(),
)

PROFILES: dict[str, Profile] = {p.source: p for p in (INCOMING, OUTGOING, ONLINE_SERVICES, PROCEDURES)}

# Rows whose label (the cells up to the name) starts so are totals: checked, never stored.
# "Tổng cộng", "Toàn huyện" (or the authority's own tier: "Toàn tỉnh", "Toàn thành phố", "Toàn thị xã"…)
# and "(A+B…)" cover the whole sheet; "Tổng số", "Cộng" the rows since the previous total.
WHOLE = r"tong cong|toan (?:huyen|tinh|thanh pho|thi xa|quan|thi tran|xa|phuong)"
TOTAL_RE = re.compile(rf"^({WHOLE}|tong|cong)( |$)")
GRAND_TOTAL_RE = re.compile(rf"^({WHOLE})( |$)|\ba b\b")


def is_total_label(folded: str) -> bool:
    # "Công an huyện" starts with "cong" too: a bare "Cộng" must stand alone or before a colon/bracket.
    if folded.startswith("cong ") and not folded.startswith(("cong a b", "cong toan")):
        return False
    return bool(TOTAL_RE.match(folded))


def is_grand_total_label(folded: str) -> bool:
    return bool(GRAND_TOTAL_RE.search(folded))
