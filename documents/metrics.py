"""The metric catalogue: every canonical key of DOMAIN.md, its Vietnamese label, its source, and
for a derived rate the formula it is computed with.

Counts are what the exports give; rates are derived from counts (Σ numerator / Σ denominator × 100,
kept unrounded), except for the aggregated TTHC table, which gives rates only and so is stored as is
(a rate with a formula whose counts are missing is simply not derived).
"""

from dataclasses import dataclass
from decimal import Decimal

COUNT = "count"
RATE = "rate"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    source: str
    kind: str  # COUNT or RATE
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    description: str = ""  # where the figure comes from and, for a rate, which seed line shows its formula

    @property
    def derived(self) -> bool:
        """A rate with a formula is computed from counts, never taken from a file."""
        return bool(self.numerator)


_CATALOGUE = [
    # QLVB và HSCV: văn bản đến
    Metric("incoming_total", "Tổng số văn bản đến", "incoming", COUNT),
    Metric("incoming_replied", "Văn bản đến đã phản hồi", "incoming", COUNT),
    Metric("incoming_closed", "Văn bản đến đã kết thúc", "incoming", COUNT),
    Metric("incoming_pending", "Văn bản đến chưa xử lý", "incoming", COUNT),
    Metric("incoming_processed_rate", "Tỷ lệ % văn bản đến đã xử lý", "incoming", RATE,
           ("incoming_replied", "incoming_closed"), ("incoming_total",)),
    # QLVB và HSCV: văn bản đi và ký số
    Metric("outgoing_total", "Tổng số văn bản đi", "outgoing", COUNT),
    Metric("outgoing_electronic", "Văn bản đi điện tử", "outgoing", COUNT),
    Metric("outgoing_paper", "Văn bản đi giấy", "outgoing", COUNT),
    Metric("outgoing_signed", "Văn bản đi ký số", "outgoing", COUNT),
    Metric("outgoing_unsigned", "Văn bản đi không ký số", "outgoing", COUNT),
    Metric("outgoing_leader_signed", "Văn bản đi lãnh đạo ký số", "outgoing", COUNT),
    Metric("outgoing_signed_rate", "Tỷ lệ văn bản đi ký số", "outgoing", RATE,
           ("outgoing_signed",), ("outgoing_total",)),
    Metric("outgoing_leader_signed_rate", "Tỷ lệ văn bản đi lãnh đạo ký số", "outgoing", RATE,
           ("outgoing_leader_signed",), ("outgoing_total",)),
    # Cổng dịch vụ công: DVCTT (seed 000, phụ lục 1)
    Metric("dvc_partial_services", "Số DVCTT một phần", "online_services", COUNT),
    Metric("dvc_full_services", "Số DVCTT toàn trình", "online_services", COUNT),
    Metric("dvc_partial_services_with_dossiers", "Số DVCTT một phần phát sinh hồ sơ", "online_services", COUNT),
    Metric("dvc_partial_services_with_online_dossiers", "Số DVCTT một phần phát sinh hồ sơ trực tuyến",
           "online_services", COUNT),
    Metric("dvc_full_services_with_dossiers", "Số DVCTT toàn trình phát sinh hồ sơ", "online_services", COUNT),
    Metric("dvc_full_services_with_online_dossiers", "Số DVCTT toàn trình phát sinh hồ sơ trực tuyến",
           "online_services", COUNT),
    Metric("dvc_partial_online_dossiers", "Số hồ sơ trực tuyến một phần", "online_services", COUNT),
    Metric("dvc_partial_dossiers", "Tổng hồ sơ (trực tiếp và trực tuyến) một phần", "online_services", COUNT),
    Metric("dvc_full_online_dossiers", "Số hồ sơ trực tuyến toàn trình", "online_services", COUNT),
    Metric("dvc_full_dossiers", "Tổng hồ sơ (trực tiếp và trực tuyến) toàn trình", "online_services", COUNT),
    Metric("tthc_dossiers", "Tổng số hồ sơ TTHC", "online_services", COUNT),
    # Two rates over the services: DOMAIN.md's, over all services (the appendix's column (10)), and the
    # one the criteria score (HTNV VI.2.b, CCHC 3.12.2), over the services that had dossiers at all.
    Metric("dvc_services_with_online_dossiers_rate", "Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến", "online_services", RATE,
           ("dvc_partial_services_with_online_dossiers", "dvc_full_services_with_online_dossiers"),
           ("dvc_partial_services", "dvc_full_services"),
           "Cột (10) của phụ lục 1 (seed 000): ((7)+(9))/(5), với (5) = (3)+(4) là tổng số DVCTT một phần và "
           "toàn trình, như DOMAIN.md định nghĩa. Không phải tỷ lệ các tiêu chí chấm (xem "
           "dvc_services_with_dossiers_online_rate)."),
    Metric("dvc_services_with_dossiers_online_rate", "Tỷ lệ DVCTT có phát sinh hồ sơ được tiếp nhận trực tuyến",
           "online_services", RATE,
           ("dvc_partial_services_with_online_dossiers", "dvc_full_services_with_online_dossiers"),
           ("dvc_partial_services_with_dossiers", "dvc_full_services_with_dossiers"),
           "((7)+(9))/((6)+(8)) của phụ lục 1 (seed 000): trong các DVCTT có phát sinh hồ sơ, bao nhiêu phát sinh "
           "hồ sơ trực tuyến. Đây là tỷ lệ HTNV VI.2.b và CCHC 3.12.2 chấm: seed 000 lần 1, UBND huyện "
           "(16+6)/(29+12) = 22/41 × 2 = 1,07 điểm (với mẫu số (5) = 238 chỉ được 0,18); seed 001, 3.12.2: "
           "10/29 × 0,5 = 0,17 điểm."),
    Metric("dvc_partial_online_rate", "Tỷ lệ hồ sơ trực tuyến một phần", "online_services", RATE,
           ("dvc_partial_online_dossiers",), ("dvc_partial_dossiers",)),
    Metric("dvc_full_online_rate", "Tỷ lệ hồ sơ trực tuyến toàn trình", "online_services", RATE,
           ("dvc_full_online_dossiers",), ("dvc_full_dossiers",)),
    Metric("dvc_online_rate", "Tỷ lệ hồ sơ trực tuyến", "online_services", RATE,
           ("dvc_partial_online_dossiers", "dvc_full_online_dossiers"), ("dvc_partial_dossiers", "dvc_full_dossiers")),
    # Hệ thống một cửa: TTHC (seed 003). The aggregated table gives the rates only, stored as given;
    # the per-dossier export gives the counts, and the same rates are derived from them, so that a
    # district rate is Σ numerators / Σ denominators.
    Metric("tthc_received", "Số hồ sơ tiếp nhận", "procedures", COUNT),
    Metric("tthc_online_received", "Số hồ sơ tiếp nhận trực tuyến", "procedures", COUNT),
    Metric("tthc_digitized", "Số hồ sơ số hóa đầy đủ thành phần khi tiếp nhận", "procedures", COUNT),
    Metric("tthc_fee_dossiers", "Số hồ sơ có thu phí, lệ phí", "procedures", COUNT),
    Metric("tthc_paid_online", "Số hồ sơ thanh toán trực tuyến", "procedures", COUNT),
    Metric("tthc_e_receipts", "Số hồ sơ có phát hành biên lai điện tử", "procedures", COUNT),
    Metric("tthc_online_rate", "Tỷ lệ hồ sơ trực tuyến", "procedures", RATE,
           ("tthc_online_received",), ("tthc_received",)),
    Metric("tthc_digitized_rate", "Tỷ lệ số hóa đầy đủ thành phần hồ sơ khi tiếp nhận", "procedures", RATE,
           ("tthc_digitized",), ("tthc_received",)),
    Metric("tthc_overdue", "Số hồ sơ quá hạn", "procedures", COUNT),
    Metric("tthc_online_payment_rate", "Tỷ lệ giao dịch thanh toán trực tuyến", "procedures", RATE,
           ("tthc_paid_online",), ("tthc_fee_dossiers",)),
    Metric("tthc_e_receipt_rate", "Tỷ lệ hồ sơ có phát hành biên lai điện tử", "procedures", RATE,
           ("tthc_e_receipts",), ("tthc_fee_dossiers",)),
    Metric("tthc_resolved", "Số hồ sơ đã giải quyết", "procedures", COUNT),
    Metric("tthc_resolved_on_time", "Số hồ sơ giải quyết đúng hạn", "procedures", COUNT),
    Metric("tthc_resolved_on_time_rate", "Tỷ lệ hồ sơ giải quyết đúng hạn", "procedures", RATE,
           ("tthc_resolved_on_time",), ("tthc_resolved",)),
    # Counts of procedures (thủ tục), not of dossiers: CCHC 3.11.1 (seed 001: "(8/112)*1 = 0,07").
    Metric("tthc_procedures", "Số TTHC thuộc thẩm quyền giải quyết", "procedures", COUNT,
           description="Số thủ tục hành chính (không phải hồ sơ) thuộc thẩm quyền của đơn vị, theo danh mục TTHC "
                       "công bố trên Hệ thống thông tin giải quyết TTHC của tỉnh. Bảng TTHC tổng hợp (seed 003) "
                       "và tệp danh sách hồ sơ không có số này; chưa có mẫu tệp nào nhập nó, nên 3.11.1 chưa tính "
                       "được từ số liệu cho đến khi có."),
    Metric("tthc_procedures_with_online_payment", "Số TTHC được triển khai thanh toán trực tuyến", "procedures", COUNT,
           description="Trong danh mục TTHC trên, số thủ tục đã được cấu hình thanh toán trực tuyến (seed 001, "
                       "3.11.1: 8 trên 112). Nguồn và tình trạng nhập như tthc_procedures."),
    Metric("tthc_procedures_online_payment_rate", "Tỷ lệ TTHC được triển khai thanh toán trực tuyến", "procedures",
           RATE, ("tthc_procedures_with_online_payment",), ("tthc_procedures",),
           "CCHC 3.11.1, seed 001: (8/112) × 1 = 0,07 điểm."),
]

METRICS: dict[str, Metric] = {m.key: m for m in _CATALOGUE}
HUNDRED = Decimal(100)


def metrics_of(source: str) -> list[Metric]:
    return [m for m in _CATALOGUE if m.source == source]


def rate_of(metric: Metric, values: dict[str, Decimal | None]) -> Decimal | None:
    """The rate in percent from the counts in ``values``; None when a count is missing or the
    denominator is zero (a rate of nothing is undefined, not 0 %)."""
    parts = [values.get(k) for k in metric.numerator + metric.denominator]
    if any(p is None for p in parts):
        return None
    denominator = sum((values[k] for k in metric.denominator), Decimal(0))
    if denominator == 0:
        return None
    numerator = sum((values[k] for k in metric.numerator), Decimal(0))
    return numerator * HUNDRED / denominator


def derive_rates(source: str, values: dict[str, Decimal | None]) -> dict[str, Decimal]:
    """Every derived rate of ``source`` that the counts allow, unrounded."""
    rates = {}
    for metric in metrics_of(source):
        if metric.derived:
            rate = rate_of(metric, values)
            if rate is not None:
                rates[metric.key] = rate
    return rates
