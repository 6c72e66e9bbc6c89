"""Load every piece of demo data; running it again changes nothing."""

from django.core.management.base import BaseCommand

from documents.demo import load_demo_spreadsheets
from scoring import demo as scoring_demo
from units import accounts
from units import demo as units_demo


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: huyện Vĩnh Linh (đơn vị, bộ tiêu chí 2023, điểm từ các văn bản, tài khoản demo, số liệu "
        "từ các phụ lục) và một tỉnh minh họa chấm điểm các xã sau sắp xếp (dữ liệu giả định)."
    )

    def handle(self, *args, **options):
        units = units_demo.load_registry()
        self.stdout.write(f"Đơn vị: {units}")
        for line in scoring_demo.load_all():
            self.stdout.write(line)
        for username in accounts.create_demo_users():
            self.stdout.write(f"Tài khoản demo: {username}")
        # After the periods (scoring demo) and the registry: the spreadsheets name both.
        for line in load_demo_spreadsheets():
            self.stdout.write(line)
        self.load_province()

    def load_province(self):
        """The second demo authority, in the same order: registry, scores, accounts, spreadsheets."""
        units = units_demo.load_registry(units_demo.PROVINCE_FILE)
        self.stdout.write(f"Đơn vị (tỉnh minh họa): {units}")
        for line in scoring_demo.load_province():
            self.stdout.write(line)
        for username in units_demo.create_fixture_users(units_demo.PROVINCE_FILE):
            self.stdout.write(f"Tài khoản demo: {username}")
        for line in load_demo_spreadsheets(scoring_demo.PROVINCE_SPREADSHEETS):
            self.stdout.write(line)
