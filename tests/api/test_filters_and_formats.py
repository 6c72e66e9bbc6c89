"""What scripts rely on: filters by period code, unit, key and source; decimals as strings; dates in
ISO 8601; Vietnamese text intact in UTF-8 JSON; the assessment totals of seed 001."""

import json
import re
from decimal import Decimal

from documents.models import MetricValue
from scoring.models import Assessment
from tests.scoring.conftest import seed001_rows, seed_text

from .conftest import client_for


def test_it_filters_metrics_by_period_code_unit_key_and_source(world):
    client = client_for(world, "viewer")
    response = client.get("/api/v1/metrics/", {"period": "2023-H1", "unit": world.own.pk, "key": "incoming_total",
                                               "source": "incoming"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    stored = MetricValue.objects.get(unit=world.own, period__code="2023-H1", key="incoming_total")
    assert (row["unit"], row["period"], row["key"], row["source"]) == (world.own.pk, "2023-H1", "incoming_total", "incoming")
    assert Decimal(row["value"]) == stored.value

    assert client.get("/api/v1/metrics/", {"period": "2023-R1"}).json()["count"] == 0
    assert client.get("/api/v1/metrics/", {"source": "outgoing"}).json()["count"] == 0
    every_h1 = client.get("/api/v1/metrics/", {"period": "2023-H1", "key": "incoming_total"}).json()
    assert every_h1["count"] == MetricValue.objects.filter(period__code="2023-H1", key="incoming_total").count() > 1


def test_it_gives_the_half_year_index_of_seed_001(world):
    """Seed 001: "đạt 70,37%", "bị trừ điểm ở 27 tiêu chí … với 23,41 điểm" — read from the letter."""
    text = seed_text("001")
    index = re.search(r"đạt \**([\d,]+)%", text).group(1).replace(",", ".")
    count, points = re.search(r"bị trừ điểm ở (\d+) tiêu chí.*? với ([\d,]+) điểm", text).groups()
    assert len(seed001_rows()) == int(count)

    response = client_for(world, "viewer").get("/api/v1/assessments/", {"period": "2023-H1", "criteria_set": "CCHC-2023"})
    (row,) = response.json()["results"]
    assert row["totals"]["index_percent"] == index
    assert row["totals"]["deducted_count"] == int(count)
    assert row["totals"]["deduction_total"] == "-" + points.replace(",", ".")
    assert row["subject_name"] == "UBND huyện Vĩnh Linh"


def test_it_writes_scores_as_strings_and_dates_in_iso_8601(world):
    client = client_for(world, "reviewer")
    score = client.get(f"/api/v1/scores/{world.score.pk}/").json()
    assert score["max_score"] == f"{world.score.criterion.max_score:.2f}"
    assert isinstance(score["appraised_score"], str) and isinstance(score["deduction"], str)
    assert Decimal(score["deduction"]) == world.score.appraised_score - world.score.criterion.max_score
    period = client.get("/api/v1/periods/", {"code": "2023-H1"}).json()["results"][0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", period["start"]) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", period["end"])
    assert re.match(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", score["updated_at"])


def test_it_keeps_vietnamese_text_intact(world):
    response = client_for(world, "viewer").get(f"/api/v1/units/{world.own.pk}/")
    assert response["Content-Type"].startswith("application/json")
    raw = response.content.decode("utf-8")
    assert "UBND xã Vĩnh Khê" in raw  # written as UTF-8, not \\u escapes
    assert json.loads(raw)["kind_display"] == "Xã"


def test_it_orders_and_paginates(world):
    client = client_for(world, "viewer")
    page = client.get("/api/v1/units/", {"ordering": "-name"}).json()
    names = [u["name"] for u in page["results"]]
    assert names == sorted(names, reverse=True)
    assert page["count"] > len(page["results"]) or page["next"] is None


def test_it_filters_assessments_and_scores_by_codes(world):
    client = client_for(world, "viewer")
    ids = {a["id"] for a in client.get("/api/v1/assessments/", {"period": "2023"}).json()["results"]}
    assert ids == set(Assessment.objects.filter(period__code="2023").values_list("id", flat=True))
    scores = client.get("/api/v1/scores/", {"assessment": world.assessment.pk, "criterion": world.score.criterion.code})
    assert [s["id"] for s in scores.json()["results"]] == [world.score.pk]
