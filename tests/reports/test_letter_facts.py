"""The facts of the two letters, checked against the seeds' own text."""

import re
from datetime import date
from decimal import Decimal

from reports.choices import LetterKind
from reports.facts import cchc_remediation, find_assessment, remediation_plan
from reports.models import Letter
from scoring.models import Assessment, Score
from units.choices import UnitKind
from units.models import Unit

from .conftest import cchc_seed_rows, match_units, plan_seed_rows, seed_text


def block(document, key) -> str:
    return " ".join(b.text for b in document.blocks if b.key == key)


def test_it_states_the_index_and_the_deductions_as_seed_001_does(cchc_assessment):
    seed = " ".join(seed_text("001").split())
    index = re.search(r"đạt \*\*([\d,]+%)\*\*", seed).group(1)
    phrase = re.search(r"bị trừ điểm ở \d+ tiêu chí/tiêu chí thành phần với [\d,]+ điểm", seed).group(0)

    document = cchc_remediation(cchc_assessment)

    assert f"đạt {index}" in block(document, "result")
    assert phrase in block(document, "deductions")
    assert document.figures["index_percent"] + "%" == index == "70,37%"


def test_it_lists_the_deducted_criteria_in_order_with_the_seeds_figures(cchc_assessment):
    rows = cchc_seed_rows()

    table = cchc_remediation(cchc_assessment).appendices[0].table
    data = [row for row in table.rows if row.kind == "data"]

    assert [row.cells[0] for row in data] == [r["code"] for r in rows]
    assert [row.cells[2] for row in data] == [r["max_text"] for r in rows]
    assert [row.cells[5] for row in data] == [r["deduction_text"] for r in rows]
    assert [row.cells[6] for row in data] == [r["comment"] for r in rows]


def test_it_counts_an_area_and_its_sub_criteria_once(cchc_assessment):
    # Area 7 has a score of its own besides its sub-criteria (see conftest).
    assert Score.objects.filter(assessment=cchc_assessment, criterion__code="7").exists()

    document = cchc_remediation(cchc_assessment)

    codes = [row.cells[0] for row in document.appendices[0].table.rows]
    assert "7" not in codes
    assert document.figures["max_total"] == "79"


def test_it_takes_the_reviewers_number_date_recipients_and_paragraphs(cchc_assessment):
    letter = Letter.objects.create(
        kind=LetterKind.CCHC_REMEDIATION, period=cchc_assessment.period, assessment=cchc_assessment,
        number="1234", date=date(2023, 8, 5), recipients=["Phòng Nội vụ"],
        body={"paragraphs": {"closing": "Đề nghị **khẩn trương** thực hiện./.", "communes_3": ""}, "rank": "01/10"},
    )

    document = cchc_remediation(cchc_assessment, letter)

    assert document.number_line == "Số: 1234/UBND-NV"
    assert document.place_date == "Vĩnh Linh, ngày 05 tháng 8 năm 2023"
    assert document.recipients == ["- Phòng Nội vụ."]
    assert "xếp thứ 01/10 huyện, thị xã, thành phố" in block(document, "result")
    closing = [b for b in document.blocks if b.key == "closing"][0]
    assert [(run.text, run.bold) for run in closing.runs] == [
        ("Đề nghị ", False), ("khẩn trương", True), (" thực hiện./.", False)]
    assert block(document, "communes_3") == ""
    assert "1234/UBND-NV ngày 05/8/2023" in document.appendices[0].attached


def test_it_leaves_the_number_and_day_blank_until_issue(cchc_assessment):
    document = cchc_remediation(cchc_assessment)

    assert " ".join(document.number_line.split()) == "Số: /UBND-NV"
    assert " ".join(document.place_date.split()) == "Vĩnh Linh, ngày tháng năm 2023"
    assert document.recipients == ["- Các cơ quan chuyên môn, đơn vị sự nghiệp thuộc huyện;",
                                   "- UBND các xã, thị trấn."]
    assert document.distribution[-1] == "- Lưu: VT, NV."
    assert document.signature_lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert document.signer_name == "Thái Văn Thành"


def test_it_ranks_the_district_among_the_districts_scored_with_the_same_set(cchc_assessment):
    for name, share in (("UBND huyện Gio Linh", "0.5"), ("UBND huyện Cam Lộ", "0.9")):
        other = Unit.objects.create(name=name, kind=UnitKind.AUTHORITY)
        peer = Assessment.objects.create(criteria_set=cchc_assessment.criteria_set, period=cchc_assessment.period,
                                         subject=other)
        for score in cchc_assessment.scores.select_related("criterion"):
            Score.objects.create(assessment=peer, criterion=score.criterion,
                                 appraised_score=score.criterion.max_score * Decimal(share))

    assert find_assessment(LetterKind.CCHC_REMEDIATION, "2023-H1") == cchc_assessment
    assert "xếp thứ **02/03**" not in block(cchc_remediation(cchc_assessment), "result")  # markup is gone
    assert "xếp thứ 02/03 huyện" in block(cchc_remediation(cchc_assessment), "result")


def test_it_sums_the_plans_deductions_to_the_seeds_total(plan_assessment):
    rows, total = plan_seed_rows()

    document = remediation_plan(plan_assessment)
    table = document.appendices[0].table

    assert total == "-27,75"
    assert table.rows[-1].kind == "total" and table.rows[-1].cells[3] == total
    assert [row.cells[0].split(" ")[0] for row in table.rows[:-1]] == [f"{r['code']}." for r in rows]
    assert f"{len(rows)} tiêu chí, tiêu chí thành phần với tổng số điểm bị trừ là 27,75 điểm" in block(document, "basis")


def test_it_groups_the_plans_deductions_by_responsible_unit(plan_assessment):
    rows, _ = plan_seed_rows()
    expected = {}
    for row in rows:
        for unit in match_units(row["units"]):
            expected.setdefault(unit.name, []).append(f"{row['code']}.")

    grouped = remediation_plan(plan_assessment).appendices[1].table.rows
    found, current = {}, None
    for row in grouped:
        if row.kind == "group":
            current = re.match(r"\d+\. (.+) \(\d+ tiêu chí", row.cells[0]).group(1)
            found[current] = []
        else:
            found[current].append(row.cells[1].split(" ")[0])

    assert found == expected
    police = next(row.cells[0] for row in grouped if "Công an huyện" in row.cells[0])
    assert police.endswith("(2 tiêu chí, -6 điểm)")  # I.C.3 −1 and I.C.6 −5


def test_it_sets_the_plans_deadlines_as_seed_004_does_unless_the_draft_says_otherwise(plan_assessment):
    seed = " ".join(seed_text("004").split())
    proposals = re.search(r"trước ngày \*\*([\d/]+)\*\*", seed).group(1)
    completion = re.search(r"Đảm bảo đến ([\d/]+) hoàn thành 100%", seed).group(1)

    document = remediation_plan(plan_assessment)
    assert f"trước ngày {proposals}." in block(document, "tasks_departments_1")
    assert f"Đảm bảo đến {completion} hoàn thành 100%" in block(document, "tasks_departments_2")

    letter = Letter.objects.create(kind=LetterKind.REMEDIATION_PLAN, period=plan_assessment.period,
                                   body={"deadlines": {"proposals": "15/4/2024"}, "date": {"month": 3}})
    edited = remediation_plan(plan_assessment, letter)
    assert "trước ngày 15/4/2024." in block(edited, "tasks_departments_1")
    assert " ".join(edited.place_date.split()) == "Vĩnh Linh, ngày tháng 3 năm 2024"


def test_it_gives_each_armed_forces_unit_its_own_section(plan_assessment):
    headings = [b.text for b in remediation_plan(plan_assessment).blocks if b.style == "heading"]

    assert headings[-4:] == ["1. Đối với các Phòng, Ban, đơn vị", "2. Công an huyện",
                             "3. Ban Chỉ huy Quân sự huyện", "4. Phòng Nội vụ"]


def test_it_signs_the_plan_for_the_chairman(plan_assessment):
    document = remediation_plan(plan_assessment)

    assert document.title == "KẾ HOẠCH"
    assert " ".join(document.number_line.split()) == "Số: /KH-UBND"
    assert document.signature_lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert document.signer_name == "Nguyễn Anh Tuấn"
    assert document.distribution[-1] == "- Lưu: VT, NV."
