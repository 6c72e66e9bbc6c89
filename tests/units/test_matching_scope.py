"""The matcher within one authority's tree: with Vĩnh Linh and the province both in the registry and a
commune of the same name in each, a matcher scoped to one tree finds that tree's commune, a matcher
over the whole registry names both and picks neither, and a scoped matcher says whose unit a name
of the other tree is."""

import json

import pytest

from units import demo as units_demo
from units.access import subtree_ids
from units.choices import UnitKind
from units.matching import UnitMatcher
from units.models import Unit, UnitAlias

VINH_LINH_ROOT = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))["authority"]["name"]
PROVINCE_ROOT = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))["authority"]["name"]
SHARED = "UBND xã Hải Thái"  # an invented commune that both trees get below


def add_twin_communes() -> dict[str, Unit]:
    """A commune of each tree named alike: Vĩnh Linh's under that exact name, the province's with the
    fixture's "(giả định)" note and the plain name as an alias, as its other communes have."""
    district = Unit.objects.create(name=SHARED, short_name="Hải Thái", kind=UnitKind.COMMUNE,
                                   parent=Unit.objects.get(name=VINH_LINH_ROOT), sort_order=990)
    province = Unit.objects.create(name=f"{SHARED} (giả định)", short_name="Hải Thái", kind=UnitKind.COMMUNE,
                                   parent=Unit.objects.get(name=PROVINCE_ROOT), sort_order=990)
    UnitAlias.objects.create(unit=province, name=SHARED)
    return {"district": district, "province": province}


@pytest.fixture
def twin_communes(db) -> dict[str, Unit]:
    units_demo.load_registry()
    units_demo.load_registry(units_demo.PROVINCE_FILE)
    return add_twin_communes()


@pytest.mark.parametrize("side, root", [("district", VINH_LINH_ROOT), ("province", PROVINCE_ROOT)])
@pytest.mark.parametrize("spelling", [SHARED, "Hải Thái", "UBND xa Hai Thai"])
def test_a_matcher_scoped_to_a_tree_finds_that_trees_commune(twin_communes, side, root, spelling):
    root_unit = Unit.objects.get(name=root)
    for matcher in (UnitMatcher(scope=root_unit), UnitMatcher().within(root_unit),
                    UnitMatcher(scope=subtree_ids(root_unit))):
        assert matcher.match(spelling).unit == twin_communes[side], spelling


@pytest.mark.parametrize("spelling", [SHARED, "Hải Thái", "UBND xa Hai Thai"])
def test_the_whole_registry_reports_a_name_of_both_trees_as_ambiguous_naming_both(twin_communes, spelling):
    found = UnitMatcher().match(spelling)
    assert found.unit is None and found.ambiguous
    assert set(found.candidates) == set(twin_communes.values())
    for unit, root in ((twin_communes["district"], VINH_LINH_ROOT), (twin_communes["province"], PROVINCE_ROOT)):
        assert f"{unit.name} (thuộc {root})" in found.message
    assert "không tự chọn" in found.message


def test_an_exact_name_in_one_tree_is_ambiguous_when_it_folds_to_the_others(twin_communes):
    """Without the alias, Vĩnh Linh's exact name would win; an accentless spelling in the province
    is still the same commune name, so neither is picked."""
    UnitAlias.objects.filter(unit=twin_communes["province"]).delete()
    UnitAlias.objects.create(unit=twin_communes["province"], name="UBND xa Hai Thai")
    found = UnitMatcher().match(SHARED)
    assert found.unit is None and set(found.candidates) == set(twin_communes.values())


def test_a_scoped_matcher_says_whose_unit_a_name_of_the_other_tree_is(twin_communes):
    matcher = UnitMatcher(scope=Unit.objects.get(name=PROVINCE_ROOT))
    found = matcher.match("Phòng Y tế Huyện Vĩnh Linh")
    assert found.unit is None and found.candidates == (Unit.objects.get(name="Phòng Y tế"),)
    assert f"Phòng Y tế (thuộc {VINH_LINH_ROOT}), không thuộc {PROVINCE_ROOT}" in found.message


def test_names_found_in_one_tree_only_still_resolve_across_the_registry(twin_communes):
    matcher = UnitMatcher()
    assert matcher.match("Phòng Y tế Huyện Vĩnh Linh").unit.name == "Phòng Y tế"
    assert matcher.match("Xã Tân Lâm").unit.name == "UBND xã Tân Lâm (giả định)"
