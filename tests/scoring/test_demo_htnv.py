"""The HTNV-2023 demo assessments reproduce seed 004 (the year) and seed 000 (round 1)."""

import re

from common.numbers import parse_number
from scoring.models import Assessment
from units.text import fold

from .conftest import plain, seed004_rows, seed004_total_deduction, seed_text


def _scores(period_code):
    assessment = Assessment.objects.get(criteria_set__code="HTNV-2023", period__code=period_code,
                                        subject__name="UBND huyện Vĩnh Linh")
    return {s.criterion.code: s for s in assessment.scores.select_related("criterion").prefetch_related("responsible_units")}


def test_it_stores_the_14_deducted_criteria_of_the_plan(demo):
    scores = _scores("2023")
    rows = seed004_rows()
    assert len(rows) == 14
    assert set(scores) == {row.code for row in rows}
    for row in rows:
        score = scores[row.code]
        assert plain(score.criterion.name) == row.name, row.code
        assert score.criterion.max_score == row.max, row.code
        assert score.appraised_score == row.appraised, row.code
        assert score.deduction == row.deduction, row.code
        assert plain(score.comment) == row.comment, row.code
        assert plain(score.responsible_text) == row.responsible, row.code


def test_it_totals_the_deductions_the_plan_states(demo):
    total = sum(s.deduction for s in _scores("2023").values())
    assert total == seed004_total_deduction()
    assert len([s for s in _scores("2023").values() if s.deduction < 0]) == 14


def test_it_links_every_unit_the_plan_names_with_the_first_one_leading(demo):
    for row in seed004_rows():
        score = _scores("2023")[row.code]
        text = fold(row.responsible)  # folding absorbs "Văn hoá"/"Văn hóa", "chỉ huy"/"Chỉ huy"
        units = list(score.responsible_units.all())
        assert units, row.code
        for unit in units:
            assert fold(unit.name) in text, (row.code, unit.name)
        lead = score.criterion.responsibilities.get(is_lead=True).unit
        assert text.startswith(fold(lead.name)), row.code
        assert {r.unit for r in score.criterion.responsibilities.all()} == set(units), row.code


def test_it_keeps_the_round_1_scores_of_the_it_criteria(demo):
    scores = _scores("2023-R1")
    text = seed_text("000")
    expected = {}
    for code in ("VI.2.a", "VI.2.b", "VI.2.c"):
        name = re.escape(scores[code].criterion.name)
        match = re.search(name + r"(?: đạt)? ([\d,]+)/(\d+) điểm", text)
        expected[code] = (parse_number(match.group(1)), parse_number(match.group(2)))
    match = re.search(r"trừ hồ sơ xử lý theo văn bản mật đạt [\d,]+%, đạt ([\d,]+)/(\d+) điểm", text)
    expected["VI.1"] = (parse_number(match.group(1)), parse_number(match.group(2)))
    assert set(scores) == set(expected)
    for code, (points, maximum) in expected.items():
        assert scores[code].appraised_score == points, code
        assert scores[code].criterion.max_score == maximum, code


def test_it_adds_up_round_1_dvctt_to_the_letters_total(demo):
    scores = _scores("2023-R1")
    stated = re.search(r"đạt ([\d,]+)/20 điểm", seed_text("000")).group(1)
    assert sum(scores[c].appraised_score for c in ("VI.2.a", "VI.2.b", "VI.2.c")) == parse_number(stated)
