"""An issued metric letter freezes its own authority's figures only: Vĩnh Linh's document-processing
letter of a period the province also holds figures of freezes Vĩnh Linh's units, and a later import
of the province's file changes neither its hash nor what it prints."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from documents.importing.run import import_file
from documents.models import MetricValue
from reports.freezing import LetterIssueError, freeze, issue_letter, reissue_letter
from reports.rendering_service import render_and_store
from reports.services import draft_for
from units import demo as units_demo
from units.access import subtree_ids
from units.choices import Role
from units.models import Unit

from .conftest import pdf_text
from .test_period_letters_per_authority import period  # noqa: F401 - the fixture: both files imported into 2024

PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))["authority"]
VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))["authority"]
PROVINCE_INCOMING = Path(settings.BASE_DIR) / "fixtures" / "demo" / "quang_tri_minh_hoa_2024_van-ban-den.xlsx"




def root(authority: dict) -> Unit:
    return Unit.objects.get(name=authority["name"])


def names_with_figures(authority: dict) -> set[str]:
    return set(MetricValue.objects.filter(period__code="2024", unit_id__in=subtree_ids(root(authority)))
               .values_list("unit__name", flat=True))


def province_values() -> dict:
    rows = MetricValue.objects.filter(period__code="2024", unit_id__in=subtree_ids(root(PROVINCE)))
    return {(unit, key): value for unit, key, value in rows.values_list("unit__name", "key", "value")}


@pytest.fixture
def issuer(period, make_user):
    return make_user("reviewer_huyen", Role.REVIEWER, root(VINH_LINH))


@pytest.fixture
def issued(period, issuer):
    letter = draft_for("document-processing", period, None, acting_user=issuer)
    version = issue_letter(letter, acting_user=issuer, number="215", date=date(2025, 1, 10))
    return letter, version


def test_freezing_a_vinh_linh_letter_freezes_only_vinh_linhs_units(issued):
    letter, version = issued

    frozen = json.loads(version.facts)["metrics"]

    assert letter.authority == root(VINH_LINH)
    assert set(frozen) == names_with_figures(VINH_LINH)
    assert names_with_figures(PROVINCE) and not set(frozen) & names_with_figures(PROVINCE)


def test_a_later_import_of_the_provinces_file_changes_neither_its_hash_nor_its_text(issued, issuer, period, tmp_path,
                                                                                    poppler):
    letter, version = issued
    render_and_store(letter.pk, "pdf")
    letter.refresh_from_db()
    before = pdf_text(Path(letter.pdf.path))
    book = load_workbook(PROVINCE_INCOMING)
    book.active["D6"] = book.active["D6"].value + 10  # ten more documents, all pending
    book.active["H6"] = book.active["H6"].value + 10
    book.save(tmp_path / "van-ban-den-tinh-sua.xlsx")
    old_values = province_values()

    assert import_file(tmp_path / "van-ban-den-tinh-sua.xlsx", period=period).stored.superseded

    assert province_values() != old_values  # the province's figures of the period did change
    assert freeze(letter)[1] == version.sha256
    with pytest.raises(LetterIssueError, match="không đổi"):
        reissue_letter(letter, acting_user=issuer, reason="Tỉnh nhập lại số liệu")
    render_and_store(letter.pk, "pdf")
    letter.refresh_from_db()
    assert pdf_text(Path(letter.pdf.path)) == before
