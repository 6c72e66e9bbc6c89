"""The province's CCHC letter about one of its communes reports the commune's index as the
commune's: "Chỉ số cải cách hành chính của UBND xã … đạt X%", ranked among the communes the
province scored, never "của tỉnh Quảng Trị đạt X%" with the commune's figure; Vĩnh Linh's own letter
still names the district."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from reports.facts import build_letter
from scoring import demo as scoring_demo
from units import demo as units_demo

from .conftest import pdf_text

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))
AUTHORITY = PROVINCE["authority"]
ASSESSMENTS = json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo" / "quang_tri_minh_hoa_assessments.json")
                         .read_text(encoding="utf-8"))["assessments"]
COMMUNE = next(s for s in PROVINCE["successions"] if s["kind"] == "merge")["successors"][0]


@pytest.fixture
def both(db):
    units_demo.load_registry()
    scoring_demo.load_all()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    scoring_demo.load_province()


def percent(subject: str, period: str) -> str:
    """The subject's index from the fixture's scores (Σ appraised / Σ max), as the letter prints it."""
    scores = next(a for a in ASSESSMENTS if a["subject"] == subject and a["period"] == period)["scores"]
    index = (sum(Decimal(s["appraised"].replace(",", ".")) for s in scores)
             / sum(Decimal(s["max_in_source"].replace(",", ".")) for s in scores) * 100)
    return f"{index.quantize(Decimal('0.01'))}".replace(".", ",")


def test_the_provinces_letter_to_a_commune_names_the_commune_whose_index_it_prints(both, tmp_path, poppler):
    path = tmp_path / "xa.pdf"
    call_command("render_letter", "cchc-remediation", "--period", "2025", "--unit", COMMUNE, "-o", str(path),
                 stdout=StringIO())

    text = pdf_text(path)
    province_words = f"{AUTHORITY['division']} {AUTHORITY['place']}"
    index = percent(COMMUNE, "2025")
    communes = sum(1 for a in ASSESSMENTS if a["period"] == "2025")
    assert f"Chỉ số cải cách hành chính của {COMMUNE} đạt {index}%; xếp thứ " in text
    assert f"/{communes:02d} trong số {AUTHORITY['subordinates_phrase']} của {AUTHORITY['division']}." in text
    assert f"Chỉ số cải cách hành chính của {province_words} đạt" not in text
    assert AUTHORITY["rank_scope"] not in text
    assert f"thẩm định chỉ số CCHC {COMMUNE} năm 2025 bị trừ điểm" in text
    assert f"KẾT QUẢ ĐÁNH GIÁ CCHC {COMMUNE.upper()} NĂM 2025" in text


def test_vinh_linhs_own_letter_still_reports_the_districts_index(both):
    document = build_letter("cchc-remediation", "2023-H1", "CCHC-2023")
    text = " ".join(run.text for block in document.blocks for run in block.runs)
    district = f"{VINH_LINH['authority']['division']} {VINH_LINH['authority']['place']}"
    assert f"Chỉ số cải cách hành chính của {district} đạt" in text
    assert document.appendices[0].title.startswith(f"KẾT QUẢ ĐÁNH GIÁ CCHC {district.upper()} ")
