"""Facts of the letters built on imported metrics: htnv-round (seed 000), document-processing (seed 002)
and procedures (seed 003).

Every rate printed here is computed from counts (documents.metrics.rate_of): a unit's rate from its
own counts, a group's (the district's, a subtotal's) as Σ numerators / Σ denominators, never as a
mean of rates and never copied from the file. The aggregated TTHC table gives rates only: those are
printed as stored. Figures are formatted once here (common.numbers), so PDF and DOCX agree."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from common.numbers import format_number, parse_number
from documents.metrics import METRICS, metrics_of, rate_of
from documents.models import MetricValue
from scoring.models import Assessment, Criterion, Period
from units.access import subtree_ids
from units.choices import UnitKind
from units.models import Unit

from . import wording
from .choices import LetterKind
from .document import CONG_VAN, Appendix, Column, LetterDocument, Row, Table, punctuate_list
from .facts import (
    BLANK, Draft, blocks_from, date_parts, index_words, num, number_line, period_words, place_date_line,
    score_lines, short_date, signature,
)
from .models import Letter

COMMUNE_KINDS = {UnitKind.COMMUNE, UnitKind.TOWN}


@dataclass
class UnitMetrics:
    """One unit's metric values of a period (Decimal, unrounded), in registry order."""

    name: str
    kind: str
    sort_order: int
    values: dict[str, Decimal] = field(default_factory=dict)


def unit_metrics(period: Period, source: str, tree: set[int]) -> list[UnitMetrics]:
    """Units of ``tree`` (the issuing authority's units: authority_tree) with at least one value of
    ``source`` in ``period``, ordered as the registry orders them. Each authority imports its own files for a period
    (documents.actions.batch_authority): another authority's figures of the same period are never
    part of this one's letters."""
    keys = [metric.key for metric in metrics_of(source)]
    units: dict[int, UnitMetrics] = {}
    rows = (
        MetricValue.objects.filter(period=period, key__in=keys, unit_id__in=tree)
        .values_list("unit_id", "unit__name", "unit__kind", "unit__sort_order", "key", "value")
    )
    for unit_id, name, kind, order, key, value in rows:
        units.setdefault(unit_id, UnitMetrics(name, kind, order)).values[key] = value
    return sorted(units.values(), key=lambda u: (u.sort_order, u.name))


def authority_tree(agency: dict) -> set[int]:
    """The ids of the units of the authority wording.agency found (one query)."""
    return subtree_ids(Unit(pk=agency["root_id"]))


def summed(units: list[UnitMetrics], keys) -> dict[str, Decimal]:
    """Σ of each count over the units; a key no unit has stays absent (no data, not zero)."""
    totals: dict[str, Decimal] = {}
    for unit in units:
        for key in keys:
            if key in unit.values:
                totals[key] = totals.get(key, Decimal(0)) + unit.values[key]
    return totals


def rate(key: str, values: dict[str, Decimal]) -> Decimal | None:
    return rate_of(METRICS[key], values)


def rounded(value: Decimal | None, places: int) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def show(value: Decimal | None, places: int | None = None, *, trim: bool = False) -> str:
    """A count or rate as printed; ``trim`` drops trailing zeros after rounding (57 · 15,5)."""
    if value is None:
        return ""
    if places is None:
        return format_number(value)
    return format_number(rounded(value, places)) if trim else format_number(value, places)


def range_words(period: Period) -> str:
    return f"Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"


def attached_line(letter: Letter | None, symbol: str, parts, agency: dict) -> str:
    number = letter.number.strip() if letter and letter.number else ""
    return f"(Kèm theo Công văn số {number or BLANK}/{symbol} ngày {short_date(parts)} của {agency['short']})"


def letter_authority(letter: Letter | None):
    """The root unit a period's metric letter speaks for (Letter.authority), or None for an unsaved
    build or a row with none, which wording.agency then finds from the period's figures."""
    return letter.authority if letter is not None and letter.authority_id is not None else None


def find_period(period_code: str) -> Period:
    from .facts import LetterError

    period = Period.objects.filter(code=period_code).first()
    if period is None:
        raise LetterError(f"Không tìm thấy kỳ {period_code}.")
    return period


def _cong_van(kind, defaults, letter, draft, agency, parts, context, blocks, appendices, figures) -> LetterDocument:
    signature_lines, signer_name = signature(draft, defaults, agency)
    subject = (letter.subject.strip() if letter and letter.subject else "") or defaults["subject"].format(**context)
    return LetterDocument(
        kind=kind,
        doc_type=CONG_VAN,
        agency_lines=agency["lines"],
        number_line=number_line(draft, defaults["symbol"]),
        place_date=place_date_line(agency["place"], parts),
        subject_lines=[subject],
        title="",
        recipients=punctuate_list(letter.recipients if letter and letter.recipients else defaults["recipients"]),
        blocks=blocks,
        signature_lines=signature_lines,
        signer_name=signer_name,
        distribution=punctuate_list(draft.value("distribution", defaults["distribution"])),
        appendices=appendices,
        figures=figures,
    )


# -- the per-unit tables (appendices of seeds 000 and 002) -------------------------------------------

DVC_KEYS = [
    "dvc_partial_services", "dvc_full_services", None,
    "dvc_partial_services_with_dossiers", "dvc_partial_services_with_online_dossiers",
    "dvc_full_services_with_dossiers", "dvc_full_services_with_online_dossiers",
    "dvc_services_with_online_dossiers_rate",
    "dvc_partial_online_dossiers", "dvc_partial_dossiers", "dvc_partial_online_rate",
    "dvc_full_online_dossiers", "dvc_full_dossiers", "dvc_full_online_rate",
    "tthc_dossiers", "dvc_online_rate",
]
DVC_COLUMNS = [
    Column("TT (1)", 8, "center"),
    Column("Cơ quan, đơn vị, địa phương (2)", 31),
    Column("Tổng số DVC TT một phần (3)", 13, "right"),
    Column("Tổng số DVC TT toàn trình (4)", 13, "right"),
    Column("Tổng số DVC TT (5)=(3)+(4)", 13, "right"),
    Column("Số DVC TT một phần phát sinh HS (6)", 13, "right"),
    Column("Số DVC TT một phần phát sinh HS online (7)", 13, "right"),
    Column("Số DVC TT toàn trình phát sinh HS (8)", 13, "right"),
    Column("Số DVC TT toàn trình phát sinh HS online (9)", 13, "right"),
    Column("Tỉ lệ DVC TT phát sinh HS online (10)=((7)+(9))/(5)", 14, "right"),
    Column("Tổng số HS online một phần (11)", 13, "right"),
    Column("Tổng HS trực tiếp và online một phần (12)", 14, "right"),
    Column("Tỉ lệ % HS online một phần (13)=(11)/(12)", 13, "right"),
    Column("Tổng số HS online toàn trình (14)", 13, "right"),
    Column("Tổng HS trực tiếp và online toàn trình (15)", 14, "right"),
    Column("Tỉ lệ % HS online toàn trình (16)=(14)/(15)", 13, "right"),
    Column("Tổng số HS TTHC (17)", 13, "right"),
    Column("Tỉ lệ % HS online (18)=((11)+(14))/((12)+(15))", 15, "right"),
]


def dvc_cells(values: dict[str, Decimal]) -> list[str]:
    """Columns (3)…(18) from the counts; (5) is (3)+(4); rates to one decimal as the seed prints them."""
    cells = []
    for key in DVC_KEYS:
        if key is None:
            parts = [values.get("dvc_partial_services"), values.get("dvc_full_services")]
            cells.append(show(sum(parts)) if None not in parts else "")
        elif METRICS[key].derived:
            cells.append(show(rate(key, values), 1, trim=True))
        else:
            cells.append(show(values.get(key)))
    return cells


def dvc_table(units: list[UnitMetrics], agency: dict) -> tuple[Table, dict]:
    """Appendix 1 of seed 000: the authority's own level, then the communes (and towns or wards), each
    with its Σ row, then all. The group names are the authority's words (wording.agency)."""
    communes = agency["subordinates"].removeprefix("UBND các ")  # "xã, thị trấn" / "xã, phường"
    counts = [m.key for m in metrics_of("online_services") if not m.derived]
    groups = [(f"A. Cấp {agency['division']}", [u for u in units if u.kind not in COMMUNE_KINDS]),
              (f"B. Cấp {communes}", [u for u in units if u.kind in COMMUNE_KINDS])]
    rows, index, used = [], 0, []
    for label, members in groups:
        if not members:
            continue
        used.append(label.split(".")[0])
        rows.append(Row([label], kind="group"))
        for unit in members:
            index += 1
            rows.append(Row([str(index), unit.name, *dvc_cells(unit.values)]))
        rows.append(Row(["", "Tổng số", *dvc_cells(summed(members, counts))], kind="total"))
    everything = summed(units, counts)
    rows.append(Row(["", f"TỔNG CỘNG ({'+'.join(used)})", *dvc_cells(everything)], kind="total"))
    return Table(DVC_COLUMNS, rows, dense=True), everything


INCOMING_COLUMNS = [
    Column("STT", 12, "center"), Column("Tên đơn vị", 95), Column("Tổng số VB đến", 28, "right"),
    Column("VB đến phản hồi", 28, "right"), Column("VB đến kết thúc", 28, "right"),
    Column("VB đến chưa xử lý", 28, "right"), Column("Tỷ lệ % xử lý", 28, "right"),
]
INCOMING_KEYS = ["incoming_total", "incoming_replied", "incoming_closed", "incoming_pending"]
OUTGOING_COLUMNS = [
    Column("STT", 12, "center"), Column("Tên đơn vị", 79), Column("VB đi tổng", 20, "right"),
    Column("VB đi điện tử", 20, "right"), Column("VB đi giấy", 18, "right"),
    Column("VB đi không ký số", 22, "right"), Column("VB đi ký số", 20, "right"),
    Column("Tỷ lệ VB đi ký số", 22, "right"), Column("VB đi Lãnh đạo ký số", 24, "right"),
    Column("Tỷ lệ VB đi Lãnh đạo ký số", 25, "right"),
]
OUTGOING_KEYS = ["outgoing_total", "outgoing_electronic", "outgoing_paper", "outgoing_unsigned", "outgoing_signed",
                 "outgoing_signed_rate", "outgoing_leader_signed", "outgoing_leader_signed_rate"]


def per_unit_table(units: list[UnitMetrics], columns, keys, places: int) -> Table:
    """One row per unit, counts as they are and rates from them, then the Σ row (rates Σ/Σ)."""
    counts = [k for k in keys if not METRICS[k].derived]

    def cells(values):
        return [show(rate(k, values), places) if METRICS[k].derived else show(values.get(k)) for k in keys]

    rows = [Row([str(i), unit.name, *cells(unit.values)]) for i, unit in enumerate(units, start=1)]
    rows.append(Row(["", "Tổng cộng", *cells(summed(units, counts))], kind="total"))
    return Table(columns, rows)


def incoming_table(units, places=2) -> Table:
    return per_unit_table(units, INCOMING_COLUMNS, INCOMING_KEYS + ["incoming_processed_rate"], places)


def outgoing_table(units, places=2) -> Table:
    return per_unit_table(units, OUTGOING_COLUMNS, OUTGOING_KEYS, places)


# -- htnv-round (seed 000) -------------------------------------------------------------------------


def _under(code: str, prefix: str) -> bool:
    return code == prefix or code.startswith(prefix + ".")


def htnv_round(assessment: Assessment, letter: Letter | None = None) -> LetterDocument:
    """Công văn after a round of HTNV scoring: the IT figures of the round and three appendices."""
    agency = wording.agency(assessment.subject)
    defaults = wording.letter_defaults(LetterKind.HTNV_ROUND, agency)
    draft = Draft(letter, defaults)
    period = assessment.period
    lines = [line for line in score_lines(assessment) if line.appraised is not None]
    group_code = draft.value("headline_group", defaults["headline_group"])
    documents_code = draft.value("documents_criterion", defaults["documents_criterion"])
    group = [line for line in lines if _under(line.code, group_code)]
    documents = next((line for line in lines if line.code == documents_code), None)
    group_appraised = sum((line.appraised for line in group), Decimal(0))
    # The group's maximum: the reviewer's figure when given (the decision's own: the demo catalogue
    # holds only the criteria scored in the round), else the catalogue's, else Σ of the scored ones.
    group_max = parse_number(str(draft.value("headline_max", ""))) or (
        Criterion.objects.filter(criteria_set_id=assessment.criteria_set_id, code=group_code)
        .values_list("max_score", flat=True).first()
    ) or sum((line.max_score for line in group), Decimal(0))
    details = "; ".join(f"{line.name} đạt {num(line.appraised)}/{num(line.max_score)} điểm" for line in group)
    documents_percent = (documents.appraised / documents.max_score * 100) if documents and documents.max_score else None
    round_words = draft.value("round_words", f"lần {period.code.rsplit('R', 1)[-1]}" if "-R" in period.code
                              else period_words(period))
    context = index_words(assessment, agency, "") | {
        "district": agency["district"],
        "round_words": round_words,
        "round_date": f"{period.end:%d/%m/%Y}",
        "headline_appraised": num(group_appraised),
        "headline_max": num(group_max),
        "headline_details": details or "chưa có điểm",
        "documents_percent": show(documents_percent, 0),
        "documents_appraised": num(documents.appraised) if documents else "",
        "documents_max": num(documents.max_score) if documents else "",
    }
    parts = date_parts(draft, period)
    attached = attached_line(letter, defaults["symbol"], parts, agency)
    subtitle = f"({range_words(period)})"
    # The figures of the unit whose round it is: the authority's whole tree for its own assessment,
    # the unit's own (and those under it) for one it scores, never the province's for a commune.
    tree = authority_tree(agency) if assessment.subject_id == agency["root_id"] else subtree_ids(assessment.subject)
    dvc, dvc_all = dvc_table(unit_metrics(period, "online_services", tree), agency)
    incoming_units = unit_metrics(period, "incoming", tree)
    outgoing_units = unit_metrics(period, "outgoing", tree)
    titles = defaults["appendix_titles"]
    appendices = [
        Appendix("Phụ lục 1", titles[0], attached, dvc, subtitle),
        Appendix("Phụ lục 2", titles[1], attached, incoming_table(incoming_units), subtitle),
        Appendix("Phụ lục 3", titles[2], attached, outgoing_table(outgoing_units), subtitle),
    ]
    incoming_all = summed(incoming_units, INCOMING_KEYS)
    figures = {
        "headline": f"{context['headline_appraised']}/{context['headline_max']}",
        "documents": f"{context['documents_appraised']}/{context['documents_max']}",
        "dvc_online_rate": show(rate("dvc_online_rate", dvc_all), 1, trim=True),
        "incoming_processed_rate": show(rate("incoming_processed_rate", incoming_all), 2),
    }
    blocks = blocks_from(defaults["blocks"], context, draft.paragraphs())
    return _cong_van(LetterKind.HTNV_ROUND, defaults, letter, draft, agency, parts, context, blocks, appendices,
                     figures)


# -- document-processing (seed 002) ----------------------------------------------------------------


def below(units: list[UnitMetrics], key: str, threshold: Decimal) -> list[tuple[str, Decimal]]:
    """Units whose rate (from their counts) is under the threshold, in registry order."""
    found = []
    for unit in units:
        value = rate(key, unit.values)
        if value is not None and value < threshold:
            found.append((unit.name, value))
    return found


def named_list(items: list[tuple[str, Decimal]]) -> str:
    """"Phòng Y tế (14%), Thanh tra huyện (4%)" — whole percents, as seed 002 prints them."""
    return ", ".join(f"{name} ({show(value, 0)}%)" for name, value in items) or "không có"


def document_processing(period: Period, letter: Letter | None = None) -> LetterDocument:
    """Công văn pushing units to process incoming documents and sign outgoing ones, naming the weak."""
    agency = wording.agency(letter_authority(letter), period=period)
    defaults = wording.letter_defaults(LetterKind.DOCUMENT_PROCESSING, agency)
    draft = Draft(letter, defaults)
    thresholds = {k: parse_number(str(v)) for k, v in
                  (defaults["thresholds"] | (draft.body.get("thresholds") or {})).items()}
    tree = authority_tree(agency)
    incoming_units = unit_metrics(period, "incoming", tree)
    outgoing_units = unit_metrics(period, "outgoing", tree)
    weak_incoming = below(incoming_units, "incoming_processed_rate", thresholds["incoming_processed_rate"])
    weak_signed = below(outgoing_units, "outgoing_signed_rate", thresholds["outgoing_signed_rate"])
    weak_leader = below(outgoing_units, "outgoing_leader_signed_rate", thresholds["outgoing_leader_signed_rate"])
    full = [u for u in incoming_units if rate("incoming_processed_rate", u.values) == 100]
    context = {
        "period_words": period_words(period),
        "district": agency["district"],
        "full_clause": f"có {len(full)} đơn vị đạt 100%" if full else "không có đơn vị nào đạt 100%",
        "incoming_count": len(weak_incoming),
        "incoming_threshold": show(thresholds["incoming_processed_rate"]),
        "incoming_list": named_list(weak_incoming),
        "signed_threshold": show(thresholds["outgoing_signed_rate"]),
        "signed_list": named_list(weak_signed),
        "leader_threshold": show(thresholds["outgoing_leader_signed_rate"]),
        "leader_list": named_list(weak_leader),
        "appendix_count": "02",
    }
    parts = date_parts(draft, period)
    attached = attached_line(letter, defaults["symbol"], parts, agency)
    subtitle = range_words(period)
    titles = defaults["appendix_titles"]
    appendices = [
        Appendix("Phụ lục 1", titles[0], attached, incoming_table(incoming_units, 0), subtitle),
        Appendix("Phụ lục 2", titles[1], attached, outgoing_table(outgoing_units, 0), subtitle),
    ]
    figures = {
        "incoming": named_list(weak_incoming), "signed": named_list(weak_signed), "leader": named_list(weak_leader),
        "incoming_processed_rate": show(rate("incoming_processed_rate", summed(incoming_units, INCOMING_KEYS)), 2),
    }
    blocks = blocks_from(defaults["blocks"], context, draft.paragraphs())
    return _cong_van(LetterKind.DOCUMENT_PROCESSING, defaults, letter, draft, agency, parts, context, blocks,
                     appendices, figures)


# -- procedures (seed 003) -------------------------------------------------------------------------

PROCEDURE_KEYS = ["tthc_online_rate", "tthc_digitized_rate", "tthc_overdue", "tthc_online_payment_rate",
                  "tthc_e_receipt_rate"]
PROCEDURE_COLUMNS = [
    Column("TT", 12, "center"), Column("Cơ quan, đơn vị, địa phương", 80),
    Column("Tỷ lệ % HS online", 32, "right"),
    Column("Tỷ lệ số hóa đầy đủ thành phần HS khi tiếp nhận", 36, "right"),
    Column("Hồ sơ quá hạn", 30, "right"), Column("Tỷ lệ giao dịch thanh toán trực tuyến", 36, "right"),
    Column("Tỷ lệ hồ sơ có phát hành biên lai điện tử", 36, "right"),
]
FIGURE_WORDS = {
    "tthc_online_rate": "Về hồ sơ trực tuyến đạt tỷ lệ {value}%",
    "tthc_digitized_rate": "Tỷ lệ số hóa đầy đủ thành phần hồ sơ khi tiếp nhận đạt {value}%",
    "tthc_overdue": "Có {value} hồ sơ quá hạn",
    "tthc_online_payment_rate": "Tỷ lệ giao dịch thanh toán trực tuyến đạt {value}%",
    "tthc_e_receipt_rate": "Tỷ lệ hồ sơ có phát hành biên lai điện tử đạt {value}%",
}
TARGET_WORDS = {
    "tthc_online_rate": "hồ sơ trực tuyến",
    "tthc_digitized_rate": "số hóa đầy đủ thành phần hồ sơ khi tiếp nhận",
    "tthc_online_payment_rate": "thanh toán trực tuyến",
}


def procedure_cell(key: str, value: Decimal | None) -> str:
    """A unit's cell of the TTHC table: a count as it is, a rate with at least one decimal as the
    province's table prints it (76,0, not 76), never rounded below its own precision."""
    if value is None or METRICS[key].kind == "count":
        return show(value)
    exponent = value.normalize().as_tuple().exponent
    return show(value, max(1, -exponent if isinstance(exponent, int) and exponent < 0 else 0))


def district_procedures(units: list[UnitMetrics], authority: str, given: dict) -> dict[str, Decimal | None]:
    """The district's TTHC figures: the authority's own stored values, else the province's figures
    the reviewer typed into the draft; the overdue count, a count, is Σ over the units otherwise.

    Rates of the aggregated table cannot be summed (no denominators), so none is ever averaged here."""
    own = next((u.values for u in units if u.name == authority), {})
    figures = {}
    for key in PROCEDURE_KEYS:
        if key in own:
            figures[key] = own[key]
        elif given.get(key) not in (None, ""):
            figures[key] = parse_number(str(given[key]))
        elif METRICS[key].kind == "count":
            figures[key] = summed([u for u in units if u.name != authority], [key]).get(key)
        else:
            figures[key] = None
    return figures


def procedures(period: Period, letter: Letter | None = None) -> LetterDocument:
    """Công văn on TTHC results: the district's figures and ranks, the per-unit table, targets per unit type."""
    agency = wording.agency(letter_authority(letter), period=period)
    defaults = wording.letter_defaults(LetterKind.PROCEDURES, agency)
    draft = Draft(letter, defaults)
    units = unit_metrics(period, "procedures", authority_tree(agency))
    district = district_procedures(units, agency["subject"], draft.body.get("district") or {})
    ranks = draft.body.get("ranks") or {}
    figure_lines = []
    for key in PROCEDURE_KEYS:
        if district[key] is None:
            continue
        value = show(district[key]) if METRICS[key].kind == "count" else show(district[key], 2, trim=True)
        line = "+ " + FIGURE_WORDS[key].format(value=value)
        if ranks.get(key):
            line += f" đứng thứ {ranks[key]} {defaults['peers']}"
        figure_lines.append(line + ";")
    if figure_lines:
        figure_lines[-1] = figure_lines[-1][:-1] + "."
    targets = _targets(defaults, draft, agency["targets"])
    target_lines = [
        f"{i}. {group['label']}: " + ", ".join(f"{TARGET_WORDS[key]} đạt từ {show(value)}% trở lên"
                                              for key, value in group["values"].items()) + "."
        for i, group in enumerate(targets, start=1)
    ]
    context = {
        "period_words": period_words(period),
        "district": agency["district"],
        "figure_lines": "\n\n".join(figure_lines) or f"(chưa có số liệu của {agency['division']})",
        "period_start": f"{period.start:%d/%m/%Y}",
        "period_end": f"{period.end:%d/%m/%Y}",
        "target_lines": "\n\n".join(target_lines),
        "n_apology": len(target_lines) + 1,
    }
    parts = date_parts(draft, period)
    attached = attached_line(letter, defaults["symbol"], parts, agency)
    rows = [Row(["", f"Toàn {agency['division']}", *[show(district[k]) if METRICS[k].kind == "count" else show(district[k], 2, trim=True)
                                     for k in PROCEDURE_KEYS]], kind="total")]
    for i, unit in enumerate([u for u in units if u.name != agency["subject"]], start=1):
        rows.append(Row([str(i), unit.name, *[procedure_cell(k, unit.values.get(k)) for k in PROCEDURE_KEYS]]))
    target_rows = [Row([group["label"], *[show(group["values"].get(k)) for k in TARGET_WORDS]]) for group in targets]
    target_columns = [Column("Loại đơn vị", 100), *[Column(f"Tỷ lệ {w} (%)", 50, "center")
                                                      for w in TARGET_WORDS.values()]]
    appendices = [
        Appendix("Phụ lục I", defaults["appendix_title"], attached, Table(PROCEDURE_COLUMNS, rows),
                 range_words(period)),
        Appendix("Phụ lục II", defaults["targets_title"], attached, Table(target_columns, target_rows)),
    ]
    figures = {key: (show(v) if v is not None else "") for key, v in district.items()}
    figures |= {f"rank_{key}": value for key, value in ranks.items()}
    blocks = blocks_from(defaults["blocks"], context, draft.paragraphs())
    return _cong_van(LetterKind.PROCEDURES, defaults, letter, draft, agency, parts, context, blocks, appendices,
                     figures)


def authority_targets(targets: dict, kinds: list[str]) -> dict[str, str]:
    """The authority's target of each TARGET_WORDS metric for a group of unit kinds: the first of the
    kinds it names, else its "*"; a metric it sets no target for is left out."""
    found = {}
    for key in TARGET_WORDS:
        by_kind = targets.get(key) or {}
        value = next((by_kind[kind] for kind in kinds if kind in by_kind), by_kind.get("*"))
        if value not in (None, ""):
            found[key] = value
    return found


def _targets(defaults: dict, draft: Draft, targets: dict) -> list[dict]:
    """Targets per unit group of wording.PROCEDURES: the authority's own, under the draft's figures.
    A group with no target at all is left out of the letter."""
    given = draft.body.get("targets") or {}
    groups = []
    for key, group in defaults["targets"].items():
        stated = authority_targets(targets, group["kinds"]) | (given.get(key) or {})
        values = {k: parse_number(str(v)) for k, v in stated.items() if v not in (None, "")}
        if values:
            groups.append({"key": key, "label": group["label"], "kinds": group["kinds"], "values": values})
    return groups
