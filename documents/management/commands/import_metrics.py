"""python manage.py import_metrics FILE... --period CODE [--source KIND] [--dry-run] [--format json]

Each file is read, validated and its unit names resolved; a file with errors changes nothing.
Exits non-zero when any file is refused."""

import json
import sys
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from documents.importing.pipeline import report_json
from documents.importing.profiles import PROFILES
from documents.importing.run import default_matcher, import_file
from scoring.models import Period


class Command(BaseCommand):
    help = "Nhập số liệu từ tệp xuất của hệ thống tỉnh (.xlsx, .xls, .csv)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--period", required=True, help="mã kỳ, ví dụ 2023-H1")
        parser.add_argument("--source", choices=list(PROFILES), help="nguồn; mặc định nhận ra từ dòng tiêu đề")
        parser.add_argument("--dry-run", action="store_true", help="chỉ đọc và kiểm tra, không ghi")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--map", action="append", default=[], metavar="TÊN_TRONG_TỆP=TÊN_ĐƠN_VỊ",
                            help="chỉ định đơn vị cho một tên trong tệp (lặp lại được)")
        parser.add_argument("--user", help="tên đăng nhập của người nhập (ghi vào lịch sử)")

    def handle(self, *args, files, period, source, dry_run, format, map, user, **options):
        period_obj = Period.objects.filter(code=period).first()
        if period_obj is None:
            known = ", ".join(Period.objects.values_list("code", flat=True)) or "chưa có kỳ nào"
            raise CommandError(f"Kỳ «{period}» không có; các kỳ hiện có: {known}.")
        mapping = {}
        for item in map:
            name, sep, unit = item.partition("=")
            if not sep or not name.strip() or not unit.strip():
                raise CommandError(f"--map «{item}»: cần dạng «Tên trong tệp=Tên đơn vị trong danh mục».")
            mapping[name.strip()] = unit.strip()
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"Không có người dùng «{user}».")
        matcher = default_matcher()
        refused = 0
        for path in files:
            outcome = import_file(path, period=period_obj, acting_user=acting_user, source=source, dry_run=dry_run,
                                  mapping=mapping, matcher=matcher)
            refused += outcome.report.refused
            if format == "json":
                data = report_json(outcome.report, period=period, dry_run=dry_run)
                self.stdout.write(json.dumps(data, ensure_ascii=False, default=_decimal))
                sys.stderr.write(outcome.message + "\n")
            else:
                self._print_text(outcome)
        if refused:
            raise CommandError(f"{refused}/{len(files)} tệp bị từ chối: không nhập gì từ các tệp đó.")

    def _print_text(self, outcome):
        report = outcome.report
        self.stdout.write(f"{report.file}: nguồn {report.source or '?'}, {len(report.rows)} dòng đơn vị, "
                          f"{len(report.matched)} tên khớp, {len(report.unmatched)} tên không khớp.")
        for message in report.errors:
            self.stdout.write(f"  LỖI: {message.text}")
        for message in report.warnings:
            self.stdout.write(f"  CẢNH BÁO: {message.text}")
        self.stdout.write(f"  {outcome.message}")


def _decimal(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))
