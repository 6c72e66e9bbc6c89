"""An HTNV class comes from the index in percent by the set's bands, and only from a complete
catalogue: the demo's HTNV 2023 holds only the criteria that lost points (seed 004's appendix), so its
index (over those alone) would put Vĩnh Linh a class below the "Hoàn thành xuất sắc nhiệm vụ" seed 004
reports; the pages and the command say it is not classed instead."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from scoring.choices import Method
from scoring.computing import compute_assessment
from scoring.models import Assessment, CriteriaSet, Score
from units.choices import Role

from .conftest import seed_text
from .test_computing import criterion, district_with_units, make_set, period  # noqa: F401

BANDS = [{"min": "90", "label": "Hoàn thành xuất sắc nhiệm vụ"}, {"min": "80", "label": "Hoàn thành tốt nhiệm vụ"},
         {"min": "50", "label": "Hoàn thành nhiệm vụ"}]


def scored_out_of_200(period, appraised: str, **set_fields) -> Assessment:
    """One criterion of max 200 appraised at ``appraised`` points: points and percent differ."""
    district, _ = district_with_units(0)
    criteria_set = make_set(class_bands=BANDS, **set_fields)
    c = criterion(criteria_set, "I", 200, method=Method.MANUAL)
    assessment = Assessment.objects.create(criteria_set=criteria_set, period=period, subject=district)
    Score.objects.create(assessment=assessment, criterion=c, appraised_score=Decimal(appraised))
    return assessment


def test_the_class_is_read_from_the_index_in_percent_not_the_points(period, client, make_user):
    assessment = scored_out_of_200(period, "170")  # 85 %: "tốt"; 170 points would read as "xuất sắc"

    assert compute_assessment(assessment).class_label() == "Hoàn thành tốt nhiệm vụ"
    client.force_login(make_user("xep-loai", Role.REVIEWER))
    page = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert "Xếp loại: <strong>Hoàn thành tốt nhiệm vụ</strong>" in page


def test_an_incomplete_catalogue_gives_no_class_and_says_why(period, client, make_user):
    assessment = scored_out_of_200(period, "190", complete=False)

    assert compute_assessment(assessment).class_label() is None
    client.force_login(make_user("xep-loai", Role.REVIEWER))
    page = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert "Xếp loại:" not in page and "Chưa xếp loại: danh mục tiêu chí chưa đầy đủ" in page


@pytest.mark.usefixtures("demo")
def test_the_demo_htnv_2023_is_not_classed_against_seed_004():
    htnv = CriteriaSet.objects.get(code="HTNV-2023")
    reported = re.search(r"xếp loại (Hoàn thành[^(]*?) \(xếp thứ", seed_text("004")).group(1)
    index = compute_assessment(Assessment.objects.get(criteria_set=htnv, period__code="2023")).totals() \
        .overall.index_percent

    assert not htnv.complete
    assert reported == "Hoàn thành xuất sắc nhiệm vụ"
    # Over the 14 criteria that lost points, the index reads a lower class than the one reported: the
    # reason not to class from a partial catalogue.
    htnv.complete = True
    assert htnv.class_for(index) != reported
    out = StringIO()
    call_command("compute_scores", "--period", "2023", "--set", "HTNV-2023", stdout=out)
    assert "Chưa xếp loại: danh mục tiêu chí của bộ chưa đầy đủ" in out.getvalue()
    assert "Xếp loại theo bậc" not in out.getvalue()
