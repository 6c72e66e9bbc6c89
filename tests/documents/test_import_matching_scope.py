"""An import matches names in the uploader's tree: with both demo authorities loaded and a commune of
the same name in each tree, a reviewer bound to an authority imports the figures of their own commune,
and an import with no bound uploader (an unbound reviewer, the nightly import) refuses the file,
naming both communes, their authorities and the file, sheet and row."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from documents.importing.run import import_file
from documents.models import MetricValue
from scoring.models import Period
from units.choices import Role
from units.models import Unit

from ..units.test_matching_scope import PROVINCE_ROOT, SHARED, VINH_LINH_ROOT, add_twin_communes
from .conftest import table_dump
from .test_imports_per_authority import PROVINCE_INCOMING

FIRST_ROW = 6  # the province export's first unit row, below its two header rows


@pytest.fixture
def twin_communes(both_authorities) -> dict[str, Unit]:
    return add_twin_communes()


@pytest.fixture
def one_commune_file(tmp_path):
    """The province's incoming export cut to one row, which names the shared commune."""
    book = load_workbook(PROVINCE_INCOMING)
    sheet = book.active
    sheet.delete_rows(FIRST_ROW + 1, sheet.max_row - FIRST_ROW)
    sheet.cell(FIRST_ROW, 3).value = SHARED
    path = tmp_path / "van-ban-den-hai-thai.xlsx"
    book.save(path)
    return path, sheet.title, {"incoming_total": Decimal(sheet.cell(FIRST_ROW, 4).value)}


@pytest.fixture
def bound_reviewers(twin_communes, make_user):
    return {
        "province": get_user_model().objects.get(username="reviewer_tinh"),
        "district": make_user("reviewer_huyen", Role.REVIEWER, Unit.objects.get(name=VINH_LINH_ROOT)),
    }


@pytest.mark.parametrize("side", ["province", "district"])
def test_a_bound_reviewers_import_stores_the_figures_of_their_own_trees_commune(
    twin_communes, bound_reviewers, one_commune_file, side
):
    path, _sheet, figures = one_commune_file

    outcome = import_file(path, period=Period.objects.get(code="2024"), acting_user=bound_reviewers[side])

    assert not outcome.report.refused, [m.text for m in outcome.report.errors]
    assert outcome.report.matched == {SHARED: twin_communes[side].name}
    other = "district" if side == "province" else "province"
    stored = MetricValue.objects.filter(period__code="2024", key="incoming_total")
    assert stored.get(unit=twin_communes[side]).value == figures["incoming_total"]
    assert not stored.filter(unit=twin_communes[other]).exists()


@pytest.mark.parametrize("uploader", ["nightly", "unbound reviewer"])
def test_an_import_without_a_bound_uploader_reports_the_name_as_ambiguous(
    twin_communes, one_commune_file, uploader, reviewer_everywhere
):
    path, sheet, _figures = one_commune_file
    acting_user = None if uploader == "nightly" else reviewer_everywhere
    before = table_dump()

    outcome = import_file(path, period=Period.objects.get(code="2024"), acting_user=acting_user)

    assert outcome.report.refused and outcome.stored is None
    (error,) = outcome.report.errors
    assert f"Tệp {path.name}, trang «{sheet}», dòng {FIRST_ROW}" in error.text
    assert f"{twin_communes['district'].name} (thuộc {VINH_LINH_ROOT})" in error.text
    assert f"{twin_communes['province'].name} (thuộc {PROVINCE_ROOT})" in error.text
    assert outcome.report.unmatched == [SHARED]
    assert table_dump() == before
