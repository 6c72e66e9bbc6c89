"""The assessment page: the criteria tree with its scores, area totals that follow each save,
filters, Vietnamese numbers in and out, conflicts refused with the other person's value."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from common.numbers import format_number, parse_number
from scoring.actions import set_score
from scoring.choices import AssessmentStatus, Level
from scoring.models import Score, ScoreChange

from .test_home import seed_001
from .workspace import cchc_half_year, demo_user, load_demo_scores, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo_scores()
    return cchc_half_year()


def area_row(page: str, area_pk: int) -> str:
    match = re.search(rf'<tr id="area-{area_pk}" class="area-row"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"area {area_pk} is not on the page"
    return match.group(1)


def cells(row_html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, re.S)]


def test_it_shows_every_deducted_criterion_of_seed_001_with_its_scores(client, demo):
    rows, count, points, _ = seed_001()
    page = login(client, "viewer").get(reverse("assessment", args=[demo.pk])).content.decode()
    for code, max_score, self_score, appraised in rows:
        score = Score.objects.get(assessment=demo, criterion__code=code)
        row = re.search(rf'<tr id="score-{score.pk}"[^>]*>(.*?)</tr>', page, re.S).group(1)
        texts = cells(row)
        assert texts[0] == code
        assert texts[2] == format_number(max_score, 2)
        assert texts[5] == format_number(appraised, 2)
        assert texts[6] == format_number(appraised - max_score, 2)
    # The overall deduction is the letter's.
    assert f"{format_number(-parse_number(points), 2)}" in page
    assert f"Điểm bị trừ ({count} tiêu chí)" in page


def test_it_totals_each_area_from_its_scores(client, demo):
    page = login(client, "viewer").get(reverse("assessment", args=[demo.pk])).content.decode()
    areas = demo.criteria_set.criteria.filter(level=Level.AREA)
    checked = 0
    for area in areas:
        scores = [s for s in Score.objects.filter(assessment=demo).select_related("criterion__parent__parent__parent")
                  if _area_of(s.criterion).pk == area.pk]
        if not scores:
            continue
        texts = cells(area_row(page, area.pk))
        assert texts[2] == format_number(sum(s.criterion.max_score for s in scores), 2)
        assert texts[5] == format_number(sum(s.appraised_score for s in scores), 2)
        checked += 1
    assert checked >= 5


def _area_of(criterion):
    while criterion.parent_id:
        criterion = criterion.parent
    return criterion


def test_it_saves_a_row_with_a_decimal_comma_and_answers_the_new_area_total(client, demo):
    score = Score.objects.select_related("criterion").get(assessment=demo, criterion__code="1.1.3")
    area = _area_of(score.criterion)
    before = cells(area_row(login(client, "reviewer").get(reverse("assessment", args=[demo.pk])).content.decode(), area.pk))[5]
    response = client.post(
        reverse("score-save", args=[demo.pk, score.pk]),
        {"version": score.version, "self_score": "2", "appraised_score": "1,5", "comment": score.comment},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.50")
    assert 'value="1,5"' in body
    new_total = parse_number(before) + Decimal("1.50") - Decimal("0.85")
    assert cells(area_row(body, area.pk))[5] == format_number(new_total, 2)
    assert 'hx-swap-oob="true"' in body and 'id="overall-totals"' in body
    change = ScoreChange.objects.get(score=score, field="appraised_score")
    assert (change.old_value, change.new_value, change.changed_by.username) == ("0.85", "1.50", "reviewer")


def test_it_refuses_a_stale_save_and_shows_the_other_reviewers_value(client, demo):
    score = Score.objects.get(assessment=demo, criterion__code="1.1.3")
    loaded = score.version
    set_score(score, acting_user=demo_user("reviewer"), appraised_score="1,25", expected_version=loaded)
    response = login(client, "reviewer").post(
        reverse("score-save", args=[demo.pk, score.pk]),
        {"version": loaded, "self_score": "2", "appraised_score": "0,5", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "đã được người khác sửa" in body and "1,25" in body
    score.refresh_from_db()
    assert score.appraised_score == Decimal("1.25")
    # The row now carries the stored version, so a deliberate second save goes through.
    assert f'name="version" value="{score.version}"' in body


def test_it_keeps_what_was_typed_and_says_why_when_a_value_is_out_of_range(client, demo):
    score = Score.objects.select_related("criterion").get(assessment=demo, criterion__code="1.1.3")
    response = login(client, "reviewer").post(
        reverse("score-save", args=[demo.pk, score.pk]),
        {"version": score.version, "self_score": "2", "appraised_score": "7,5", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="7,5"' in body and "nằm ngoài khoảng 0 – 2" in body
    score.refresh_from_db()
    assert score.appraised_score == Decimal("0.85")


def test_it_saves_without_javascript_and_goes_back_to_the_row(client, demo):
    score = Score.objects.get(assessment=demo, criterion__code="1.1.3")
    response = login(client, "reviewer").post(
        reverse("score-save", args=[demo.pk, score.pk]),
        {"version": score.version, "self_score": "2", "appraised_score": "2", "comment": "Đạt"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#score-{score.pk}")
    score.refresh_from_db()
    assert (score.appraised_score, score.comment) == (Decimal("2.00"), "Đạt")


def test_it_refuses_a_viewer_and_a_unit_head(client, demo):
    score = Score.objects.get(assessment=demo, criterion__code="1.1.3")
    url = reverse("score-save", args=[demo.pk, score.pk])
    data = {"version": score.version, "self_score": "2", "appraised_score": "2", "comment": ""}
    assert login(client, "viewer").post(url, data).status_code == 403
    page = client.get(reverse("assessment", args=[demo.pk])).content.decode()
    assert "score-input" not in page and "Bạn chỉ có quyền xem" in page
    client.logout()
    # A unit head does not see the district's assessment at all.
    assert login(client, "head_vinhkhe").get(reverse("assessment", args=[demo.pk])).status_code == 404
    assert client.post(url, data).status_code == 403
    score.refresh_from_db()
    assert score.appraised_score == Decimal("0.85")


def test_a_locked_assessment_is_read_only(client, demo):
    demo.status = AssessmentStatus.LOCKED
    demo.save(update_fields=["status"])
    score = Score.objects.get(assessment=demo, criterion__code="1.1.3")
    page = login(client, "reviewer").get(reverse("assessment", args=[demo.pk])).content.decode()
    assert "score-input" not in page and "đã chốt điểm" in page
    response = client.post(reverse("score-save", args=[demo.pk, score.pk]),
                           {"version": score.version, "self_score": "2", "appraised_score": "2", "comment": ""},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "đã chốt điểm" in response.content.decode()
    score.refresh_from_db()
    assert score.appraised_score == Decimal("0.85")


def test_it_filters_deducted_only_by_unit_and_by_area(client, demo):
    rows, count, _, _ = seed_001()
    login(client, "viewer")
    url = reverse("assessment", args=[demo.pk])
    page = client.get(url, {"deducted": "on"}).content.decode()
    assert len(re.findall(r'<tr id="score-\d+"', page)) == count
    noi_vu = Score.objects.get(assessment=demo, criterion__code="1.1.3").responsible_units.get()
    page = client.get(url, {"unit": noi_vu.pk}).content.decode()
    shown = set(re.findall(r'data-code="([^"]+)"', page))
    expected = set(Score.objects.filter(assessment=demo, responsible_units=noi_vu).values_list("criterion__code", flat=True))
    assert shown == expected and "1.1.3" in shown
    area = _area_of(Score.objects.get(assessment=demo, criterion__code="1.1.3").criterion)
    page = client.get(url, {"area": area.pk}).content.decode()
    shown = set(re.findall(r'data-code="([^"]+)"', page))
    assert shown and all(_area_of(Score.objects.get(assessment=demo, criterion__code=c).criterion) == area for c in shown)


def test_it_shows_a_scores_history(client, demo):
    score = Score.objects.get(assessment=demo, criterion__code="1.1.3")
    set_score(score, acting_user=demo_user("reviewer"), appraised_score="1,75", reason="Bổ sung TLKC")
    set_score(score, acting_user=None, comment="Nạp lại", reason="Nạp lại dữ liệu mẫu")
    page = login(client, "viewer").get(reverse("score-detail", args=[demo.pk, score.pk])).content.decode()
    assert "0,85 → 1,75" in page and "Bổ sung TLKC" in page and "điểm thẩm định" in page
    assert "(hệ thống)" in page
