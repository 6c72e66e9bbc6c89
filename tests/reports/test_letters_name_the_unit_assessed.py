"""A letter the province writes about one of the communes it scores names the commune as the unit
whose deductions, index and round it reports, never the province ("tỉnh Quảng Trị bị trừ điểm ở 4
tiêu chí" with the commune's deductions); Vĩnh Linh's letters about itself still read as the seeds."""

import json
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from documents.demo import load_demo_spreadsheets
from reports.facts import build_letter
from scoring import demo as scoring_demo
from units import demo as units_demo

from ..seeds import seed_text
from .conftest import pdf_text

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))
AUTHORITY = PROVINCE["authority"]
PROVINCE_WORDS = f"{AUTHORITY['division']} {AUTHORITY['place']}"
DISTRICT_WORDS = f"{VINH_LINH['authority']['division']} {VINH_LINH['authority']['place']}"
ASSESSMENTS = json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo" / "quang_tri_minh_hoa_assessments.json")
                         .read_text(encoding="utf-8"))["assessments"]
COMMUNE = next(s for s in PROVINCE["successions"] if s["kind"] == "merge")["successors"][0]
SET = json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo" / "quang_tri_minh_hoa_criteria.json")
                 .read_text(encoding="utf-8"))["code"]


def words(text: str) -> str:
    """Text as read: no bold or italic marks, one space between words."""
    return " ".join(text.replace("*", "").split())


def blocks(document) -> dict[str, str]:
    return {block.key: words("".join(run.text for run in block.runs)) for block in document.blocks}


def deducted(subject: str, period: str) -> tuple[int, str]:
    """How many of the subject's criteria the fixture scored below their maximum, and by how much."""
    scores = next(a for a in ASSESSMENTS if a["subject"] == subject and a["period"] == period)["scores"]
    gaps = [Decimal(s["max_in_source"].replace(",", ".")) - Decimal(s["appraised"].replace(",", "."))
            for s in scores]
    gaps = [gap for gap in gaps if gap > 0]
    return len(gaps), f"{sum(gaps).normalize():f}".replace(".", ",")


def test_the_provinces_plan_for_a_commune_credits_the_deductions_to_the_commune(both_authorities):
    document = build_letter("remediation-plan", "2025", SET, COMMUNE)

    text = blocks(document)
    count, total = deducted(COMMUNE, "2025")
    assert f"Trong năm 2025, {COMMUNE} bị trừ điểm ở {count} tiêu chí, tiêu chí thành phần với tổng số điểm " \
           f"bị trừ là {total} điểm" in text["basis"]
    assert f"{PROVINCE_WORDS} bị trừ điểm" not in " ".join(text.values())
    assert f"mức độ Hoàn thành nhiệm vụ của {COMMUNE} năm 2025" in document.subject_lines[0]
    assert f"{AUTHORITY['short_name']} {AUTHORITY['place']} xây dựng Kế hoạch" in text["purpose_intro"]
    assert f"mức độ HTNV của {COMMUNE} năm 2025 như sau" in text["purpose_intro"]
    assert f"đánh giá mức độ hoàn thành nhiệm vụ của {COMMUNE}." in text["tasks_home_affairs_1"]
    assert f"mức độ hoàn thành nhiệm vụ của {COMMUNE} trong 6 tháng đầu năm" in text["tasks_home_affairs_2"]


def test_the_plan_names_the_units_the_set_scores_not_the_districts(both_authorities):
    document = build_letter("remediation-plan", "2025", SET, COMMUNE)

    text = blocks(document)
    communes = AUTHORITY["subordinates_phrase"].removeprefix("UBND ")  # "các xã, phường"
    assert f"mức độ hoàn thành nhiệm vụ {communes} ban hành kèm theo" in text["aims_requirements_2"]
    assert f"mức độ hoàn thành nhiệm vụ {communes} ban hành kèm theo" in text["tasks_departments_2"]
    assert "huyện, thị xã, thành phố ban hành" not in " ".join(text.values())


def test_the_plans_class_and_rank_of_a_commune_are_the_communes(both_authorities):
    from reports.models import Letter
    from scoring.models import Assessment

    assessment = Assessment.objects.get(subject__name=COMMUNE, period__code="2025")
    Letter.objects.create(kind="remediation-plan", period=assessment.period, assessment=assessment,
                          body={"class_label": "Hoàn thành tốt nhiệm vụ", "rank": "02/06"})

    text = blocks(build_letter("remediation-plan", "2025", SET, COMMUNE))

    assert (f"Kết quả, năm 2025 {COMMUNE} xếp loại Hoàn thành tốt nhiệm vụ (xếp thứ 02/06 trong số "
            f"{AUTHORITY['subordinates_phrase']} của {AUTHORITY['division']}).") in text["basis"]
    assert AUTHORITY["peers_short"] not in text["basis"]


def test_the_audited_command_prints_the_communes_deductions_as_the_communes(both_authorities, tmp_path, poppler):
    path = tmp_path / "plan.pdf"
    call_command("render_letter", "remediation-plan", "--period", "2025", "--set", SET, "--unit", COMMUNE,
                 "-o", str(path), stdout=StringIO())

    text = words(pdf_text(path))
    count, _ = deducted(COMMUNE, "2025")
    assert f"{COMMUNE} bị trừ điểm ở {count} tiêu chí" in text
    assert f"{PROVINCE_WORDS} bị trừ điểm" not in text


def test_the_provinces_round_letter_about_a_commune_names_it_and_shows_its_figures_only(both_authorities):
    load_demo_spreadsheets(scoring_demo.PROVINCE_SPREADSHEETS)  # every commune's incoming documents
    document = build_letter("htnv-round", "2025", SET, COMMUNE)

    text = blocks(document)
    assert f"mức độ HTNV của {COMMUNE} năm 2025" in document.subject_lines[0]
    assert f"chấm điểm xác định mức độ HTNV của {COMMUNE} năm 2025" in text["intro"]
    incoming = document.appendices[1].table.rows
    named = [row.cells[1] for row in incoming if row.kind != "total"]
    assert named == [COMMUNE]


def test_vinh_linhs_own_plan_reads_as_the_seed(both_authorities):
    seed = words(seed_text("004"))
    document = build_letter("remediation-plan", "2023", "HTNV-2023")

    text = blocks(document)
    assert words(document.subject_lines[0]) in seed
    for key in ("purpose_intro", "tasks_home_affairs_1", "tasks_home_affairs_2"):
        assert text[key] in seed, key
    # The legal basis is the criteria set's data, spelled there in full; the words before it are the seed's.
    assert text["aims_requirements_2"].split(" ban hành kèm theo ")[0] + " ban hành kèm theo " in seed
    assert re.search(rf"Trong năm 2023, {DISTRICT_WORDS} bị trừ điểm ở \d+ tiêu chí", text["basis"])


def test_vinh_linhs_own_round_letter_names_the_district(both_authorities):
    document = build_letter("htnv-round", "2023-R1", "HTNV-2023")

    assert words(document.subject_lines[0]).startswith("V/v khắc phục hạn chế sau chấm điểm xác định mức độ HTNV "
                                                       "của huyện ")
    assert "UBND huyện Vĩnh Linh đã tổ chức triển khai hoàn thành chấm điểm xác định mức độ HTNV của huyện " \
           in blocks(document)["intro"]
