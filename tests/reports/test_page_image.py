"""Page 1 of cchc-remediation, as pixels, matches the reviewed reference (tests/reports/reference/).

The reference was rendered by this code, looked at, and compared with the decree's layout and
seed 001 before it was committed. Regenerate it only after such a review:
REGENERATE_REFERENCE=1 pytest tests/reports/test_page_image.py"""

import os
import subprocess
from pathlib import Path

from PIL import Image, ImageChops

from reports.choices import LetterKind
from reports.facts import cchc_remediation
from reports.models import Letter
from reports.rendering.pdf import render_pdf

REFERENCE = Path(__file__).parent / "reference" / "cchc-remediation-page1.png"
DPI = 60
# Share of pixels allowed to differ: anti-aliasing and font-hinting noise between poppler/FreeType
# builds stays far below this; a moved block, another font or a lost line does not.
TOLERANCE = 0.01


def page_one_png(pdf: Path, out: Path) -> Path:
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-gray", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(out.with_suffix(""))], check=True)
    return out


def difference_ratio(a: Image.Image, b: Image.Image) -> float:
    assert a.size == b.size, (a.size, b.size)
    diff = ImageChops.difference(a.convert("L"), b.convert("L")).point(lambda v: 255 if v > 64 else 0)
    return diff.histogram()[255] / (a.size[0] * a.size[1])


def test_it_lays_out_page_one_as_the_reviewed_reference(cchc_assessment, tmp_path, poppler):
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_pdf(cchc_remediation(cchc_assessment)))
    png = page_one_png(pdf, tmp_path / "page1.png")
    if os.environ.get("REGENERATE_REFERENCE"):
        REFERENCE.write_bytes(png.read_bytes())

    ratio = difference_ratio(Image.open(png), Image.open(REFERENCE))

    assert ratio < TOLERANCE, f"{ratio:.4f} of the pixels differ from {REFERENCE.name}"


def test_it_notices_a_page_laid_out_otherwise(cchc_assessment, tmp_path, poppler):
    # Two more addressees push the body down by two lines: a layout change the tolerance must catch.
    # (Figures are checked as text by pdftotext; this test is about where things are.)
    letter = Letter.objects.create(
        kind=LetterKind.CCHC_REMEDIATION, period=cchc_assessment.period, assessment=cchc_assessment,
        recipients=["Các cơ quan chuyên môn, đơn vị sự nghiệp thuộc huyện", "UBND các xã, thị trấn",
                    "Công an huyện", "Ban Chỉ huy Quân sự huyện"],
    )
    pdf = tmp_path / "changed.pdf"
    pdf.write_bytes(render_pdf(cchc_remediation(cchc_assessment, letter)))
    png = page_one_png(pdf, tmp_path / "changed.png")

    assert difference_ratio(Image.open(png), Image.open(REFERENCE)) > TOLERANCE
