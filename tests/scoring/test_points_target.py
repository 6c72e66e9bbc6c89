"""The points list costs a criterion up to a target the reader types, not only up to its max: for
CCHC 7.1.4 (documents processed / received, over the district) the count it prints is the smallest
whole number of documents that lifts the half-up score to the target, found here by counting."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse

from common.numbers import format_number
from documents.models import MetricValue
from scoring.computing import compute_assessment

from .test_analysis_pages import data, users  # noqa: F401  (fixtures)


def score(processed: int, total: int, max_score: Decimal) -> Decimal:
    return (max_score * processed / total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_it_says_how_many_more_documents_reach_a_typed_target(data, users, client):
    line = compute_assessment(data).line("7.1.4")
    values = MetricValue.objects.filter(period=data.period, key__in=["incoming_total", "incoming_replied",
                                                                    "incoming_closed"])
    total = int(sum(v.value for v in values if v.key == "incoming_total"))
    processed = int(sum(v.value for v in values if v.key != "incoming_total"))
    max_score = line.criterion.max_score
    target = line.computed.score + Decimal("0.05")
    assert target < max_score and score(processed, total, max_score) == line.computed.score
    needed = next(x for x in range(total - processed + 1) if score(processed + x, total, max_score) >= target)

    client.force_login(users["reviewer"])
    url = reverse("analysis-points", args=[data.pk])
    html = client.get(url, {"muc_tieu_7.1.4": format_number(target)}).content.decode()

    sentence = f"cần thêm {format_number(needed)} văn bản đến"
    assert re.search(rf"{re.escape(sentence)} [^.]*để 7\.1\.4 đạt {re.escape(format_number(target))} điểm", html)
    assert 'name="muc_tieu_7.1.4"' in html and f'value="{format_number(target)}"' in html


def test_a_target_above_the_max_or_not_a_number_is_said_so(data, users, client):
    client.force_login(users["reviewer"])
    url = reverse("analysis-points", args=[data.pk])

    above = client.get(url, {"muc_tieu_7.1.4": "9"}).content.decode()
    garbled = client.get(url, {"muc_tieu_7.1.4": "hai điểm"}).content.decode()

    assert "Điểm mục tiêu vượt điểm tối đa của tiêu chí." in above
    assert "Mục tiêu của 7.1.4 phải là một số điểm không âm" in garbled and "hai điểm" in garbled
    assert "đạt tối đa" in garbled  # the list still costs every criterion up to its max
