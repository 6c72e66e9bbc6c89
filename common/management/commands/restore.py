"""restore FILE.tar.gz: put back an archive made by `backup`, into an empty database (common.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, restore_backup
from common.numbers import format_number


class Command(BaseCommand):
    help = ("Khôi phục một bản sao lưu vào cơ sở dữ liệu trống (vừa chạy `manage.py migrate`) và thư mục tệp "
            "trống. Kiểm tra mã sha256 mọi tệp trước khi ghi; lỗi ở bất kỳ bước nào thì không ghi gì.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp .tar.gz do lệnh backup tạo")
        parser.add_argument("--force", action="store_true",
                            help="Ghi đè dữ liệu hiện có (tệp cũ được chuyển sang thư mục riêng, không bị xóa)")

    def handle(self, *args, **options):
        try:
            report = restore_backup(Path(options["archive"]), force=options["force"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"Không khôi phục: {exc}") from exc
        for warning in report.warnings:
            self.stderr.write(warning)
        if report.set_aside:
            self.stdout.write(f"Các tệp cũ đã được chuyển sang {report.set_aside}.")
        self.stdout.write(self.style.SUCCESS(
            f"Đã khôi phục {format_number(sum(report.counts.values()))} dòng dữ liệu trong {len(report.counts)} bảng "
            f"và {format_number(report.files)} tệp. Người dùng cần đăng nhập lại."
        ))
