"""render_letter KIND --period CODE [--set CODE] [--format pdf|docx] -o FILE"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from .conftest import pdf_text


def test_it_writes_the_pdf_of_the_cchc_letter(cchc_assessment, tmp_path, poppler):
    out = StringIO()
    path = tmp_path / "letters" / "cchc.pdf"

    call_command("render_letter", "cchc-remediation", "--period", "2023-H1", "--set", "CCHC-2023", "-o", str(path),
                 stdout=out)

    assert path.read_bytes().startswith(b"%PDF")
    assert "bị trừ điểm ở 27 tiêu chí/tiêu chí thành phần với 23,41 điểm" in pdf_text(path)
    assert "index_percent=70,37" in out.getvalue()


def test_it_writes_the_docx_of_the_plan(plan_assessment, tmp_path):
    path = tmp_path / "plan.docx"

    call_command("render_letter", "remediation-plan", "--period", "2023", "--format", "docx", "-o", str(path),
                 stdout=StringIO())

    cells = [cell.text for row in Document(str(path)).tables[-2].rows for cell in row.cells]
    assert "Tổng điểm trừ" in cells and "-27,75" in cells


def test_it_says_in_vietnamese_when_the_period_has_no_assessment(cchc_assessment, tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy đợt đánh giá của cơ quan chấm điểm cho kỳ 2024-H1"):
        call_command("render_letter", "cchc-remediation", "--period", "2024-H1", "-o", str(tmp_path / "x.pdf"))
