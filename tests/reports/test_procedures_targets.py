"""The TTHC letter's targets per kind of unit are the authority's own (Authority.metric_targets):
Vĩnh Linh's letter states seed 003's figures for its departments, the land registry branch and its
communes; the province's states its own and never Vĩnh Linh's, and leaves out a target it never set."""

import re

import pytest

from reports.choices import LetterKind
from reports.facts import procedures  # facts loads metric_letters, which needs it first
from reports.models import Letter
from scoring.models import Period
from units.models import Authority

from ..seeds import seed_text

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def target_rows(document) -> dict[str, list[str]]:
    return {row.cells[0]: row.cells[1:] for row in document.appendices[1].table.rows}


def target_lines(document) -> str:
    return " ".join(b.text for b in document.blocks if b.key == "targets")


def test_vinh_linhs_letter_states_seed_003s_targets_for_each_kind_of_unit(both_authorities):
    seed = flat(seed_text("003"))
    departments = re.search(r"phòng chuyên môn thuộc huyện.*?phải đạt tỷ lệ từ (\d+)% trở lên", seed).group(1)
    branch = re.search(r"chi nhánh Văn phòng đăng ký đất đai.*?phải đạt từ (\d+)%", seed).group(1)
    payment = re.search(r"thanh toán trực tuyến đạt tối thiểu (\d+)%", seed).group(1)
    digitized = re.search(r"kết quả giải quyết TTHC phải đạt tỷ lệ (\d+)% trở lên", seed).group(1)
    online = re.search(r"hồ sơ trực tuyến đạt từ (\d+)%", seed).group(1)
    vinh_linh = Authority.objects.get(unit__name="UBND huyện Vĩnh Linh")
    letter = Letter.objects.create(kind=LetterKind.PROCEDURES, period=Period.objects.get(code="2023-H1"),
                                   authority=vinh_linh.unit)

    rows = target_rows(procedures(letter.period, letter))

    # Columns: online, digitized, payment (metric_letters.TARGET_WORDS).
    assert rows["Các phòng chuyên môn thuộc huyện"] == [departments] * 3
    assert rows["Chi nhánh Văn phòng đăng ký đất đai huyện"] == [branch] * 3
    assert rows["UBND các xã, thị trấn"] == [online, digitized, payment]


def test_the_provinces_letter_states_its_own_targets_and_none_it_never_set(both_authorities):
    province = Authority.objects.get(level="province")
    online = province.metric_targets["tthc_online_rate"]
    letter = Letter.objects.create(kind=LetterKind.PROCEDURES, period=Period.objects.get(code="2025"),
                                   authority=province.unit)

    document = procedures(letter.period, letter)
    rows = target_rows(document)
    lines = target_lines(document)

    assert "tthc_digitized_rate" not in province.metric_targets  # the province set none
    communes = next(cells for label, cells in rows.items() if "xã" in label)
    assert communes == [online["commune"], "", ""]
    assert all(cells[0] == online["*"] for label, cells in rows.items() if "xã" not in label)
    assert f"hồ sơ trực tuyến đạt từ {online['commune']}% trở lên" in lines
    assert "số hóa" not in lines and "thanh toán trực tuyến đạt" not in lines
    vinh_linh_figures = {"60%", "50%", "30%", "70%"} - {f"{v}%" for v in online.values()}
    assert not any(figure in lines for figure in vinh_linh_figures)
