"""Load every piece of demo data; running it again changes nothing."""

from django.core.management.base import BaseCommand

from scoring import demo as scoring_demo
from units import accounts
from units import demo as units_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu huyện Vĩnh Linh: đơn vị, bộ tiêu chí 2023, điểm từ các văn bản, tài khoản demo."

    def handle(self, *args, **options):
        units = units_demo.load_registry()
        self.stdout.write(f"Đơn vị: {units}")
        for line in scoring_demo.load_all():
            self.stdout.write(line)
        for username in accounts.create_demo_users():
            self.stdout.write(f"Tài khoản demo: {username}")
