"""Each seed appendix, laid out as the exports come, reads with exactly the letter's values."""

import pytest

from documents.importing import read_file

from .seeds import APPENDICES, LAYOUTS, expected_codes, expected_values, write_layout, write_xls

CASES = [(appendix, layout) for appendix, layouts in LAYOUTS.items() for layout in layouts]


def values_by_name(report):
    return {row.name: {key: cell.value for key, cell in row.values.items()} for row in report.rows}


@pytest.mark.parametrize("appendix,layout", CASES)
def test_it_reads_every_seed_appendix_with_the_letters_values(appendix, layout, tmp_path):
    path = write_layout(appendix, layout, tmp_path)

    report = read_file(path)

    assert [m.text for m in report.errors] == []
    assert report.source == APPENDICES[appendix]["source"]
    assert values_by_name(report) == expected_values(appendix)


@pytest.mark.parametrize("appendix", ["002-1", "002-2"])
@pytest.mark.parametrize("layout", ["as_exported", "reordered"])
def test_it_reads_the_unit_qlvb_id_from_the_id_column_nearest_the_name(appendix, layout, tmp_path):
    report = read_file(write_layout(appendix, layout, tmp_path))

    assert {row.name: row.code for row in report.rows} == expected_codes(appendix)


@pytest.mark.parametrize("layout", LAYOUTS["000-1"])
def test_it_flags_the_two_wrong_total_rows_of_seed_000(layout, tmp_path):
    report = read_file(write_layout("000-1", layout, tmp_path))

    flagged = {(m.value, m.expected) for m in report.warnings}
    assert ("13,2", "29,2") in flagged
    assert ("88,1", "61,9") in flagged
    wrong_totals = [m for m in report.warnings if ("13,2", "29,2") == (m.value, m.expected)]
    assert "Tổng số" in wrong_totals[0].text and f"dòng {wrong_totals[0].row}" in wrong_totals[0].text
    # Total rows are checked, never stored.
    assert not any(row.name.startswith(("Tổng", "TỔNG")) for row in report.rows)


@pytest.mark.parametrize("appendix", ["000-2", "000-3", "002-1", "003-1"])
def test_it_does_not_flag_honest_rounding(appendix, tmp_path):
    report = read_file(write_layout(appendix, "as_exported", tmp_path))

    assert [m.text for m in report.warnings] == []


def test_it_explains_the_leader_signing_rate_of_seed_002(tmp_path):
    """Seed 002 divides leader-signed documents by signed ones, DOMAIN.md by all outgoing ones."""
    report = read_file(write_layout("002-2", "as_exported", tmp_path))

    assert report.warnings
    assert all("khớp với cách tính Văn bản đi lãnh đạo ký số / Văn bản đi ký số" in m.text for m in report.warnings)


def test_it_checks_the_district_total_row_of_seed_003(tmp_path):
    report = read_file(write_layout("003-1", "as_exported", tmp_path))

    (total,) = report.totals
    assert total.label == "Toàn huyện" and len(total.covers) == len(expected_values("003-1"))
    assert total.values["tthc_overdue"].value == sum(
        v.get("tthc_overdue", 0) for v in expected_values("003-1").values())


@pytest.mark.parametrize("appendix", ["000-1", "002-1", "003-1"])
def test_it_reads_a_legacy_xls_export(appendix, tmp_path):
    report = read_file(write_xls(appendix, tmp_path))

    assert [m.text for m in report.errors] == []
    assert values_by_name(report) == expected_values(appendix)
    assert report.rows[0].sheet == "Báo cáo"
