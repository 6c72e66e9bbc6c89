"""The analysis pages: points still available with what each unit's work is worth, the simulator that
saves nothing, ranks "05/10"; sign-in required, unit heads see only their own unit's lines."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from documents.importing.run import import_file
from documents.models import MetricValue
from scoring.models import Assessment, Period, Score, ScoreChange
from units.choices import Role
from units.models import Unit

SPREADSHEETS = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets"


@pytest.fixture
def data(demo):
    for name in ("2023-H1_phu-luc-1_van-ban-den.xlsx", "2023-H1_phu-luc-2_van-ban-di.xlsx"):
        import_file(SPREADSHEETS / name, period=Period.objects.get(code="2023-H1"))
    return Assessment.objects.get(criteria_set__code="CCHC-2023", period__code="2023-H1")


@pytest.fixture
def users(data, make_user):
    return {
        "reviewer": make_user("duyet", Role.REVIEWER, Unit.objects.get(name="Phòng Nội vụ")),
        "viewer": make_user("xem", Role.VIEWER),
        "head": make_user("yte", Role.UNIT_HEAD, Unit.objects.get(name="Phòng Y tế")),
    }


def unit_pending(name, period="2023-H1"):
    values = dict(MetricValue.objects.filter(unit__name=name, period__code=period).values_list("key", "value"))
    return values["incoming_total"] - values["incoming_replied"] - values["incoming_closed"]


def test_it_needs_a_sign_in(data, client):
    response = client.get(reverse("analysis-points", args=[data.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_it_lists_points_available_most_first_with_what_each_unit_can_add(data, users, client):
    client.force_login(users["reviewer"])
    html = client.get(reverse("analysis-points", args=[data.pk])).content.decode()
    codes = re.findall(r'<tr data-code="([^"]+)"', html)
    scores = {s.criterion.code: s for s in data.scores.select_related("criterion")}
    available = [scores[c].criterion.max_score - scores[c].appraised_score for c in codes]
    assert len(codes) == 27  # every deducted criterion of seed 001, none at its max
    assert available == sorted(available, reverse=True)
    pending = unit_pending("Phòng Y tế")
    assert re.search(rf"Phòng Y tế: {re.escape(f'{pending:,.0f}'.replace(',', '.'))} văn bản đến phải xử lý", html)
    assert re.search(r"để 7\.1\.4 tăng [\d,]+ điểm", html)


def test_a_unit_head_sees_only_the_lines_of_their_own_unit(data, users, client):
    client.force_login(users["head"])
    html = client.get(reverse("analysis-points", args=[data.pk])).content.decode()
    lines = re.findall(r"<li>([^<]+)</li>", html)
    assert lines and all(line.startswith("Phòng Y tế:") for line in lines)
    assert 'id="max-total"' not in html
    assert client.get(reverse("analysis-simulate", args=[data.pk])).status_code == 403


def test_the_simulator_recomputes_in_memory_and_saves_nothing(data, users, client):
    client.force_login(users["viewer"])
    url = reverse("analysis-simulate", args=[data.pk])
    before = (list(Score.objects.values_list()), list(MetricValue.objects.values_list()), ScoreChange.objects.count())
    unit = Unit.objects.get(name="Phòng Y tế")
    replied = MetricValue.objects.get(unit=unit, period=data.period, key="incoming_replied").value
    response = client.post(url, {"unit_0": unit.pk, "key_0": "incoming_replied",
                                 "value_0": str(replied + unit_pending("Phòng Y tế"))})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<tr data-code="7\.1\.4">', html)  # the one criterion that reads incoming documents
    baseline = re.search(r'id="baseline-total">([^<]+)<', html).group(1)
    simulated = re.search(r'id="simulated-total">([^<]+)<', html).group(1)
    assert Decimal(simulated.replace(",", ".")) > Decimal(baseline.replace(",", "."))
    assert (list(Score.objects.values_list()), list(MetricValue.objects.values_list()),
            ScoreChange.objects.count()) == before


def test_the_simulator_says_what_is_wrong_with_a_value(data, users, client):
    client.force_login(users["reviewer"])
    unit = Unit.objects.get(name="Phòng Y tế")
    html = client.post(reverse("analysis-simulate", args=[data.pk]),
                       {"unit_0": unit.pk, "key_0": "incoming_replied", "value_0": "nhiều"}).content.decode()
    assert "“nhiều” không phải là số" in html


def test_ranks_share_a_position_on_ties_and_print_it_as_the_letters_do(data, users, client):
    client.force_login(users["viewer"])
    html = client.get(reverse("analysis-ranks"), {"period": "2023-H1", "key": "incoming_processed_rate",
                                                  "set": "CCHC-2023"}).content.decode()
    ranks = re.findall(r'<td class="rank">(\d+)/(\d+)</td>', html)
    reporting = MetricValue.objects.filter(period__code="2023-H1", key="incoming_total", value__gt=0).count()
    assert ranks[0] == ("01", str(reporting)) and len(ranks) >= reporting
    positions = [int(p) for p, _ in ranks[:reporting]]
    assert positions == sorted(positions)
    assert ("01", "01") in ranks[reporting:]  # the district's own index, alone in its set and period


def test_a_reviewer_recomputes_on_demand(data, users, client):
    client.force_login(users["reviewer"])
    response = client.post(reverse("analysis-recompute", args=[data.pk]))
    assert response.status_code == 302
    assert data.scores.get(criterion__code="7.3.1").computed_score is not None
    client.force_login(users["viewer"])
    assert client.post(reverse("analysis-recompute", args=[data.pk])).status_code == 403
