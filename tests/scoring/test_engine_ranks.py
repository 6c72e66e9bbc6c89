"""Ranks: ties share a rank, the next rank skips, printed as the letters print them ("01/10")."""

from decimal import Decimal

from scoring.engine import Rank, format_rank, rank


def test_it_gives_tied_units_the_same_rank_and_skips_the_next():
    ranks = rank({"a": Decimal("70.37"), "b": Decimal("70.37"), "c": Decimal("65"), "d": Decimal("80")})
    assert {unit: r.position for unit, r in ranks.items()} == {"d": 1, "a": 2, "b": 2, "c": 4}
    assert all(r.of == 4 for r in ranks.values())


def test_it_ranks_ascending_when_lower_is_better():
    # e.g. overdue dossiers (seed 003: "Có 28 hồ sơ quá hạn … đứng thứ 6/10").
    ranks = rank({"a": Decimal(28), "b": Decimal(0), "c": Decimal(5)}, descending=False)
    assert [str(ranks[u]) for u in "abc"] == ["03/03", "01/03", "02/03"]


def test_it_leaves_units_without_a_value_unranked():
    ranks = rank({"a": Decimal(1), "b": None, "c": Decimal(2)})
    assert set(ranks) == {"a", "c"} and ranks["c"] == Rank(1, 2)


def test_it_prints_ranks_zero_padded_to_two_digits_at_least():
    assert format_rank(1, 10) == "01/10"
    assert format_rank(5, 10) == "05/10"
    assert format_rank(7, 120) == "007/120"
    assert str(Rank(3, 8)) == "03/08"
