"""Unit succession: three communes merge, one splits; figures before the date stay with the old
units and roll up into the successor; old files still resolve old names (fixture data only)."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from documents.importing.run import import_file
from documents.metrics import METRICS, rate_of
from documents.models import MetricValue
from scoring import demo as scoring_demo
from scoring.models import Assessment, Period
from units import demo as units_demo
from units.choices import SuccessionKind
from units.matching import UnitMatcher
from units.models import Unit, UnitSuccession
from units.succession import lineage_units, record_succession, rolled_up_index, rolled_up_metrics

FIXTURE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))
MANIFEST = json.loads(scoring_demo.PROVINCE_SPREADSHEETS.read_text(encoding="utf-8"))
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


def succession(kind):
    return next(s for s in FIXTURE["successions"] if s["kind"] == kind)


MERGE, SPLIT, RENAME = succession("merge"), succession("split"), succession("rename")
EFFECTIVE = date.fromisoformat(MERGE["effective_date"])


@pytest.fixture
def province(db):
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    scoring_demo.load_province()


@pytest.fixture
def imported(province):
    """Both demo spreadsheets imported through the pipeline, each for its own period."""
    for name, entry in MANIFEST.items():
        outcome = import_file(DEMO / name, period=Period.objects.get(code=entry["period"]), source=entry["source"])
        assert not outcome.report.refused, [m.text for m in outcome.report.errors]


def unit(name) -> Unit:
    return Unit.objects.get(name=name)


def file_rows(period_code):
    return next(e["rows"] for e in MANIFEST.values() if e["period"] == period_code)


def test_it_keeps_the_old_units_inactive_in_the_registry(province):
    merged = [unit(n) for n in MERGE["predecessors"]]
    assert len(merged) == 3 and not any(u.active for u in merged)
    assert unit(MERGE["successors"][0]).active
    record = UnitSuccession.objects.get(kind=SuccessionKind.MERGE, successors=unit(MERGE["successors"][0]))
    assert record.effective_date == EFFECTIVE and record.predecessors.count() == 3


def test_it_loads_the_registry_twice_without_a_second_succession(province):
    before = UnitSuccession.objects.count()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    assert UnitSuccession.objects.count() == before == len(FIXTURE["successions"])


def test_it_refuses_a_merge_of_one_unit(province):
    a, b = unit(MERGE["predecessors"][0]), unit(MERGE["successors"][0])
    with pytest.raises(ValidationError):
        record_succession(kind=SuccessionKind.MERGE, predecessors=[a], successors=[b], effective_date=EFFECTIVE)


def test_the_lineage_of_a_merged_commune_before_the_date_is_its_three_predecessors(province):
    successor = unit(MERGE["successors"][0])
    before = lineage_units(successor, date(2024, 12, 14))
    assert sorted(u.name for u in before) == sorted(MERGE["predecessors"])
    assert lineage_units(successor, date(2025, 12, 14)) == [successor]
    # A predecessor has no figures of its own after it ended: they are its successor's.
    assert lineage_units(unit(MERGE["predecessors"][0]), date(2025, 12, 14)) == []


def test_a_split_is_not_apportioned(province):
    old, new = unit(SPLIT["predecessors"][0]), [unit(n) for n in SPLIT["successors"]]
    for successor in new:
        assert lineage_units(successor, date(2024, 12, 14)) == []
    assert lineage_units(old, date(2024, 12, 14)) == [old]


def test_metrics_before_the_date_stay_with_the_old_units(imported):
    for period_code in ("2024", "2025"):
        stored = dict(MetricValue.objects.filter(period__code=period_code, key="incoming_total")
                      .values_list("unit__name", "value"))
        assert stored == {r["unit"]: Decimal(r["incoming_total"]) for r in file_rows(period_code)}


def test_the_merged_commune_trend_sums_its_predecessors_counts_and_recomputes_the_rate(imported):
    successor = unit(MERGE["successors"][0])
    periods = list(Period.objects.filter(code__in=["2024", "2025"]).order_by("start"))
    trend = rolled_up_metrics(successor, periods)
    # Expected from the spreadsheet rows: the 2024 file names each predecessor (by an alias).
    by_unit = {r["unit"]: r for r in file_rows("2024")}
    predecessors = [by_unit[name] for name in MERGE["predecessors"]]
    for key in ("incoming_total", "incoming_replied", "incoming_closed", "incoming_pending"):
        assert trend["2024"][key] == sum(Decimal(r[key]) for r in predecessors)
    summed = {k: sum(Decimal(r[k]) for r in predecessors) for k in ("incoming_replied", "incoming_closed",
                                                                   "incoming_total")}
    assert trend["2024"]["incoming_processed_rate"] == rate_of(METRICS["incoming_processed_rate"], summed)
    own = next(r for r in file_rows("2025") if r["unit"] == successor.name)
    assert trend["2025"]["incoming_total"] == Decimal(own["incoming_total"])


def test_the_renamed_commune_trend_is_the_old_towns(imported):
    renamed = unit(RENAME["successors"][0])
    periods = list(Period.objects.filter(code__in=["2024", "2025"]))
    trend = rolled_up_metrics(renamed, periods)
    town = next(r for r in file_rows("2024") if r["unit"] == RENAME["predecessors"][0])
    assert trend["2024"]["incoming_total"] == Decimal(town["incoming_total"])


def test_a_split_commune_shows_nothing_before_the_split(imported):
    periods = list(Period.objects.filter(code__in=["2024", "2025"]))
    trend = rolled_up_metrics(unit(SPLIT["successors"][0]), periods)
    assert trend["2024"] == {} and trend["2025"]["incoming_total"] > 0


def test_the_rolled_up_index_pools_the_predecessors_scores(province):
    successor = unit(MERGE["successors"][0])
    periods = list(Period.objects.filter(code__in=["2024", "2025"]))
    index = rolled_up_index(successor, periods)
    data = json.loads((DEMO / "quang_tri_minh_hoa_assessments.json").read_text(encoding="utf-8"))
    rows = [a for a in data["assessments"] if a["period"] == "2024" and a["subject"] in MERGE["predecessors"]]
    appraised = sum(Decimal(s["appraised"].replace(",", ".")) for a in rows for s in a["scores"])
    maximum = sum(Decimal(s["max_in_source"]) for a in rows for s in a["scores"])
    assert index["2024"].units == tuple(sorted(MERGE["predecessors"]))
    assert index["2024"].index_percent == appraised / maximum * 100
    # The old assessments are untouched: still one per predecessor, none for the successor in 2024.
    assert Assessment.objects.filter(period__code="2024", subject__name__in=MERGE["predecessors"]).count() == 3
    assert not Assessment.objects.filter(period__code="2024", subject=successor).exists()


def test_an_old_name_resolves_to_the_unit_valid_at_the_period_end(province):
    matcher = UnitMatcher()
    old_town, new_commune = unit(RENAME["predecessors"][0]), unit(RENAME["successors"][0])
    # Both bear the short name "Gio Sơn": without a date the name is ambiguous, never guessed.
    assert new_commune.short_name == old_town.short_name
    assert matcher.match(old_town.short_name).ambiguous
    assert matcher.as_of(date(2024, 12, 14)).match(old_town.short_name).unit == old_town
    assert matcher.as_of(date(2025, 12, 14)).match(old_town.short_name).unit == new_commune


def test_a_gone_unit_is_reported_with_its_successor_and_followed_only_when_asked(province):
    old_name = MERGE["predecessors"][0]
    after = date(2025, 12, 14)
    found = UnitMatcher().as_of(after).match(old_name)
    assert found.unit is None
    assert MERGE["successors"][0] in found.message and "01/07/2025" in found.message
    followed = UnitMatcher().as_of(after, follow_successors=True).match(old_name)
    assert followed.unit == unit(MERGE["successors"][0])
    # A split has two successors: following cannot choose, so the name stays unresolved.
    assert UnitMatcher().as_of(after, follow_successors=True).match(SPLIT["predecessors"][0]).unit is None


def test_an_old_file_imported_after_the_merge_still_finds_the_old_communes(imported):
    """Re-reading the 2024 file today (its spellings "Xã Bến Hải Bắc" …) resolves every name to the unit
    of 2024, the old communes and the town, never to their successors."""
    outcome = import_file(DEMO / "quang_tri_minh_hoa_2024_van-ban-den.xlsx", period=Period.objects.get(code="2024"),
                          source="incoming", dry_run=True)
    assert not outcome.report.refused
    assert outcome.report.matched == {r["name"]: r["unit"] for r in file_rows("2024")}


def test_the_old_file_is_refused_for_a_period_after_the_merge(province):
    outcome = import_file(DEMO / "quang_tri_minh_hoa_2024_van-ban-den.xlsx", period=Period.objects.get(code="2025"),
                          source="incoming", dry_run=True)
    assert outcome.report.refused
    assert any(MERGE["successors"][0] in m.text for m in outcome.report.errors)


def test_a_split_communes_scores_before_the_split_stay_on_the_old_commune(province):
    periods = list(Period.objects.filter(code__in=["2024", "2025"]))
    old = unit(SPLIT["predecessors"][0])
    for name in SPLIT["successors"]:
        index = rolled_up_index(unit(name), periods)
        assert "2024" not in index and index["2025"].units == (name,)
    assert rolled_up_index(old, periods)["2024"].units == (old.name,)
