"""The first page: who sees which units and assessments, and the totals printed the Vietnamese way.

The oracle is seed 001 (CCHC, first half of 2023): its appendix lists every deducted criterion with
max / self-assessed / appraised score, and its text states how many criteria lost how many points."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.numbers import format_number, parse_number
from scoring.choices import AssessmentStatus, Level, PeriodKind, SetKind, SubjectKind
from scoring.models import Assessment, CriteriaSet, Criterion, Period, Score
from units.choices import Role, UnitKind
from units.models import Unit

SEED_001 = Path(settings.BASE_DIR) / "fixtures" / "seeds" / "001_80b7831fe2ff1271.txt"
# Σ max of the criteria assessed in the first half of 2023 (DOMAIN.md: (79 − 23,41) / 79 = 70,37 %).
HALF_YEAR_MAX = Decimal("79")


def seed_001():
    """(appendix rows as (code, max, self, appraised), stated count, stated points, stated index)."""
    text = SEED_001.read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if re.match(r"^\d+(\.\d+)*\t", line):
            cells = line.split("\t")
            rows.append((cells[0], parse_number(cells[2]), parse_number(cells[3]), parse_number(cells[4])))
    stated = re.search(r"bị trừ điểm ở (\d+) tiêu chí/tiêu chí thành phần với ([\d,]+) điểm", text)
    index = re.search(r"đạt \*\*([\d,]+)%\*\*", text)
    return rows, int(stated.group(1)), stated.group(2), index.group(1)


def make_period():
    return Period.objects.create(
        code="2023-H1", name="6 tháng đầu năm 2023", kind=PeriodKind.HALF_YEAR, year=2023,
        start=date(2022, 12, 15), end=date(2023, 6, 14),
    )


def make_set(code="cchc-2023-huyen"):
    return CriteriaSet.objects.create(
        code=code, name="Chỉ số CCHC cấp huyện năm 2023", kind=SetKind.CCHC, year=2023,
        subject_kind=SubjectKind.DISTRICT, legal_basis="Quyết định 1325/QĐ-UBND",
    )


def assessment_from_seed(subject: Unit) -> Assessment:
    """The district's half-year assessment: the seed's deducted criteria, plus one criterion that
    stands for all those scored in full, so that Σ max is the half-year's 79."""
    rows, *_ = seed_001()
    criteria_set = make_set()
    assessment = Assessment.objects.create(
        criteria_set=criteria_set, period=make_period(), subject=subject, status=AssessmentStatus.APPRAISED,
    )
    for position, (code, max_score, self_score, appraised) in enumerate(rows):
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, code=code, name=f"Tiêu chí {code}", level=Level.CRITERION,
            max_score=max_score, position=position,
        )
        Score.objects.create(assessment=assessment, criterion=criterion, self_score=self_score, appraised_score=appraised)
    full = HALF_YEAR_MAX - sum(max_score for _, max_score, _, _ in rows)
    criterion = Criterion.objects.create(
        criteria_set=criteria_set, code="khác", name="Các tiêu chí đạt điểm tối đa", level=Level.CRITERION,
        max_score=full, position=len(rows),
    )
    Score.objects.create(assessment=assessment, criterion=criterion, self_score=full, appraised_score=full)
    return assessment


def row_of(page: str, assessment: Assessment) -> str:
    match = re.search(rf'<tr data-assessment="{assessment.pk}">(.*?)</tr>', page, re.S)
    assert match, "the assessment is not on the page"
    return match.group(1)


def cell(row: str, css_class: str) -> str:
    match = re.search(rf'<td class="num {css_class}[^"]*">\s*(.*?)\s*</td>', row, re.S)
    assert match, css_class
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


@pytest.fixture
def district(db):
    return Unit.objects.create(name="UBND huyện Vĩnh Linh", short_name="UBND huyện", kind=UnitKind.AUTHORITY, sort_order=10)


def test_it_prints_the_deductions_the_letter_states(client, reviewer, district):
    assessment = assessment_from_seed(district)
    _, stated_count, stated_points, stated_index = seed_001()
    client.force_login(reviewer)

    row = row_of(client.get("/").content.decode(), assessment)

    assert cell(row, "deducted-count") == str(stated_count)  # 27
    assert cell(row, "deduction") == "-" + stated_points  # -23,41
    assert cell(row, "max-total") == format_number(HALF_YEAR_MAX, 2)
    assert cell(row, "index").startswith(stated_index + " %")  # 70,37 %


def test_it_prints_a_single_deduction_with_a_decimal_comma(client, viewer, district):
    rows, *_ = seed_001()
    code, max_score, self_score, appraised = rows[0]  # 1.1.3: 2,00 → 0,85, deduction −1,15
    criteria_set = make_set()
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=make_period(), subject=district)
    criterion = Criterion.objects.create(criteria_set=criteria_set, code=code, name="x", level=Level.CRITERION, max_score=max_score)
    Score.objects.create(assessment=assessment, criterion=criterion, self_score=self_score, appraised_score=appraised)
    client.force_login(viewer)

    row = row_of(client.get("/").content.decode(), assessment)

    assert cell(row, "deducted-count") == "1"
    assert cell(row, "deduction") == "-1,15"
    assert cell(row, "appraised-total") == "0,85"


def test_it_shows_a_unit_head_only_their_unit(client, head_vinhkhe, vinh_khe, noi_vu, district):
    period, criteria_set = make_period(), make_set()
    own = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=vinh_khe)
    other = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=district)
    client.force_login(head_vinhkhe)

    page = client.get("/").content.decode()

    assert f'data-assessment="{own.pk}"' in page
    assert f'data-assessment="{other.pk}"' not in page
    assert "UBND xã Vĩnh Khê" in page
    assert "Phòng Nội vụ" not in page.split('id="units-title"')[1]
    assert "UBND huyện Vĩnh Linh" not in page


@pytest.mark.parametrize("role_fixture", ["reviewer", "viewer"])
def test_it_shows_reviewers_and_leaders_every_unit_and_assessment(request, client, role_fixture, vinh_khe, noi_vu, district):
    user = request.getfixturevalue(role_fixture)
    period, criteria_set = make_period(), make_set()
    assessments = [Assessment.objects.create(criteria_set=criteria_set, period=period, subject=u) for u in (vinh_khe, district)]
    client.force_login(user)

    page = client.get("/").content.decode()

    for assessment in assessments:
        assert f'data-assessment="{assessment.pk}"' in page
    units_part = page.split('id="units-title"')[1]
    for name in ("UBND xã Vĩnh Khê", "Phòng Nội vụ", "UBND huyện Vĩnh Linh"):
        assert name in units_part


def test_it_groups_units_by_kind(client, viewer, vinh_khe, noi_vu, district):
    client.force_login(viewer)

    page = client.get("/").content.decode()

    kinds = re.findall(r'data-kind="([a-z_]+)"', page)
    assert kinds == [UnitKind.AUTHORITY, UnitKind.DEPARTMENT, UnitKind.COMMUNE]
    commune_group = page.split('data-kind="commune"')[1]
    assert "UBND xã Vĩnh Khê" in commune_group and "Phòng Nội vụ" not in commune_group
    assert UnitKind.COMMUNE.label in commune_group


def test_it_refuses_a_user_without_a_role_in_vietnamese(client, no_role_user):
    client.force_login(no_role_user)

    response = client.get("/")

    assert response.status_code == 403
    assert "chưa được phân vai trò" in response.content.decode()


def build_registry(size: int) -> None:
    """``size`` communes under the district, each assessed in one period with three scores, one deducted."""
    period, criteria_set = make_period(), make_set()
    district = Unit.objects.create(name="UBND huyện Thử", kind=UnitKind.AUTHORITY)
    criteria = [
        Criterion.objects.create(criteria_set=criteria_set, code=f"1.{i}", name="x", level=Level.CRITERION, max_score=Decimal("2"))
        for i in range(3)
    ]
    units = Unit.objects.bulk_create(
        Unit(name=f"UBND xã Thử {i:03d}", kind=UnitKind.COMMUNE, parent=district, sort_order=i) for i in range(size)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(criteria_set=criteria_set, period=period, subject=unit) for unit in units
    )
    Score.objects.bulk_create(
        Score(assessment=a, criterion=c, appraised_score=Decimal("1.5") if i == 0 else Decimal("2"))
        for a in assessments for i, c in enumerate(criteria)
    )


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.UNIT_HEAD])
def test_its_query_count_does_not_grow_with_the_registry(client, make_user, vinh_khe, django_assert_max_num_queries, role):
    user = make_user("someone", role, vinh_khe)
    client.force_login(user)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200

    build_registry(200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/")

    assert response.status_code == 200
    if role == Role.REVIEWER:
        assert response.content.decode().count("<tr data-assessment=") == 200
