"""Each authority keeps its own current file of a source and period: the province importing its
'incoming' export for a period leaves Vĩnh Linh's file of the same source and period current, with
all its values, and the other way round; re-imports and the nightly import replace only their own
authority's figures; a file mixing two authorities' units is refused with a message naming them."""

import importlib
import json
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from documents import nightly
from documents.choices import BatchStatus
from documents.importing.run import import_file
from documents.models import ImportBatch, MetricValue
from reports.facts import BUILDERS
from scoring.demo import PROVINCE_PERIODS_FILE, load_periods
from scoring.models import Period
from units import demo as units_demo
from units.access import subtree_ids
from units.choices import Role
from units.models import Unit

from .conftest import table_dump

SPREADSHEETS = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets"
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"
VINH_LINH_INCOMING = SPREADSHEETS / "2023-H1_phu-luc-1_van-ban-den.xlsx"
VINH_LINH_OTHER_INCOMING = SPREADSHEETS / "2023-R1_phu-luc-2_van-ban-den.xlsx"
PROVINCE_INCOMING = DEMO / "quang_tri_minh_hoa_2024_van-ban-den.xlsx"


@pytest.fixture
def both(db):
    units_demo.load_registry()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    units_demo.create_fixture_users(units_demo.PROVINCE_FILE)
    load_periods(PROVINCE_PERIODS_FILE)
    return Period.objects.get(code="2024")


def root_named(fixture: Path) -> Unit:
    return Unit.objects.get(name=json.loads(fixture.read_text(encoding="utf-8"))["authority"]["name"])


@pytest.fixture
def vinh_linh(both):
    return root_named(units_demo.REGISTRY_FILE)


@pytest.fixture
def province(both):
    return root_named(units_demo.PROVINCE_FILE)


def values_of(root: Unit) -> dict:
    return {(v.unit_id, v.key): v.value
            for v in MetricValue.objects.filter(unit_id__in=subtree_ids(root), period__code="2024")}


def current(source: str = "incoming") -> dict[int, ImportBatch]:
    return {b.authority_id: b for b in ImportBatch.objects.filter(source=source, status=BatchStatus.IMPORTED)}


def test_both_authorities_keep_their_own_current_batch_of_the_same_source_and_period(both, vinh_linh, province):
    district = import_file(VINH_LINH_INCOMING, period=both).stored.batch
    district_values = values_of(vinh_linh)
    tinh = get_user_model().objects.get(username="reviewer_tinh")

    provincial = import_file(PROVINCE_INCOMING, period=both, acting_user=tinh)

    assert provincial.stored.created and not provincial.stored.superseded
    assert current() == {vinh_linh.pk: district, province.pk: provincial.stored.batch}
    district.refresh_from_db()
    assert district.status == BatchStatus.IMPORTED and district.values.count() == district.value_count
    assert values_of(vinh_linh) == district_values
    assert len(values_of(province)) == provincial.stored.batch.value_count > 0


def test_reimporting_one_authoritys_source_supersedes_only_its_own_batch(both, vinh_linh, province):
    tinh = get_user_model().objects.get(username="reviewer_tinh")
    provincial = import_file(PROVINCE_INCOMING, period=both, acting_user=tinh).stored.batch
    province_values = values_of(province)
    first = import_file(VINH_LINH_INCOMING, period=both).stored.batch

    again = import_file(VINH_LINH_OTHER_INCOMING, period=both).stored

    assert again.created and again.superseded == [first]
    first.refresh_from_db()
    assert (first.status, first.superseded_by, first.values.count()) == (BatchStatus.SUPERSEDED, again.batch, 0)
    assert current() == {vinh_linh.pk: again.batch, province.pk: provincial}
    assert values_of(province) == province_values
    assert {unit for unit, _key in values_of(vinh_linh)} == set(again.batch.values.values_list("unit_id", flat=True))


def test_the_nightly_import_of_one_authoritys_file_leaves_the_others_alone(both, vinh_linh, province, tmp_path,
                                                                             settings):
    settings.IMPORT_DROP_DIR = tmp_path / "drop"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_DROP_DIR.mkdir()
    district = import_file(VINH_LINH_INCOMING, period=both).stored.batch
    district_values = values_of(vinh_linh)
    shutil.copy(PROVINCE_INCOMING, settings.IMPORT_DROP_DIR / "2024_van-ban-den-tinh.xlsx")

    summary = nightly.import_drop_folder(min_age=0)

    assert summary["imported"] == ["2024_van-ban-den-tinh.xlsx"]
    district.refresh_from_db()
    assert district.status == BatchStatus.IMPORTED
    assert values_of(vinh_linh) == district_values
    assert set(current()) == {vinh_linh.pk, province.pk}
    assert current()[province.pk].file_name == "2024_van-ban-den-tinh.xlsx"


def test_a_bound_reviewer_cannot_import_another_authoritys_units(both, vinh_linh):
    import_file(VINH_LINH_INCOMING, period=both)
    before = table_dump()
    tinh = get_user_model().objects.get(username="reviewer_tinh")

    outcome = import_file(VINH_LINH_INCOMING, period=both, acting_user=tinh, dry_run=True)
    refused = import_file(VINH_LINH_INCOMING, period=both, acting_user=tinh)

    assert outcome.report.refused and refused.stored is None
    text = refused.report.errors[-1].text
    assert VINH_LINH_INCOMING.name in text and "UBND huyện Vĩnh Linh" in text and "không thuộc" in text
    assert table_dump() == before


def test_a_file_mixing_two_authorities_units_is_refused_naming_the_other_authoritys_units(both, tmp_path):
    book = load_workbook(PROVINCE_INCOMING)
    sheet = book.active
    sheet.append([None, None, "UBND huyện Vĩnh Linh", 5701, 65, 4221, 75, 1415])
    mixed = tmp_path / "tong-hop-ca-tinh.xlsx"
    book.save(mixed)
    before = table_dump()

    outcome = import_file(mixed, period=both)

    assert outcome.stored is None
    text = outcome.report.errors[-1].text
    assert "tong-hop-ca-tinh.xlsx" in text and "nhiều cơ quan chấm điểm" in text
    assert "UBND huyện Vĩnh Linh (1 đơn vị: UBND huyện Vĩnh Linh)" in text
    assert table_dump() == before


def test_a_letter_reads_only_its_own_authoritys_figures_of_a_shared_period(both, vinh_linh, province):
    import_file(VINH_LINH_INCOMING, period=both)
    import_file(PROVINCE_INCOMING, period=both)
    province_units = set(Unit.objects.filter(metric_values__batch__authority=province).values_list("name", flat=True))
    district_units = set(Unit.objects.filter(metric_values__batch__authority=vinh_linh).values_list("name", flat=True))

    # Two authorities hold figures of the period: the letter is the registry's first (Vĩnh Linh)'s.
    letter = BUILDERS["document-processing"](both, None)

    printed = {row.cells[1] for row in letter.appendices[0].table.rows}
    assert district_units <= printed | {""}
    assert not printed & province_units


def test_the_migration_gives_old_batches_the_root_of_their_values_units(both, vinh_linh):
    batch = import_file(VINH_LINH_INCOMING, period=both).stored.batch
    empty = ImportBatch.objects.create(file_name="sai.xlsx", sha256="0" * 64, source="incoming", period=both,
                                       status=BatchStatus.FAILED)
    ImportBatch.objects.filter(pk=batch.pk).update(authority=None)
    migration = importlib.import_module("documents.migrations.0005_importbatch_authority")

    migration.fill_authority(apps, None)

    batch.refresh_from_db()
    empty.refresh_from_db()
    assert (batch.authority, empty.authority) == (vinh_linh, None)


def test_a_superseded_batch_stays_in_its_authoritys_history_only(both, province, client, make_user, tmp_path):

    old = import_file(PROVINCE_INCOMING, period=both).stored.batch  # the nightly import: no uploader
    book = load_workbook(PROVINCE_INCOMING)
    book.active["D6"] = book.active["D6"].value + 10  # ten more documents, all pending
    book.active["H6"] = book.active["H6"].value + 10
    book.save(tmp_path / "van-ban-den-sua.xlsx")
    assert import_file(tmp_path / "van-ban-den-sua.xlsx", period=both).stored.superseded == [old]
    old.refresh_from_db()
    assert old.status == BatchStatus.SUPERSEDED and not old.values.exists()

    client.force_login(get_user_model().objects.get(username="reviewer_tinh"))
    assert client.get(reverse("documents:batch", args=[old.pk])).status_code == 200
    client.force_login(make_user("reviewer_huyen", Role.REVIEWER, root_named(units_demo.REGISTRY_FILE)))
    assert client.get(reverse("documents:batch", args=[old.pk])).status_code == 404
