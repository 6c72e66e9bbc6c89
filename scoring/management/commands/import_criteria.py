"""Create a criteria set from a spreadsheet (sheet "Tiêu chí"); a file with any error writes nothing."""

from django.core.management.base import BaseCommand, CommandError

from scoring.choices import SetKind, SubjectKind
from scoring.criteria_io import CriteriaImportError, import_criteria_set


class Command(BaseCommand):
    help = "Nhập bộ tiêu chí mới từ tệp Excel (trang \"Tiêu chí\"): mã, nội dung, cấp, mã cha, điểm tối đa, cách chấm, công thức…"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--set", dest="code", required=True, help="Mã bộ tiêu chí mới, ví dụ CCHC-2024")
        parser.add_argument("--name", required=True, help="Tên bộ tiêu chí")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--kind", required=True, choices=SetKind.values)
        parser.add_argument("--subject-kind", required=True, choices=SubjectKind.values)
        parser.add_argument("--legal-basis", default="", help="Căn cứ ban hành, ví dụ Quyết định số …/QĐ-UBND")

    def handle(self, *args, **options):
        try:
            criteria_set = import_criteria_set(
                options["file"], code=options["code"], name=options["name"], year=options["year"],
                kind=options["kind"], subject_kind=options["subject_kind"], legal_basis=options["legal_basis"],
            )
        except CriteriaImportError as exc:
            raise CommandError("Không nhập tệp; chưa ghi gì vào cơ sở dữ liệu.\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(f"Đã nhập bộ tiêu chí {criteria_set.code}: {criteria_set.criteria.count()} tiêu chí.")
