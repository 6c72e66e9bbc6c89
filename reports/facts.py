"""Facts of each kind of letter, read from the database into a LetterDocument.

One builder per kind. Figures come from the assessment's scores; free text is the default wording
of reports.wording unless the reviewer's draft (a Letter row) overrides it. Renderers never touch
the database."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from common.numbers import format_number
from scoring.choices import PeriodKind, SetKind
from scoring.models import Assessment, Criterion
from units.choices import UnitKind
from units.models import Unit

from . import wording
from .choices import LetterKind
from .document import (
    CONG_VAN, KE_HOACH, Appendix, Block, Column, LetterDocument, Row, Table, parse_runs, punctuate_list,
)
from .models import Letter

NBSP = "\u00a0"
BLANK = NBSP * 6  # room left for a number or a day written by hand or by the document system


class LetterError(ValueError):
    """The data needed for a letter is missing or ambiguous; the message says what, in Vietnamese."""


@dataclass(frozen=True)
class ScoreLine:
    """One criterion in scope of an assessment, with its scores and who answers for it."""

    code: str
    name: str
    max_score: Decimal
    self_score: Decimal | None
    appraised: Decimal | None
    comment: str
    responsible_text: str
    units: tuple[str, ...]

    @property
    def deduction(self) -> Decimal | None:
        return None if self.appraised is None else self.appraised - self.max_score

    @property
    def is_deducted(self) -> bool:
        return self.appraised is not None and self.appraised < self.max_score


@dataclass(frozen=True)
class Totals:
    max_total: Decimal
    appraised_total: Decimal
    deducted: list[ScoreLine]

    @property
    def index_percent(self) -> Decimal | None:
        if not self.max_total:
            return None
        return self.appraised_total / self.max_total * 100

    @property
    def deduction_total(self) -> Decimal:
        return sum((line.deduction for line in self.deducted), Decimal("0"))


def score_lines(assessment: Assessment) -> list[ScoreLine]:
    """The scored criteria of an assessment that have no scored descendant, in criterion order.

    A criterion is in scope when it has a Score row. When both an area and its sub-criteria carry a
    score, only the sub-criteria count, so that nothing is summed twice."""
    scores = list(
        assessment.scores.select_related("criterion")
        .prefetch_related("responsible_units", "criterion__responsibilities__unit")
        .order_by("criterion__position", "criterion__id")
    )
    parent_of = dict(
        Criterion.objects.filter(criteria_set_id=assessment.criteria_set_id).values_list("id", "parent_id")
    )
    scored = {score.criterion_id for score in scores}
    has_scored_descendant = set()
    for criterion_id in scored:
        parent = parent_of.get(criterion_id)
        while parent is not None:
            has_scored_descendant.add(parent)
            parent = parent_of.get(parent)
    lines = []
    for score in scores:
        if score.criterion_id in has_scored_descendant:
            continue
        lines.append(ScoreLine(
            code=score.criterion.code,
            name=score.criterion.name,
            max_score=score.criterion.max_score,
            self_score=score.self_score,
            appraised=score.appraised_score,
            comment=score.comment.strip(),
            responsible_text=score.responsible_text.strip(),
            units=_responsible_units(score),
        ))
    return lines


def _responsible_units(score) -> tuple[str, ...]:
    """The units named on the score, else the criterion's responsible units (the lead first)."""
    units = sorted(score.responsible_units.all(), key=lambda unit: (unit.sort_order, unit.name))
    if not units:
        responsibilities = sorted(
            score.criterion.responsibilities.all(),
            key=lambda r: (not r.is_lead, r.unit.sort_order, r.unit.name),
        )
        units = [r.unit for r in responsibilities]
    return tuple(unit.name for unit in units)


def totals(lines: list[ScoreLine]) -> Totals:
    """Σ max and Σ appraised over the appraised criteria; the index is their ratio."""
    appraised = [line for line in lines if line.appraised is not None]
    return Totals(
        max_total=sum((line.max_score for line in appraised), Decimal("0")),
        appraised_total=sum((line.appraised for line in appraised), Decimal("0")),
        deducted=[line for line in appraised if line.is_deducted],
    )


def rank_among_peers(assessment: Assessment, key) -> str:
    """"01/10" when the same set and period scored other units of the same kind; else ""."""
    peers = list(
        Assessment.objects.filter(
            criteria_set_id=assessment.criteria_set_id, period_id=assessment.period_id,
            subject__kind=assessment.subject.kind,
        ).select_related("subject")
    )
    if len(peers) < 2:
        return ""
    values = {peer.pk: key(totals(score_lines(peer))) or Decimal("0") for peer in peers}
    mine = values[assessment.pk]
    rank = 1 + sum(1 for value in values.values() if value > mine)
    return f"{rank:02d}/{len(peers):02d}"


# -- finding the assessment and the draft ----------------------------------------------------------

SET_KIND_OF = {
    LetterKind.CCHC_REMEDIATION: SetKind.CCHC,
    LetterKind.REMEDIATION_PLAN: SetKind.HTNV,
    LetterKind.HTNV_ROUND: SetKind.HTNV,
}
# Kinds built on a period's metrics alone, with no assessment behind them.
PERIOD_KINDS = {LetterKind.DOCUMENT_PROCESSING, LetterKind.PROCEDURES}


def find_assessment(kind: str, period_code: str, set_code: str | None = None,
                    unit_name: str | None = None, root=None) -> Assessment:
    """The authority's own assessment (subject = the root unit) for the period and set, or the
    named unit's (a province's letter to one of the communes it scores). ``root`` (a root Unit, the
    letter's authority) picks that authority's own; without it, when several authorities scored the
    period, the registry's first."""
    rows = Assessment.objects.filter(period__code=period_code).select_related("criteria_set", "period", "subject")
    if unit_name:
        from units.matching import UnitMatcher

        match = UnitMatcher().match(unit_name)
        if match.unit is None:
            raise LetterError(match.message)
        rows = rows.filter(subject=match.unit)
    else:
        rows = rows.filter(subject__kind=UnitKind.AUTHORITY, subject__parent__isnull=True)
        if root is not None:
            rows = rows.filter(subject_id=root.pk)
    if set_code:
        rows = rows.filter(criteria_set__code=set_code)
    else:
        rows = rows.filter(criteria_set__kind=SET_KIND_OF[kind])
    found = list(rows)
    if len({a.subject_id for a in found}) > 1:
        # Other districts are in the registry (to rank against): the letter is the issuing authority's.
        found = [a for a in found if a.subject.name == wording.agency()["subject"]]
    if not found:
        raise LetterError(
            f"Không tìm thấy đợt đánh giá của cơ quan chấm điểm cho kỳ {period_code}"
            + (f", bộ tiêu chí {set_code}." if set_code else ".")
        )
    if len(found) > 1:
        codes = ", ".join(a.criteria_set.code for a in found)
        raise LetterError(f"Kỳ {period_code} có nhiều bộ tiêu chí ({codes}): hãy chọn một bằng --set.")
    return found[0]


def letter_assessment(letter: Letter) -> Assessment:
    """The assessment a letter of an assessment kind is built from: its own, else its authority's
    (or, for a row with no authority, the one find_assessment finds) of its period."""
    if letter.assessment_id is not None:
        return letter.assessment
    return find_assessment(letter.kind, letter.period.code, root=letter.authority)


def find_draft(kind: str, assessment: Assessment) -> Letter | None:
    """The latest draft of this kind for the assessment (or for its period with no assessment set)."""
    drafts = Letter.objects.filter(kind=kind, period_id=assessment.period_id)
    return (
        drafts.filter(assessment=assessment).order_by("-updated_at", "-id").first()
        or drafts.filter(assessment__isnull=True).order_by("-updated_at", "-id").first()
    )


def find_authority(name: str):
    """The authority named on the command line: its root unit's name or its place, in any case and
    with or without diacritics ("Vĩnh Linh", "vinh linh", "UBND huyện Vĩnh Linh")."""
    from units.models import Authority
    from units.text import fold

    wanted = fold(name)
    every = list(Authority.objects.select_related("unit").order_by("pk"))
    found = [a for a in every if wanted in (fold(a.unit.name), fold(a.place))]
    if len(found) != 1:
        known = "; ".join(f"{a.unit.name} ({a.place})" for a in every) or "chưa khai báo cơ quan nào"
        raise LetterError(f"Không tìm thấy đúng một cơ quan chấm điểm tên «{name}». Các cơ quan: {known}.")
    return found[0]


def build_letter(kind: str, period_code: str, set_code: str | None = None,
                 unit_name: str | None = None, authority_name: str | None = None) -> LetterDocument:
    """Entry point for the CLI: the facts of one letter (its latest draft, if any), ready to render."""
    if kind not in BUILDERS:
        raise LetterError(f"Chưa hỗ trợ loại văn bản {kind!r}.")
    if kind in PERIOD_KINDS:
        from .metric_letters import find_period

        period = find_period(period_code)
        # The authority named, else the one whose figures the period holds (else the registry's
        # first); that authority's draft, so another authority's wording never leaks in.
        if authority_name:
            root_id = find_authority(authority_name).unit_id
        else:
            root_id = wording.agency(period=period)["root_id"]
        draft = (Letter.objects.filter(kind=kind, period=period)
                 .filter(Q(authority_id=root_id) | Q(authority__isnull=True))
                 .order_by("-updated_at", "-id").first())
        if draft is None and authority_name:
            draft = Letter(kind=kind, period=period, authority_id=root_id)  # never saved: who speaks, no wording
        return BUILDERS[kind](period, draft)
    assessment = find_assessment(kind, period_code, set_code, unit_name)
    return BUILDERS[kind](assessment, find_draft(kind, assessment))


def build_for_letter(letter: Letter) -> LetterDocument:
    """The facts of one stored letter: what the pages and the rendering task print.

    An issued letter answers the facts frozen when it was issued (reports.freezing), so that a later
    correction of the data never changes what was sent; a draft is built from today's data."""
    from .freezing import frozen_document

    frozen = frozen_document(letter)
    return frozen if frozen is not None else build_live(letter)


def build_live(letter: Letter) -> LetterDocument:
    """The facts of one stored letter from today's data, whatever its status."""
    if letter.kind not in BUILDERS:
        raise LetterError(f"Chưa hỗ trợ loại văn bản {letter.kind!r}.")
    if letter.kind in PERIOD_KINDS:
        return BUILDERS[letter.kind](letter.period, letter)
    return BUILDERS[letter.kind](letter_assessment(letter), letter)


# -- shared pieces ---------------------------------------------------------------------------------


class Draft:
    """The reviewer's choices on a Letter row, with the defaults of the kind behind them."""

    def __init__(self, letter: Letter | None, defaults: dict):
        self.letter = letter
        self.body = (letter.body if letter else None) or {}
        self.defaults = defaults

    def paragraphs(self) -> dict:
        return self.body.get("paragraphs") or {}

    def value(self, key, default):
        value = self.body.get(key)
        return default if value in (None, "", []) else value


def period_words(period) -> str:
    """"6 tháng đầu năm 2023", "năm 2023" or the period's own name for a round."""
    if period.kind == PeriodKind.HALF_YEAR:
        return f"6 tháng đầu năm {period.year}"
    if period.kind == PeriodKind.YEAR:
        return f"năm {period.year}"
    return period.name


def period_short(period) -> str:
    return "6 tháng đầu năm" if period.kind == PeriodKind.HALF_YEAR else f"năm {period.year}"


def date_parts(draft: Draft, period) -> tuple[str, str, str]:
    """(day, month, year) as printed; blank parts stay blank for the document system to fill.

    Defaults: a half-year letter is written in its own year, a year's letter early the next year."""
    if draft.letter and draft.letter.date:
        d = draft.letter.date
        return f"{d.day:02d}" if d.day < 10 else str(d.day), f"{d.month:02d}" if d.month < 3 else str(d.month), str(d.year)
    given = draft.body.get("date") or {}
    default_year = period.year + 1 if period.kind == PeriodKind.YEAR else period.year
    day = str(given.get("day") or "")
    month = str(given.get("month") or "")
    if day.isdigit() and int(day) < 10:
        day = f"{int(day):02d}"
    if month.isdigit() and int(month) < 3:
        month = f"{int(month):02d}"
    return day, month, str(given.get("year") or default_year)


def place_date_line(place: str, parts: tuple[str, str, str]) -> str:
    day, month, year = parts
    return f"{place}, ngày {day or BLANK} tháng {month or BLANK} năm {year}"


def short_date(parts: tuple[str, str, str]) -> str:
    day, month, year = parts
    return f"{day or BLANK}/{month or BLANK}/{year}"


def blocks_from(specs, context: dict, overrides: dict) -> list[Block]:
    """Fill the default wording with the facts, then apply the reviewer's paragraphs."""
    blocks = []
    for key, style, template in specs:
        if key in overrides:
            text = overrides[key] or ""  # the reviewer's words, used as written
        else:
            text = template.format(**context)
        for paragraph in [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]:
            if paragraph:
                blocks.append(Block(parse_runs(paragraph), style=style, key=key))
    return blocks


def signature(draft: Draft, defaults: dict, agency: dict) -> tuple[list[str], str]:
    given = draft.body.get("signature") or {}
    lines = given.get("lines") or defaults["signature"]
    name = (draft.letter.signer if draft.letter and draft.letter.signer else "") or given.get("name") \
        or agency[defaults["signer"]]
    return list(lines), name


def number_line(draft: Draft, symbol: str) -> str:
    number = draft.letter.number.strip() if draft.letter and draft.letter.number else ""
    return f"Số: {number or BLANK}/{symbol}"


def legal_basis_words(criteria_set) -> str:
    """"Quyết định số 1325/QĐ-UBND ngày 23/6/2023 của UBND tỉnh", naming the issuer only once."""
    basis = criteria_set.legal_basis.strip().rstrip(".")
    if not basis:
        return f"bộ tiêu chí năm {criteria_set.year} của UBND tỉnh"
    return basis if " của " in basis else f"{basis} của UBND tỉnh"


def pct(value: Decimal | None) -> str:
    """A percentage rounded half-up to 2 places, the only display rounding (70,37)."""
    return format_number(value, 2) if value is not None else ""


def num(value: Decimal | None) -> str:
    """A score as the seeds print it: its own decimals, no trailing zeros (0,5 · -1,15 · 8)."""
    return format_number(value) if value is not None else ""


def common_context(assessment: Assessment, agency: dict, tot: Totals) -> dict:
    period = assessment.period
    words = period_words(period)
    return {
        "period_words": words,
        "period_words_upper": words.upper(),
        "period_short": period_short(period),
        "year": period.year,
        "previous_year": period.year - 1,
        "next_year": period.year + 1,
        "district": agency["district"],
        "district_upper": agency["district"].upper(),
        "province": agency["province"],
        "legal_basis": legal_basis_words(assessment.criteria_set),
        "deducted_count": len(tot.deducted),
        "deduction_total": format_number(abs(tot.deduction_total)),
        "appraised_total": num(tot.appraised_total),
    }


# -- cchc-remediation (seed 001) -------------------------------------------------------------------


def index_words(assessment: Assessment, agency: dict, rank: str) -> dict:
    """Whose index (the plan: deductions and class; the round letter: round) the letter reports, and
    among whom it ranks. The authority's own assessment: the authority ("huyện Vĩnh Linh", ranked
    among its peers in the province: rank_scope). An assessment of a unit it scores (a province's
    letter to one of its communes): that unit by name, ranked among the units the authority scored
    with the same set ("trong số UBND các xã, phường của tỉnh"), so that the commune's figures are
    never printed as the province's."""
    if assessment.subject_id == agency["root_id"]:
        subject, owner = f"{agency['division']} {agency['district']}", agency["division"]
        scope, short_scope = agency["rank_scope"], agency["peers_short"]
    else:
        subject = owner = assessment.subject.name
        scope = short_scope = f"trong số {agency['subordinates']} của {agency['division']}"
    return {
        "index_subject": subject,
        "index_owner": owner,
        "index_subject_upper": subject.upper(),
        "rank_clause": f"; xếp thứ **{rank}** {scope}" if rank else "",
        # after "xếp thứ N" where the seeds write the peers short ("huyện, thị": the plan)
        "rank_scope_short": short_scope,
    }


CCHC_COLUMNS = [
    Column("STT", 14, "center"),
    Column("LĨNH VỰC / TIÊU CHÍ / TIÊU CHÍ THÀNH PHẦN", 50),
    Column("ĐIỂM CHUẨN", 16, "center"),
    Column("ĐIỂM TỰ ĐÁNH GIÁ", 16, "center"),
    Column("ĐIỂM THẨM ĐỊNH", 16, "center"),
    Column("ĐIỂM BỊ TRỪ", 16, "center"),
    Column("Ý KIẾN HỘI ĐỒNG THẨM ĐỊNH", 70),
    Column("ĐƠN VỊ CHỊU TRÁCH NHIỆM", 59),
]


def cchc_remediation(assessment: Assessment, letter: Letter | None = None) -> LetterDocument:
    """Công văn after a CCHC half-year or year: index, deductions, what each group of units must do."""
    agency = wording.agency(assessment.subject)
    defaults = wording.letter_defaults(LetterKind.CCHC_REMEDIATION, agency)
    draft = Draft(letter, defaults)
    tot = totals(score_lines(assessment))
    rank = draft.value("rank", "") or rank_among_peers(assessment, lambda t: t.index_percent)
    context = common_context(assessment, agency, tot) | index_words(assessment, agency, rank) | {
        "index_percent": pct(tot.index_percent),
    }
    parts = date_parts(draft, assessment.period)
    rows = [
        Row([line.code, line.name, format_number(line.max_score, 2), num(line.self_score), num(line.appraised),
             num(line.deduction), line.comment, line.responsible_text or "\n".join(line.units)])
        for line in tot.deducted
    ]
    rows.append(Row(["", "Tổng cộng", format_number(tot.max_total, 2), "", num(tot.appraised_total),
                     num(tot.deduction_total), "", ""], kind="total"))
    number = letter.number.strip() if letter and letter.number else ""
    appendix = Appendix(
        label="Phụ lục",
        title=defaults["appendix_title"].format(**context),
        attached=f"(Kèm theo Công văn số {number or BLANK}/{defaults['symbol']} ngày {short_date(parts)} "
                 f"của {agency['short']})",
        table=Table(CCHC_COLUMNS, rows),
    )
    signature_lines, signer_name = signature(draft, defaults, agency)
    subject = (letter.subject.strip() if letter and letter.subject else "") or defaults["subject"].format(**context)
    return LetterDocument(
        kind=LetterKind.CCHC_REMEDIATION,
        doc_type=CONG_VAN,
        agency_lines=agency["lines"],
        number_line=number_line(draft, defaults["symbol"]),
        place_date=place_date_line(agency["place"], parts),
        subject_lines=[subject],
        title="",
        recipients=punctuate_list((letter.recipients if letter and letter.recipients else defaults["recipients"])),
        blocks=blocks_from(defaults["blocks"], context, draft.paragraphs()),
        signature_lines=signature_lines,
        signer_name=signer_name,
        distribution=punctuate_list(draft.value("distribution", defaults["distribution"])),
        appendices=[appendix],
        figures={
            "index_percent": context["index_percent"],
            "deducted_count": str(len(tot.deducted)),
            "deduction_total": num(tot.deduction_total),
            "max_total": num(tot.max_total),
            "rank": rank,
        },
    )


# -- remediation-plan (seed 004) -------------------------------------------------------------------

PLAN_COLUMNS = [
    Column("NỘI DUNG Lĩnh vực/Tiêu chí/Tiêu chí thành phần", 72),
    Column("Điểm tối đa", 18, "center"),
    Column("Điểm thẩm định", 18, "center"),
    Column("Điểm bị trừ", 18, "center"),
    Column("Ghi chú (Nội dung, lí do trừ điểm)", 76),
    Column("Đơn vị phụ trách", 55),
]
GROUPED_COLUMNS = [
    Column("STT", 12, "center"),
    Column("Lĩnh vực/Tiêu chí/Tiêu chí thành phần", 90),
    Column("Điểm bị trừ", 18, "center"),
    Column("Nội dung, lí do trừ điểm", 97),
    Column("Thời hạn khắc phục", 40, "center"),
]
UNASSIGNED = "Chưa phân công đơn vị phụ trách"


def criterion_label(line: ScoreLine) -> str:
    """"I.A.1.1. Tổng thu ngân sách …" as the plan's appendix writes code and name together."""
    code = line.code if line.code.endswith(".") else f"{line.code}."
    return f"{code} {line.name}"


def grouped_by_unit(deducted: list[ScoreLine], unit_order: dict[str, int]) -> list[tuple[str, list[ScoreLine]]]:
    """Deducted criteria under each responsible unit (registry order); a shared criterion is under each."""
    groups: dict[str, list[ScoreLine]] = {}
    for line in deducted:
        for unit in line.units or (UNASSIGNED,):
            groups.setdefault(unit, []).append(line)
    return sorted(groups.items(), key=lambda item: (item[0] == UNASSIGNED, unit_order.get(item[0], 10**6), item[0]))


def remediation_plan(assessment: Assessment, letter: Letter | None = None) -> LetterDocument:
    """Kế hoạch khắc phục after an HTNV year: deducted criteria, by unit, with the total and deadlines."""
    agency = wording.agency(assessment.subject)
    defaults = wording.letter_defaults(LetterKind.REMEDIATION_PLAN, agency)
    draft = Draft(letter, defaults)
    tot = totals(score_lines(assessment))
    year = assessment.period.year
    deadlines = {"proposals": f"31/3/{year + 1}", "completion": f"30/11/{year + 1}"} | (draft.body.get("deadlines") or {})
    # The class and the rank are the province's decision, known only when the whole set was scored:
    # they come from the reviewer's draft, never from a partial total.
    grade = draft.value("class_label", "")
    rank = draft.value("rank", "")
    units = {u.name: u for u in Unit.objects.filter(name__in={n for line in tot.deducted for n in line.units})}
    armed = sorted({u.name for u in units.values() if u.kind == UnitKind.ARMED_FORCES},
                   key=lambda name: (units[name].sort_order, name))
    # Whose deductions and class the plan reports: the authority's own, or the unit's it scored
    # (index_words), so that a commune's deductions are never credited to the province.
    subject = index_words(assessment, agency, rank)
    context = common_context(assessment, agency, tot) | subject | {
        "set_subjects": wording.set_subjects(assessment.criteria_set.subject_kind, agency),
        "result_sentence": (
            f" Kết quả, {period_words(assessment.period)} {subject['index_subject']} xếp loại {grade}"
            + (f" (xếp thứ {rank} {subject['rank_scope_short']})" if rank else "") + "."
        ) if grade else "",
        "proposal_deadline": deadlines["proposals"],
        "completion_deadline": deadlines["completion"],
        "armed_list": "".join(f", {name}" for name in armed),
    }
    blocks = blocks_from(_plan_specs(defaults, armed), context, draft.paragraphs())
    parts = date_parts(draft, assessment.period)
    number = letter.number.strip() if letter and letter.number else ""
    attached = f"(Kèm theo Kế hoạch số {number or BLANK}/{defaults['symbol']} ngày {short_date(parts)} của {agency['short']})"

    rows = [Row([criterion_label(line), num(line.max_score), num(line.appraised), num(line.deduction), line.comment,
                 "\n".join(line.units)]) for line in tot.deducted]
    rows.append(Row(["Tổng điểm trừ", "", "", num(tot.deduction_total), "", ""], kind="total"))
    order = {name: unit.sort_order for name, unit in units.items()}
    grouped_rows = []
    for index, (unit, lines) in enumerate(grouped_by_unit(tot.deducted, order), start=1):
        subtotal = sum((line.deduction for line in lines), Decimal("0"))
        grouped_rows.append(Row([f"{index}. {unit} ({len(lines)} tiêu chí, {num(subtotal)} điểm)"], kind="group"))
        grouped_rows += [Row([str(i), criterion_label(line), num(line.deduction), line.comment,
                              deadlines["completion"]]) for i, line in enumerate(lines, start=1)]
    appendices = [
        Appendix("Phụ lục I", defaults["appendix_title"].format(**context), attached, Table(PLAN_COLUMNS, rows)),
        Appendix("Phụ lục II", defaults["grouped_title"].format(**context), attached,
                 Table(GROUPED_COLUMNS, grouped_rows)),
    ]
    signature_lines, signer_name = signature(draft, defaults, agency)
    subject = (letter.subject.strip() if letter and letter.subject else "") or defaults["subject"].format(**context)
    return LetterDocument(
        kind=LetterKind.REMEDIATION_PLAN,
        doc_type=KE_HOACH,
        agency_lines=agency["lines"],
        number_line=number_line(draft, defaults["symbol"]),
        place_date=place_date_line(agency["place"], parts),
        subject_lines=[subject],
        title=defaults["title"],
        recipients=[],
        blocks=blocks,
        signature_lines=signature_lines,
        signer_name=signer_name,
        distribution=punctuate_list(draft.value("distribution", defaults["distribution"])),
        appendices=appendices,
        figures={
            "deducted_count": str(len(tot.deducted)),
            "deduction_total": num(tot.deduction_total),
            "proposal_deadline": deadlines["proposals"],
            "completion_deadline": deadlines["completion"],
            "rank": rank,
        },
    )


def _plan_specs(defaults: dict, armed: list[str]) -> list[tuple[str, str, str]]:
    """The plan's blocks (the authority's wording, wording.letter_defaults) with the tasks section
    numbered, one section per armed-forces unit."""
    specs = defaults["blocks"]
    by_key = {key: (key, style, text) for key, style, text in specs}
    out = []
    n = 0
    for key, style, text in specs:
        if key.startswith("tasks_armed_"):
            continue
        if key == "tasks_home_affairs":
            for i, unit in enumerate(armed, start=1):
                n += 1
                for suffix in ("", "_1"):
                    k, s, t = by_key["tasks_armed_{index}" + suffix]
                    out.append((k.format(index=i), s, t.replace("{n}", str(n)).replace("{unit}", _literal(unit))))
        if style == "heading" and "{n}" in text:
            n += 1
            text = text.replace("{n}", str(n))
        out.append((key, style, text))
    return out


def _literal(text: str) -> str:
    """A name placed inside a str.format template must not be read as a placeholder."""
    return text.replace("{", "{{").replace("}", "}}")


BUILDERS = {
    LetterKind.CCHC_REMEDIATION: cchc_remediation,
    LetterKind.REMEDIATION_PLAN: remediation_plan,
}

# The metric-based kinds live in their own module (they read MetricValue, not scores); registered
# here so that the CLI, the pages and the task find every kind in one table.
from .metric_letters import document_processing, htnv_round, procedures  # noqa: E402

BUILDERS |= {
    LetterKind.HTNV_ROUND: htnv_round,
    LetterKind.DOCUMENT_PROCESSING: document_processing,
    LetterKind.PROCEDURES: procedures,
}
