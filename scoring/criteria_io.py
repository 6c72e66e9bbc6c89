"""Criteria sets in and out of spreadsheets, and the one function that writes a set's criteria.

A new year's set is data: a reviewer fills the sheet "Tiêu chí" (one row per area, criterion or
sub-criterion), imports it, and exports it again to check. The reader validates every cell first and
writes nothing when anything is wrong; its messages name the sheet, row, column, the value found and
what was expected, in Vietnamese."""

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import transaction

from common.numbers import parse_number
from units.models import Unit
from units.text import fold

from .choices import Level, Method, Rounding, SetKind, SubjectKind
from .models import CriteriaSet, Criterion, CriterionResponsibility

SHEET = "Tiêu chí"
UNIT_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True


COLUMNS = [
    Column("code", "Mã"),
    Column("name", "Nội dung"),
    Column("level", "Cấp"),
    Column("parent", "Mã tiêu chí cha"),
    Column("max", "Điểm tối đa"),
    Column("method", "Cách chấm"),
    Column("formula", "Công thức (JSON)"),
    Column("rounding", "Làm tròn riêng"),
    Column("rounding_places", "Số chữ số thập phân riêng"),
    Column("responsible_units", "Đơn vị phụ trách (chủ trì trước, cách nhau bởi ;)"),
    Column("guidance", "Hướng dẫn chấm"),
    Column("provenance", "Nguồn", required=False),
]


@dataclass
class CriterionRow:
    """One validated criterion, whatever it was read from (spreadsheet or JSON fixture)."""

    code: str
    name: str
    level: str
    parent: str | None
    max_score: Decimal
    method: str = Method.MANUAL
    formula: dict = field(default_factory=dict)
    rounding: str = ""
    rounding_places: int | None = None
    responsible_units: list[str] = field(default_factory=list)
    guidance: str = ""
    provenance: str = ""


class CriteriaImportError(Exception):
    """The file was refused; ``messages`` lists every problem found, nothing was written."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a choice by its stored value or its Vietnamese label, ignoring case and marks."""
    lookup = {}
    for value, label in choices.choices:
        lookup[fold(value)] = value
        lookup[fold(label)] = value
    return lookup


def _choice_help(choices) -> str:
    return ", ".join(f'"{label}"' for _, label in choices.choices)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------- export


def export_criteria_set(criteria_set: CriteriaSet, path) -> int:
    """Write the set's criteria to an xlsx file in catalogue order; returns the number of rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([c.header for c in COLUMNS])
    criteria = (
        criteria_set.criteria.select_related("parent")
        .prefetch_related("responsibilities__unit")
        .order_by("position", "id")
    )
    count = 0
    for criterion in criteria:
        sheet.append(_export_row(criterion))
        count += 1
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKL", (12, 70, 16, 12, 10, 22, 50, 18, 10, 50, 40, 40)):
        sheet.column_dimensions[letter].width = width
    workbook.save(path)
    return count


def _export_row(criterion: Criterion) -> list:
    responsibilities = sorted(
        criterion.responsibilities.all(), key=lambda r: (not r.is_lead, r.unit.sort_order, r.unit.name)
    )
    return [
        criterion.code,
        criterion.name,
        criterion.get_level_display(),
        criterion.parent.code if criterion.parent else "",
        criterion.max_score,
        criterion.get_method_display(),
        json.dumps(criterion.formula, ensure_ascii=False) if criterion.formula else "",
        criterion.get_rounding_display() if criterion.rounding else "",
        criterion.rounding_places,
        f"{UNIT_SEPARATOR} ".join(r.unit.name for r in responsibilities),
        criterion.guidance,
        criterion.provenance,
    ]


# ---------------------------------------------------------------- import


def read_criteria_rows(path) -> list[CriterionRow]:
    """Read and validate the sheet "Tiêu chí"; raise CriteriaImportError listing every problem."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for unreadable files
        raise CriteriaImportError([f'Không đọc được tệp "{path.name}" như một bảng tính Excel: {exc}']) from exc
    if SHEET not in workbook.sheet_names:
        found = ", ".join(f'"{n}"' for n in workbook.sheet_names)
        raise CriteriaImportError([f'Tệp "{path.name}" không có trang tính "{SHEET}" (các trang có: {found}).'])
    table = workbook.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    if not table:
        raise CriteriaImportError([f'Trang tính "{SHEET}" trống: cần dòng tiêu đề ở dòng 1.'])

    headers = [fold(_text(h)) for h in table[0]]
    positions: dict[str, int] = {}
    missing = []
    for column in COLUMNS:
        if fold(column.header) in headers:
            positions[column.key] = headers.index(fold(column.header))
        elif column.required:
            missing.append(column.header)
    if missing:
        found = ", ".join(f'"{_text(h)}"' for h in table[0] if _text(h))
        raise CriteriaImportError([
            f'Trang tính "{SHEET}", dòng 1: thiếu cột "{name}". Dòng tiêu đề đọc được: {found}.' for name in missing
        ])
    return _validate(table, positions)


def _validate(table, positions) -> list[CriterionRow]:
    errors: list[str] = []
    levels, methods, roundings = _choice_lookup(Level), _choice_lookup(Method), _choice_lookup(Rounding)
    header_of = {c.key: c.header for c in COLUMNS}
    known_units = set(Unit.objects.values_list("name", flat=True))
    rows: list[tuple[int, CriterionRow]] = []

    for number, cells in enumerate(table[1:], start=2):
        raw = {key: (cells[i] if i < len(cells) else None) for key, i in positions.items()}
        if all(_text(v) == "" for v in raw.values()):
            continue

        def fail(key, found, expected):
            errors.append(
                f'Trang tính "{SHEET}", dòng {number}, cột "{header_of[key]}": giá trị "{_text(found)}" không hợp lệ; '
                f"cần {expected}."
            )

        code = _text(raw["code"])
        if not code:
            fail("code", raw["code"], "mã tiêu chí như 1.1.3 hoặc VI.2.c")
        name = _text(raw["name"])
        if not name:
            fail("name", raw["name"], "nội dung tiêu chí")
        level = levels.get(fold(_text(raw["level"])))
        if level is None:
            fail("level", raw["level"], f"một trong {_choice_help(Level)}")
        max_score = None
        try:
            max_score = parse_number(raw["max"])
        except ValueError:
            pass
        if max_score is None or max_score < 0:
            fail("max", raw["max"], "một số không âm, như 2 hoặc 0,5")
        method_text = _text(raw["method"])
        method = methods.get(fold(method_text)) if method_text else Method.MANUAL
        if method is None:
            fail("method", raw["method"], f"một trong {_choice_help(Method)}")
        formula = {}
        formula_text = _text(raw["formula"])
        if formula_text:
            try:
                formula = json.loads(formula_text)
            except json.JSONDecodeError:
                formula = None
            if not isinstance(formula, dict):
                fail("formula", raw["formula"], 'một đối tượng JSON như {"type": "rate", "numerator": [...], "denominator": [...]}')
                formula = {}
        if method in (Method.METRIC, Method.STEPS, Method.REFERENCE) and not formula:
            fail("formula", raw["formula"], f'công thức JSON vì cách chấm là "{Method(method).label}"')
        rounding_text = _text(raw["rounding"])
        rounding = roundings.get(fold(rounding_text)) if rounding_text else ""
        if rounding is None:
            fail("rounding", raw["rounding"], f"để trống hoặc một trong {_choice_help(Rounding)}")
            rounding = ""
        places = None
        places_text = _text(raw["rounding_places"])
        if places_text:
            try:
                places = int(parse_number(places_text))
                if places < 0 or places > 6 or Decimal(places) != parse_number(places_text):
                    raise ValueError
            except ValueError:
                fail("rounding_places", raw["rounding_places"], "để trống hoặc một số nguyên từ 0 đến 6")
                places = None
        units = [u.strip() for u in _text(raw["responsible_units"]).split(UNIT_SEPARATOR) if u.strip()]
        for unit in units:
            if unit not in known_units:
                fail("responsible_units", unit, "tên đơn vị đúng như trong danh mục đơn vị (ví dụ \"Phòng Nội vụ\")")
        if len(set(units)) != len(units):
            fail("responsible_units", raw["responsible_units"], "mỗi đơn vị chỉ ghi một lần")
        rows.append((number, CriterionRow(
            code=code, name=name, level=level or "", parent=_text(raw["parent"]) or None,
            max_score=max_score if max_score is not None else Decimal(0), method=method or Method.MANUAL,
            formula=formula, rounding=rounding, rounding_places=places, responsible_units=units,
            guidance=_text(raw["guidance"]),
            provenance=_text(raw["provenance"]) if "provenance" in raw else "",
        )))

    seen: dict[str, int] = {}
    for number, row in rows:
        if row.code and row.code in seen:
            errors.append(
                f'Trang tính "{SHEET}", dòng {number}, cột "{header_of["code"]}": mã "{row.code}" trùng với dòng '
                f"{seen[row.code]}; cần mỗi mã một dòng."
            )
        seen.setdefault(row.code, number)
    for number, row in rows:
        if row.parent and row.parent not in seen:
            errors.append(
                f'Trang tính "{SHEET}", dòng {number}, cột "{header_of["parent"]}": giá trị "{row.parent}" không hợp lệ; '
                f"cần mã của một tiêu chí có trong trang tính này, hoặc để trống với lĩnh vực."
            )
        if row.parent == row.code and row.code:
            errors.append(f'Trang tính "{SHEET}", dòng {number}: tiêu chí "{row.code}" không thể là cha của chính nó.')
    if errors:
        raise CriteriaImportError(errors)
    if not rows:
        raise CriteriaImportError([f'Trang tính "{SHEET}" không có tiêu chí nào dưới dòng tiêu đề.'])
    return [row for _, row in rows]


def import_criteria_set(path, *, code: str, name: str, year: int, kind: str, subject_kind: str,
                        legal_basis: str = "", notes: str = "") -> CriteriaSet:
    """Create a new set from a spreadsheet. Refuses an existing code: a published set is never overwritten."""
    problems = []
    if kind not in SetKind.values:
        problems.append(f'Loại bộ tiêu chí "{kind}" không hợp lệ; cần một trong {", ".join(SetKind.values)}.')
    if subject_kind not in SubjectKind.values:
        problems.append(f'Đối tượng chấm "{subject_kind}" không hợp lệ; cần một trong {", ".join(SubjectKind.values)}.')
    if CriteriaSet.objects.filter(code=code).exists():
        problems.append(f'Bộ tiêu chí mã "{code}" đã có; chọn mã khác để nhập bộ mới.')
    if problems:
        raise CriteriaImportError(problems)
    rows = read_criteria_rows(path)
    meta = {"code": code, "name": name, "year": year, "kind": kind, "subject_kind": subject_kind,
            "legal_basis": legal_basis, "notes": notes}
    return save_criteria_set(meta, rows)


# ---------------------------------------------------------------- the writer


@transaction.atomic
def save_criteria_set(meta: dict, rows: list[CriterionRow]) -> CriteriaSet:
    """Create or update a set and its criteria (by code), parents before children, with their
    responsible units (the first one leads). Running it again with the same data changes nothing."""
    code = meta["code"]
    defaults = {k: v for k, v in meta.items() if k != "code"}
    criteria_set, created = CriteriaSet.objects.get_or_create(code=code, defaults=defaults)
    if not created:
        changed = [k for k, v in defaults.items() if getattr(criteria_set, k) != v]
        if changed:
            for k in changed:
                setattr(criteria_set, k, defaults[k])
            criteria_set.save(update_fields=changed)

    units = {u.name: u for u in Unit.objects.filter(name__in={n for r in rows for n in r.responsible_units})}
    unknown = sorted({n for r in rows for n in r.responsible_units} - set(units))
    if unknown:
        raise CriteriaImportError([f'Đơn vị "{n}" không có trong danh mục đơn vị.' for n in unknown])

    by_code = {c.code: c for c in criteria_set.criteria.all()}
    pending = list(enumerate(rows))
    while pending:
        # Parents first: a row waits until its parent exists (codes need not be sorted in the source).
        ready = [(i, r) for i, r in pending if r.parent is None or r.parent in by_code]
        if not ready:
            raise CriteriaImportError([f'Tiêu chí "{r.code}" có mã cha "{r.parent}" không tồn tại.' for _, r in pending])
        for index, row in ready:
            by_code[row.code] = _save_criterion(criteria_set, by_code.get(row.code), row, by_code, (index + 1) * 10)
            _sync_responsibilities(by_code[row.code], [units[n] for n in row.responsible_units])
        pending = [(i, r) for i, r in pending if r.code not in {x.code for _, x in ready}]
    return criteria_set


def _save_criterion(criteria_set, existing, row: CriterionRow, by_code, position) -> Criterion:
    values = {
        "parent": by_code[row.parent] if row.parent else None,
        "name": row.name,
        "level": row.level,
        "max_score": row.max_score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        "method": row.method,
        "formula": row.formula,
        "rounding": row.rounding,
        "rounding_places": row.rounding_places,
        "guidance": row.guidance,
        "provenance": row.provenance,
        "position": position,
    }
    if existing is None:
        return Criterion.objects.create(criteria_set=criteria_set, code=row.code, **values)
    changed = [k for k, v in values.items() if getattr(existing, k) != v]
    if changed:
        for k in changed:
            setattr(existing, k, values[k])
        existing.save(update_fields=changed)
    return existing


def _sync_responsibilities(criterion: Criterion, units: list[Unit]) -> None:
    wanted = [(u.pk, i == 0) for i, u in enumerate(units)]
    current = sorted(criterion.responsibilities.values_list("unit_id", "is_lead"))
    if current == sorted(wanted):
        return
    criterion.responsibilities.all().delete()
    CriterionResponsibility.objects.bulk_create(
        CriterionResponsibility(criterion=criterion, unit_id=pk, is_lead=lead) for pk, lead in wanted
    )
