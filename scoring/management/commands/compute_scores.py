"""compute_scores: one assessment's scores, fresh proposals from the metrics, totals and index.

Reads only; storing proposals is the recompute task's job (scoring.tasks.recompute_assessments)."""

import json

from django.core.management.base import BaseCommand, CommandError

from common.numbers import format_number
from scoring.computing import compute_assessment
from scoring.computing.report import scores_json
from scoring.models import Assessment
from units.choices import UnitKind


class Command(BaseCommand):
    help = ("Tính điểm một đợt đánh giá: điểm tối đa, tự đánh giá, thẩm định, điểm tính từ số liệu, "
            "điểm bị trừ từng tiêu chí, tổng theo lĩnh vực, tổng chung và chỉ số %.")

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Mã kỳ, ví dụ 2023-H1")
        parser.add_argument("--set", dest="set_code", required=True, help="Mã bộ tiêu chí, ví dụ CCHC-2023")
        parser.add_argument("--unit", help="Tên đơn vị được chấm (mặc định: đơn vị gốc của cơ quan chấm điểm, ví dụ UBND huyện)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        assessment = find_assessment(options["set_code"], options["period"], options.get("unit"))
        result = compute_assessment(assessment)
        data = scores_json(result)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{data['set']} · kỳ {data['period']} · {data['unit']}")
        for code, row in data["criteria"].items():
            self.stdout.write(
                f"  {code:<12} tối đa {_n(row['max']):>6}  tự chấm {_n(row['self']):>6}  thẩm định {_n(row['appraised']):>6}"
                f"  tính {_n(row['computed']):>6}  trừ {_n(row['deduction']):>6}"
                + (f"  tỷ lệ {_n(row['rate'])} %" if row["rate"] else "")
            )
        total = data["total"]
        self.stdout.write(f"Tổng: tối đa {_n(total['max'])}, thẩm định {_n(total['appraised'])}, "
                          f"bị trừ {_n(total['deduction'])}; chỉ số {_n(data['index_percent']) or 'chưa đủ điểm thẩm định'}"
                          + (" %" if data["index_percent"] else ""))
        label = result.class_label()
        if label:
            self.stdout.write(f"Xếp loại theo bậc của bộ tiêu chí: {label}")
        elif not result.assessment.criteria_set.complete:
            self.stdout.write("Chưa xếp loại: danh mục tiêu chí của bộ chưa đầy đủ, chỉ số chỉ tính trên các "
                              "tiêu chí có trong danh mục.")


def _n(value) -> str:
    return format_number(value) if value is not None else "–"


def find_assessment(set_code: str, period_code: str, unit_name: str | None) -> Assessment:
    """The assessment of the set and period for the named unit, or the district's own (the root authority)."""
    rows = Assessment.objects.filter(criteria_set__code=set_code, period__code=period_code).select_related(
        "criteria_set", "period", "subject")
    if unit_name:
        from units.matching import UnitMatcher

        match = UnitMatcher().match(unit_name)
        if match.unit is None:
            raise CommandError(match.message)
        rows = rows.filter(subject=match.unit)
    found = list(rows)
    if len(found) > 1:
        found = [a for a in found if a.subject.kind == UnitKind.AUTHORITY and a.subject.parent_id is None]
    if not found:
        raise CommandError(
            f"Không có đợt đánh giá bộ {set_code} kỳ {period_code}"
            + (f" của {unit_name}." if unit_name else ".")
        )
    if len(found) > 1:
        raise CommandError(f"Kỳ {period_code} bộ {set_code} có nhiều đơn vị được chấm: hãy chọn bằng --unit.")
    return found[0]
