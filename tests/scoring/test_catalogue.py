"""The 2023 criteria catalogue: a tree rooted in areas, formulas in the engine's schema, one lead per criterion."""

import re
from datetime import date
from decimal import Decimal

from scoring.choices import Level, Method
from scoring.models import CriteriaSet, Criterion, Period

from .conftest import seed_text

# DOMAIN.md's canonical count keys, and the two this catalogue adds for CCHC 3.11.1 (8/112 procedures).
CANONICAL_COUNTS = {
    "incoming_total", "incoming_replied", "incoming_closed", "incoming_pending",
    "outgoing_total", "outgoing_electronic", "outgoing_paper", "outgoing_signed", "outgoing_unsigned",
    "outgoing_leader_signed",
    "dvc_partial_services", "dvc_full_services", "dvc_partial_services_with_dossiers",
    "dvc_partial_services_with_online_dossiers", "dvc_full_services_with_dossiers",
    "dvc_full_services_with_online_dossiers", "dvc_partial_online_dossiers", "dvc_partial_dossiers",
    "dvc_full_online_dossiers", "dvc_full_dossiers", "tthc_dossiers", "tthc_overdue",
    "tthc_resolved", "tthc_resolved_on_time",
}
ADDED_KEYS = {"tthc_procedures", "tthc_procedures_with_online_payment"}


def test_it_roots_every_criterion_in_an_area(demo):
    for criterion in Criterion.objects.select_related("parent"):
        chain = [criterion]
        while chain[-1].parent_id:
            chain.append(chain[-1].parent)
            assert len(chain) < 10, criterion.code
        top = chain[-1]
        assert top.level == Level.AREA, criterion.code
        assert all(c.criteria_set_id == criterion.criteria_set_id for c in chain)
        assert all(c.level != Level.AREA for c in chain[:-1]), criterion.code
        # The code says where it sits: "3.12.2" under "3.12", "I.A.1.4.b" under "I.A.1.4".
        if criterion.parent_id:
            assert criterion.code.startswith(criterion.parent.code + "."), criterion.code


def test_it_gives_a_parent_at_least_the_max_of_its_children(demo):
    for criterion in Criterion.objects.prefetch_related("children"):
        children = list(criterion.children.all())
        if children:
            assert criterion.max_score == sum((c.max_score for c in children), Decimal(0)), criterion.code


def test_it_writes_formulas_in_the_engine_schema_with_known_metric_keys(demo):
    formulas = Criterion.objects.exclude(method=Method.MANUAL)
    assert formulas.count() >= 14
    for criterion in formulas:
        formula = criterion.formula
        assert formula["basis"], criterion.code
        if formula["type"] == "reference":
            assert criterion.method == Method.REFERENCE
            assert CriteriaSet.objects.filter(code=formula["set"]).exists()
            assert Period.objects.filter(code=formula["period"]).exists()
            continue
        assert criterion.method == Method.METRIC, criterion.code
        assert formula["type"] in {"rate", "steps"}, criterion.code
        keys = set(formula["numerator"]) | set(formula["denominator"])
        assert formula["numerator"] and formula["denominator"], criterion.code
        assert keys <= CANONICAL_COUNTS | ADDED_KEYS, (criterion.code, keys - CANONICAL_COUNTS - ADDED_KEYS)


def test_it_scores_the_metric_criteria_the_seeds_show_a_calculation_for(demo):
    computed = {
        (c.criteria_set.code, c.code)
        for c in Criterion.objects.exclude(method=Method.MANUAL).select_related("criteria_set")
    }
    # Seed 001 shows the calculation for these CCHC rows ("(8/112)*1=0,07", "325/408=79.66%", "14.678 hồ sơ");
    # counts of tasks done ("18/42 nhiệm vụ") are the council's judgement and stay manual.
    shown = re.compile(r"\(\d+/\d+\)|\d+/\d+\s*=\s*\d|\d+\.\d{3} hồ sơ")
    for line in seed_text("001").splitlines():
        if re.match(r"^\d+(\.\d+)+\t", line) and shown.search(line.split("\t")[6]):
            assert ("CCHC-2023", line.split("\t")[0]) in computed, line[:10]
    # "Kết quả được trích xuất từ Phần mềm QLVB và HSCV": incoming processed, signed, leader-signed.
    for code in ("7.1.4", "7.3.1", "7.3.2"):
        assert ("CCHC-2023", code) in computed
    for code in ("II", "V.5", "VI.1", "VI.2.a", "VI.2.b", "VI.2.c"):
        assert ("HTNV-2023", code) in computed


def test_it_names_one_lead_for_every_criterion_with_responsible_units(demo):
    for criterion in Criterion.objects.prefetch_related("responsibilities"):
        responsibilities = list(criterion.responsibilities.all())
        if responsibilities:
            assert sum(r.is_lead for r in responsibilities) == 1, criterion.code


def test_it_keeps_the_class_bands_of_htnv_as_data(demo):
    bands = CriteriaSet.objects.get(code="HTNV-2023").class_bands
    labels = [band["label"] for band in bands]
    assert "Hoàn thành xuất sắc nhiệm vụ" in labels  # the class seed 004 reports for 2023
    minima = [Decimal(band["min"]) for band in bands]
    assert minima == sorted(minima, reverse=True)


def test_it_defines_the_2023_periods_from_15_december(demo):
    periods = {p.code: p for p in Period.objects.all()}
    assert {"2023-H1", "2023-R1", "2023"} <= set(periods)
    # Seed 003: "tính từ 15/12/2022 đến 14/6/2023"; seed 000: round 1 "vào ngày 08/12/2023".
    assert (periods["2023-H1"].start, periods["2023-H1"].end) == (date(2022, 12, 15), date(2023, 6, 14))
    assert "15/12/2022 đến 14/6/2023" in seed_text("003")
    assert (periods["2023-R1"].start, periods["2023-R1"].end) == (date(2022, 12, 15), date(2023, 12, 8))
    assert "lần 1 vào ngày 08/12/2023" in seed_text("000")
    assert (periods["2023"].start, periods["2023"].end) == (date(2022, 12, 15), date(2023, 12, 14))
    assert [periods[c].kind for c in ("2023-H1", "2023-R1", "2023")] == ["half_year", "round", "year"]
