"""Loading the Vĩnh Linh registry: the whole tree, its codes and aliases, and nothing new the second time."""

import json

from units.choices import UnitKind
from units.demo import REGISTRY_FILE, load_registry
from units.models import Unit, UnitAlias, UnitCode
from units.text import fold

ROOT = "UBND huyện Vĩnh Linh"


def fixture_rows() -> list[dict]:
    return json.loads(REGISTRY_FILE.read_text(encoding="utf-8"))["units"]


def row_counts() -> tuple[int, int, int]:
    return Unit.objects.count(), UnitCode.objects.count(), UnitAlias.objects.count()


def test_it_loads_every_unit_code_and_spelling_of_the_fixture(db):
    rows = fixture_rows()
    assert load_registry() == len(rows)
    assert Unit.objects.count() == len(rows)
    assert UnitCode.objects.count() == sum(len(row.get("codes", {})) for row in rows)
    # Spellings that differ only by case, spacing or punctuation are one alias row.
    distinct = {(row["name"], fold(alias)) for row in rows for alias in row.get("aliases", [])}
    assert UnitAlias.objects.count() == len(distinct)


def test_a_second_load_creates_nothing_new(db):
    load_registry()
    first = row_counts()
    load_registry()
    assert row_counts() == first


def test_a_second_load_restores_what_was_changed_in_the_fixture_fields(db):
    load_registry()
    Unit.objects.filter(name="Phòng Y tế").update(short_name="đã sửa", sort_order=999)
    load_registry()
    health = Unit.objects.get(name="Phòng Y tế")
    assert (health.short_name, health.sort_order) == ("Phòng Y tế", 120)


def test_the_registry_is_one_tree_under_the_district_committee(db):
    load_registry()
    root = Unit.objects.get(parent=None)
    assert (root.name, root.kind) == (ROOT, UnitKind.AUTHORITY)
    for unit in Unit.objects.exclude(pk=root.pk):
        ancestor, steps = unit.parent, 0
        while ancestor.parent_id is not None and steps < 10:
            ancestor, steps = ancestor.parent, steps + 1
        assert ancestor == root, unit


def test_it_holds_the_units_the_letters_address_beyond_the_appendices(db):
    load_registry()
    expected = {
        "Văn phòng HĐND và UBND huyện": UnitKind.OFFICE,
        "Bộ phận Tiếp nhận và Trả kết quả huyện": UnitKind.ONE_STOP,
        "Công an huyện": UnitKind.ARMED_FORCES,
        "Ban Chỉ huy Quân sự huyện": UnitKind.ARMED_FORCES,
        "Chi nhánh Văn phòng đăng ký đất đai huyện Vĩnh Linh": UnitKind.VERTICAL,
    }
    assert dict(Unit.objects.filter(name__in=expected).values_list("name", "kind")) == expected
    assert Unit.objects.get(name="Bộ phận Tiếp nhận và Trả kết quả huyện").parent.name == "Văn phòng HĐND và UBND huyện"
