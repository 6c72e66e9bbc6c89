"""Criteria sets to and from xlsx: a lossless round trip, and bad files refused with nothing written."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from scoring.criteria_io import COLUMNS, SHEET, CriteriaImportError, export_criteria_set, import_criteria_set
from scoring.models import CriteriaSet, Criterion

IMPORT_ARGS = dict(name="Bộ chép lại", year=2024, kind="cchc", subject_kind="district")


def _cells(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()


@pytest.fixture
def exported(demo, tmp_path):
    path = tmp_path / "cchc_2023.xlsx"
    export_criteria_set(CriteriaSet.objects.get(code="CCHC-2023"), path)
    return path


def _edit(path, tmp_path, edit):
    """Copy the exported workbook with one change made by ``edit(sheet)``."""
    workbook = load_workbook(path)
    edit(workbook[SHEET])
    changed = tmp_path / "changed.xlsx"
    workbook.save(changed)
    return changed


def _row_of(sheet, code):
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == code)


def test_it_round_trips_a_set_through_a_spreadsheet(exported, tmp_path):
    copy = import_criteria_set(exported, code="CCHC-COPY", **IMPORT_ARGS)
    again = tmp_path / "again.xlsx"
    export_criteria_set(copy, again)
    first, second = _cells(exported), _cells(again)
    assert len(first) == Criterion.objects.filter(criteria_set__code="CCHC-2023").count() + 1
    assert first == second
    original = {c.code: c for c in Criterion.objects.filter(criteria_set__code="CCHC-2023").select_related("parent")}
    for criterion in copy.criteria.select_related("parent"):
        source = original[criterion.code]
        assert (criterion.name, criterion.max_score, criterion.formula, criterion.method, criterion.level) == (
            source.name, source.max_score, source.formula, source.method, source.level)
        assert (criterion.parent.code if criterion.parent else None) == (source.parent.code if source.parent else None)
        assert set(criterion.responsibilities.values_list("unit__name", "is_lead")) == set(
            source.responsibilities.values_list("unit__name", "is_lead"))


def _refused(path):
    before = (CriteriaSet.objects.count(), Criterion.objects.count())
    with pytest.raises(CriteriaImportError) as caught:
        import_criteria_set(path, code="BAD", **IMPORT_ARGS)
    assert (CriteriaSet.objects.count(), Criterion.objects.count()) == before
    assert not CriteriaSet.objects.filter(code="BAD").exists()
    return "\n".join(caught.value.messages)


def test_it_refuses_a_missing_column(exported, tmp_path):
    path = _edit(exported, tmp_path, lambda sheet: sheet.delete_cols(5))
    message = _refused(path)
    assert f'Trang tính "{SHEET}", dòng 1: thiếu cột "Điểm tối đa"' in message


def test_it_refuses_a_max_that_is_not_a_number(exported, tmp_path):
    def edit(sheet):
        sheet.cell(_row_of(sheet, "1.2"), 5).value = "bốn điểm"
    path = _edit(exported, tmp_path, edit)
    row = _row_of(load_workbook(path)[SHEET], "1.2")
    message = _refused(path)
    assert f'Trang tính "{SHEET}", dòng {row}, cột "Điểm tối đa": giá trị "bốn điểm"' in message
    assert "cần một số" in message


def test_it_refuses_an_unknown_parent(exported, tmp_path):
    def edit(sheet):
        sheet.cell(_row_of(sheet, "3.12.2"), 4).value = "3.99"
    path = _edit(exported, tmp_path, edit)
    row = _row_of(load_workbook(path)[SHEET], "3.12.2")
    message = _refused(path)
    assert f'dòng {row}, cột "Mã tiêu chí cha": giá trị "3.99"' in message


def test_it_refuses_an_unknown_unit(exported, tmp_path):
    def edit(sheet):
        sheet.cell(_row_of(sheet, "1.2"), 10).value = "Phòng Nội vụ; Phòng Không Có"
    path = _edit(exported, tmp_path, edit)
    row = _row_of(load_workbook(path)[SHEET], "1.2")
    message = _refused(path)
    assert f'dòng {row}, cột "{COLUMNS[9].header}": giá trị "Phòng Không Có"' in message
    assert "danh mục đơn vị" in message


def test_it_reports_every_problem_at_once(exported, tmp_path):
    def edit(sheet):
        sheet.cell(_row_of(sheet, "1.2"), 5).value = "x"
        sheet.cell(_row_of(sheet, "1.6"), 7).value = "{không phải json"
    message = _refused(_edit(exported, tmp_path, edit))
    assert '"Điểm tối đa"' in message and '"Công thức (JSON)"' in message


def test_it_refuses_to_overwrite_an_existing_set(exported):
    with pytest.raises(CriteriaImportError, match="đã có"):
        import_criteria_set(exported, code="CCHC-2023", **IMPORT_ARGS)


def test_it_imports_and_exports_through_the_commands(demo, tmp_path, capsys):
    first = tmp_path / "first.xlsx"
    call_command("export_criteria", "--set", "HTNV-2023", "-o", str(first))
    call_command("import_criteria", str(first), "--set", "HTNV-COPY", "--name", "Bản chép", "--year", "2024",
                 "--kind", "htnv", "--subject-kind", "district")
    second = tmp_path / "second.xlsx"
    call_command("export_criteria", "--set", "HTNV-COPY", "-o", str(second))
    assert _cells(first) == _cells(second)
    assert "Đã nhập bộ tiêu chí HTNV-COPY" in capsys.readouterr().out
    with pytest.raises(CommandError, match="chưa ghi gì"):
        call_command("import_criteria", str(first), "--set", "HTNV-COPY", "--name", "x", "--year", "2024",
                     "--kind", "htnv", "--subject-kind", "district")
