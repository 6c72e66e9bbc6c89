"""The CCHC-2023 half-year demo assessment reproduces seed 001 (its appendix is parsed here)."""

import re
from decimal import ROUND_HALF_UP, Decimal

from common.numbers import parse_number
from scoring.models import Assessment

from .conftest import plain, seed001_rows, seed_text


def _assessment():
    return Assessment.objects.get(criteria_set__code="CCHC-2023", period__code="2023-H1",
                                  subject__name="UBND huyện Vĩnh Linh")


def test_it_stores_every_row_of_the_seed_appendix(demo):
    scores = {s.criterion.code: s for s in _assessment().scores.select_related("criterion")}
    rows = seed001_rows()
    assert len(rows) == 27
    for row in rows:
        score = scores[row.code]
        assert plain(score.criterion.name) == row.name, row.code
        assert score.criterion.max_score == row.max, row.code
        assert score.self_score == row.self, row.code
        assert score.appraised_score == row.appraised, row.code
        assert score.deduction == row.deduction, row.code
        assert plain(score.comment) == row.comment, row.code
        assert plain(score.responsible_text) == row.responsible, row.code


def test_it_counts_27_deducted_criteria_losing_the_points_the_letter_states(demo):
    scores = list(_assessment().scores.select_related("criterion"))
    deducted = [s for s in scores if s.deduction < 0]
    letter = seed_text("001")
    stated = re.search(r"bị trừ điểm ở (\d+) tiêu chí/tiêu chí thành phần với ([\d,]+) điểm", letter)
    assert len(deducted) == int(stated.group(1))
    assert -sum(s.deduction for s in deducted) == parse_number(stated.group(2))


def test_it_gives_the_index_of_the_letter_over_an_in_scope_max_of_79(demo):
    scores = list(_assessment().scores.select_related("criterion"))
    max_total = sum(s.criterion.max_score for s in scores)
    appraised_total = sum(s.appraised_score for s in scores)
    index = (appraised_total / max_total * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    stated_index = re.search(r"đạt \*\*([\d,]+)%\*\*", seed_text("001")).group(1)
    assert max_total == 79
    assert index == parse_number(stated_index)


def test_it_scores_only_leaves_so_that_no_point_is_counted_twice(demo):
    for score in _assessment().scores.select_related("criterion"):
        assert not score.criterion.children.exists(), score.criterion.code


def test_it_labels_the_rows_added_to_reach_79_points(demo):
    seed_codes = {row.code for row in seed001_rows()}
    for score in _assessment().scores.select_related("criterion"):
        if score.criterion.code not in seed_codes:
            assert score.criterion.name.startswith("[Bổ sung để đủ phạm vi 79 điểm 6 tháng — không có trong văn bản gốc]")
            assert "không có trong văn bản gốc" in score.criterion.provenance
            assert score.appraised_score == score.criterion.max_score


def test_it_links_each_deducted_criterion_to_registry_units(demo):
    for score in _assessment().scores.select_related("criterion").prefetch_related("responsible_units"):
        if score.deduction < 0:
            names = {u.name for u in score.responsible_units.all()}
            assert names, score.criterion.code
            lead = score.criterion.responsibilities.get(is_lead=True).unit.name
            assert lead in names, score.criterion.code
