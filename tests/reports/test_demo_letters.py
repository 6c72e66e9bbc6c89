"""The letters rendered from the demo data (scoring.demo, loaded from fixtures/demo)."""

import pytest

from reports.facts import build_letter
from reports.rendering.pdf import render_pdf
from scoring.demo import load_all
from units.demo import load_registry

from .conftest import pdf_text


@pytest.fixture
def demo(db):
    load_registry()
    load_all()


def test_it_renders_the_demo_cchc_letter_with_the_seeds_figures(demo, tmp_path, poppler):
    path = tmp_path / "cchc.pdf"

    path.write_bytes(render_pdf(build_letter("cchc-remediation", "2023-H1")))

    text = pdf_text(path)
    assert "đạt 70,37%" in text
    assert "bị trừ điểm ở 27 tiêu chí/tiêu chí thành phần với 23,41 điểm" in text
    assert "của UBND tỉnh Quảng Trị của UBND tỉnh" not in text  # the set's legal basis names its issuer


def test_it_renders_the_demo_plan_with_the_seeds_total(demo, tmp_path, poppler):
    path = tmp_path / "plan.pdf"

    path.write_bytes(render_pdf(build_letter("remediation-plan", "2023")))

    text = pdf_text(path)
    assert "Tổng điểm trừ -27,75" in text
    assert "14 tiêu chí, tiêu chí thành phần với tổng số điểm bị trừ là 27,75 điểm" in text
