"""A province's letters call its departments, its military command and the agencies on its soil as
a province does (Authority.phrases: "Các sở, ban, ngành thuộc UBND tỉnh", not "Các phòng chuyên môn
thuộc UBND tỉnh"); Vĩnh Linh, which has no such phrases, keeps every word of the seeds."""

import json

import pytest
from django.core.exceptions import ValidationError

from reports.facts import build_letter
from reports.wording import DEFAULTS_BY_KIND, agency, localise
from units import demo as units_demo
from units.models import Authority

from .test_home_affairs_wording import every_text, roots  # noqa: F401  (roots: a fixture)

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
AUTHORITY = PROVINCE["authority"]
PHRASES = AUTHORITY["phrases"]


def test_vinh_linhs_letters_keep_every_word_of_the_seeds(roots):
    district = agency(roots["district"])
    for kind, defaults in DEFAULTS_BY_KIND.items():
        assert localise(defaults, district) == defaults, kind


def test_the_provinces_letters_use_its_own_words_for_every_district_phrase(roots):
    province = agency(roots["province"])
    for kind, defaults in DEFAULTS_BY_KIND.items():
        seeds, localised = every_text(defaults), every_text(localise(defaults, province))
        for district_words, own in PHRASES.items():
            assert district_words not in localised, (kind, district_words)
            if district_words in seeds:
                assert own in localised, (kind, own)


def test_the_provinces_procedures_letter_writes_to_its_departments_as_a_province(both_authorities):
    document = build_letter("procedures", "2025", authority_name=AUTHORITY["place"])

    recipients = " ".join(document.recipients)
    assert f"Các {PHRASES['phòng chuyên môn']} thuộc {AUTHORITY['short_name']};" in recipients
    assert "phòng chuyên môn" not in recipients
    assert PHRASES["Các cơ quan TW, tỉnh đóng trên địa bàn huyện"] in recipients
    labels = [row.cells[0] for row in document.appendices[1].table.rows]
    assert f"Các {PHRASES['phòng chuyên môn']} thuộc {AUTHORITY['division']}" in labels
    assert PHRASES["Chi nhánh Văn phòng đăng ký đất đai huyện"] in labels
    assert not any("Văn phòng đăng ký đất đai" in label for label in labels)


def test_vinh_linhs_procedures_letter_still_writes_to_its_phong_chuyen_mon(both_authorities):
    document = build_letter("procedures", "2023-H1", authority_name="Vĩnh Linh")

    assert document.recipients[0] == "- Các phòng chuyên môn thuộc UBND huyện;"
    labels = [row.cells[0] for row in document.appendices[1].table.rows]
    assert "Chi nhánh Văn phòng đăng ký đất đai huyện" in labels


def test_an_authoritys_phrases_must_be_a_table_of_words(roots):
    authority = Authority.objects.get(unit=roots["province"])
    authority.phrases = ["sở, ban, ngành"]
    with pytest.raises(ValidationError, match="Cách gọi riêng"):
        authority.clean()
    authority.phrases = {"phòng chuyên môn": "sở, ban, ngành"}
    authority.clean()
