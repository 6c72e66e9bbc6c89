"""The province's letters speak as a province: its division word, short name and the units under
it come from its Authority row, not from the district wording of the seeds. Vĩnh Linh's own letters
are held to the seeds by the existing seed tests; here they keep their district words beside a
province. With no authority at all a letter says so in Vietnamese (LetterError)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from reports import wording
from reports.facts import LetterError, build_letter
from units import demo as units_demo

from .conftest import pdf_text

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))
COMMUNE = next(s for s in PROVINCE["successions"] if s["kind"] == "merge")["successors"][0]



def test_it_words_the_provinces_cchc_letter_as_a_province(both_authorities, tmp_path, poppler):
    path = tmp_path / "commune.pdf"
    call_command("render_letter", "cchc-remediation", "--period", "2025", "--unit", COMMUNE, "-o", str(path),
                 stdout=StringIO())
    text = " ".join(pdf_text(path).split())  # pdftotext breaks lines where the page does
    authority = PROVINCE["authority"]
    assert f"{authority['division']} {authority['place']}" in text
    assert authority["subordinates_phrase"] in text
    assert f"huyện {authority['place']}" not in text
    assert "HUYỆN" not in text
    assert "xã, thị trấn" not in text
    assert f"{authority['short_name']} yêu cầu" in text


def test_it_keeps_vinh_linhs_district_words_beside_a_province(both_authorities):
    document = build_letter("cchc-remediation", "2023-H1", "CCHC-2023")
    text = " ".join(run.text for block in document.blocks for run in block.runs)
    authority = VINH_LINH["authority"]
    assert f"{authority['division']} {authority['place']}" in text
    assert f"Chủ tịch {authority['subordinates_phrase']}" in text
    assert PROVINCE["authority"]["subordinates_phrase"] not in text


def test_it_localises_only_the_authoritys_own_words():
    facts = {"division": "tỉnh", "short": "UBND tỉnh", "subordinates": "UBND các xã, phường"}
    text = ("UBND huyện yêu cầu UBND các xã, thị trấn và Công an huyện; kết quả của UBND huyện, thị xã, "
            "thành phố tỉnh X và các huyện, thị xã, thành phố; HUYỆN Y")
    assert wording.localise(text, facts) == (
        "UBND tỉnh yêu cầu UBND các xã, phường và Công an tỉnh; kết quả của UBND huyện, thị xã, "
        "thành phố tỉnh X và các huyện, thị xã, thành phố; TỈNH Y")


def test_it_raises_a_letter_error_in_vietnamese_without_an_authority(db):
    with pytest.raises(LetterError, match="Chưa khai báo cơ quan chấm điểm"):
        wording.agency()
