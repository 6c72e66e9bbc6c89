"""backup -o FILE.tar.gz: the database and every file under MEDIA_ROOT in one archive (common.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, create_backup
from common.numbers import format_number


class Command(BaseCommand):
    help = ("Sao lưu toàn bộ dữ liệu vào một tệp .tar.gz: cơ sở dữ liệu (JSON của Django, khôi phục được vào "
            "SQLite hay PostgreSQL), tài liệu kiểm chứng, văn bản đã tạo, tệp số liệu đã nhập; kèm manifest "
            "ghi số dòng từng bảng và mã sha256 từng tệp.")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="Tệp sao lưu sẽ ghi, ví dụ sao-luu-2024-06-30.tar.gz")

    def handle(self, *args, **options):
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Không có thư mục {output.parent} để ghi tệp sao lưu.")
        try:
            report = create_backup(output)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Sao lưu không thành công: {exc}") from exc
        rows = sum(report.counts.values())
        self.stdout.write(self.style.SUCCESS(
            f"Đã sao lưu vào {report.path}: {format_number(rows)} dòng dữ liệu trong {len(report.counts)} bảng, "
            f"{format_number(report.files)} tệp ({format_number(report.bytes / 1024 / 1024, 1)} MB)."
        ))
