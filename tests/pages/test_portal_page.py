"""The unit portal: a unit head sees what their unit answers for, what it lost and the council's
comment, its metrics beside the district's and the targets, its tasks; another unit answers 404."""

import re

import pytest
from django.urls import reverse

from common.numbers import format_number
from documents.demo import load_demo_spreadsheets
from scoring.models import RemediationTask, Score
from units.models import Unit

from ..documents.seeds import expected_values
from .workspace import load_demo_scores, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_demo_scores()
    load_demo_spreadsheets()


def test_a_unit_head_sees_their_deductions_with_the_councils_comment(client, demo):
    noi_vu = Unit.objects.get(name="Phòng Nội vụ")
    deducted = [s for s in Score.objects.filter(responsible_units=noi_vu).select_related("criterion")
                if s.deduction is not None and s.deduction < 0]
    assert deducted
    page = login(client, "head_noivu").get(reverse("unit-detail", args=[noi_vu.pk])).content.decode()
    for score in deducted:
        block = re.search(rf'<article class="card deduction-card" id="score-{score.pk}">(.*?)</article>', page, re.S)
        assert block, score.criterion.code
        assert f"bị trừ {format_number(score.deduction, 2)}" in block.group(1)
        assert score.comment.split(".")[0][:60] in block.group(1).replace("&#x27;", "'")


def test_another_units_page_answers_404_for_a_unit_head(client, demo):
    other = Unit.objects.get(name="Phòng Nội vụ")
    assert login(client, "head_vinhkhe").get(reverse("unit-detail", args=[other.pk])).status_code == 404
    own = Unit.objects.get(name="UBND xã Vĩnh Khê")
    assert client.get(reverse("unit-detail", args=[own.pk])).status_code == 200
    registry = client.get(reverse("unit-list")).content.decode().split('<main id="main">')[1]
    assert "UBND xã Vĩnh Khê" in registry and "Phòng Nội vụ" not in registry


def test_it_shows_the_units_rate_beside_the_districts_and_the_target(client, demo):
    seed = expected_values("002-1")
    khe = next(v for name, v in seed.items() if "Vĩnh Khê" in name)
    unit_rate = (khe["incoming_replied"] + khe["incoming_closed"]) * 100 / khe["incoming_total"]
    district = (sum(v["incoming_replied"] + v["incoming_closed"] for v in seed.values())
                * 100 / sum(v["incoming_total"] for v in seed.values()))
    own = Unit.objects.get(name="UBND xã Vĩnh Khê")
    page = login(client, "head_vinhkhe").get(reverse("unit-detail", args=[own.pk])).content.decode()
    row = re.search(r'<tr data-metric="incoming_processed_rate">(.*?)</tr>', page, re.S).group(1)
    assert f'<td class="num is-bad">{format_number(unit_rate, 1)} %</td>' in row
    assert f"{format_number(district, 1)} %" in row
    assert row.rstrip().endswith('<td class="num">100 %</td>')


def test_it_lists_the_units_remediation_tasks(client, demo):
    own = Unit.objects.get(name="UBND xã Vĩnh Khê")
    RemediationTask.objects.create(responsible_unit=own, action="Kết thúc văn bản đến tồn đọng trên hệ thống")
    RemediationTask.objects.create(responsible_unit=Unit.objects.get(name="Phòng Nội vụ"), action="Việc của đơn vị khác")
    page = login(client, "head_vinhkhe").get(reverse("unit-detail", args=[own.pk])).content.decode()
    assert "Kết thúc văn bản đến tồn đọng" in page and "Việc của đơn vị khác" not in page


def test_the_portal_fits_a_phone(client, demo):
    own = Unit.objects.get(name="UBND xã Vĩnh Khê")
    page = login(client, "head_vinhkhe").get(reverse("unit-detail", args=[own.pk])).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    # Wide tables scroll inside their box instead of widening the page.
    assert page.count('<div class="table-wrap">') >= 2
