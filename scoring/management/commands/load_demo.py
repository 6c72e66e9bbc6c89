"""Load every piece of demo data; running it again changes nothing."""

from django.core.management.base import BaseCommand

from documents.demo import load_demo_spreadsheets
from scoring import demo as scoring_demo
from units import accounts
from units import demo as units_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu huyện Vĩnh Linh: đơn vị, bộ tiêu chí 2023, điểm từ các văn bản, tài khoản demo, số liệu từ các phụ lục."

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
