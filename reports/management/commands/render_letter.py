"""render_letter KIND --period CODE [--set CODE] [--unit NAME] [--authority NAME] [--format pdf|docx] -o FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.facts import BUILDERS, LetterError, build_letter
from reports.rendering import FORMATS, render


class Command(BaseCommand):
    help = "Xuất công văn / kế hoạch từ dữ liệu ra PDF hoặc DOCX (theo bản dự thảo mới nhất nếu có)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(BUILDERS), help="loại văn bản")
        parser.add_argument("--period", required=True, help="mã kỳ đánh giá, ví dụ 2023-H1, 2023")
        parser.add_argument("--set", dest="set_code", help="mã bộ tiêu chí, khi kỳ có nhiều bộ")
        parser.add_argument("--unit", dest="unit_name",
                            help="đơn vị được chấm (mặc định: chính cơ quan chấm điểm, đơn vị gốc)")
        parser.add_argument("--authority", dest="authority_name",
                            help="cơ quan ban hành văn bản của kỳ (tên đơn vị gốc hoặc địa danh), khi nhiều cơ quan "
                                 "có số liệu của cùng kỳ; mặc định: cơ quan có số liệu, không thì cơ quan đầu tiên")
        parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), help="mặc định theo đuôi tệp, không có thì pdf")
        parser.add_argument("-o", "--output", required=True, help="tệp kết quả")

    def handle(self, *args, kind, period, set_code, fmt, output, unit_name=None, authority_name=None, **options):
        path = Path(output)
        fmt = fmt or (path.suffix.lstrip(".").lower() if path.suffix.lstrip(".").lower() in FORMATS else "pdf")
        try:
            document = build_letter(kind, period, set_code, unit_name, authority_name)
        except LetterError as exc:
            raise CommandError(str(exc)) from exc
        data = render(document, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        figures = ", ".join(f"{key}={value}" for key, value in document.figures.items() if value)
        self.stdout.write(f"{path} ({fmt}, {len(data)} byte) — {figures}")
