"""Write a criteria set to a spreadsheet that import_criteria reads back unchanged."""

from django.core.management.base import BaseCommand, CommandError

from scoring.criteria_io import export_criteria_set
from scoring.models import CriteriaSet


class Command(BaseCommand):
    help = "Xuất bộ tiêu chí ra tệp Excel (trang \"Tiêu chí\"), đúng khuôn để nhập lại bằng import_criteria."

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="code", required=True, help="Mã bộ tiêu chí, ví dụ CCHC-2023")
        parser.add_argument("-o", "--output", required=True, help="Tệp .xlsx sẽ ghi")

    def handle(self, *args, **options):
        criteria_set = CriteriaSet.objects.filter(code=options["code"]).first()
        if criteria_set is None:
            known = ", ".join(CriteriaSet.objects.values_list("code", flat=True)) or "chưa có bộ nào"
            raise CommandError(f'Không có bộ tiêu chí mã "{options["code"]}" (các bộ hiện có: {known}).')
        count = export_criteria_set(criteria_set, options["output"])
        self.stdout.write(f"Đã xuất {count} tiêu chí của bộ {criteria_set.code} ra {options['output']}.")
