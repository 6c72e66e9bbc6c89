"""Any authority: what a letter prints of its issuer and what the matcher strips as "of the
authority" come from the registry's data, for a district and a province alike."""

import json

import pytest

from reports import wording
from units import demo as units_demo
from units.matching import UnitMatcher, locality_suffixes
from units.models import Authority, Unit

VINH_LINH = json.loads(units_demo.REGISTRY_FILE.read_text(encoding="utf-8"))
PROVINCE = json.loads(units_demo.PROVINCE_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def both(db):
    units_demo.load_registry()
    units_demo.load_registry(units_demo.PROVINCE_FILE)


@pytest.mark.parametrize("fixture", [VINH_LINH, PROVINCE], ids=["district", "province"])
def test_it_loads_the_authority_block_onto_the_root_unit(both, fixture):
    authority = Authority.objects.get(unit__name=fixture["authority"]["name"])
    assert authority.unit.parent_id is None
    for field in ("level", "division", "place", "province", "short_name", "agency_lines", "symbols", "chairman"):
        assert getattr(authority, field) == fixture["authority"][field]


@pytest.mark.parametrize("fixture", [VINH_LINH, PROVINCE], ids=["district", "province"])
def test_a_letter_takes_the_authority_of_the_units_tree(both, fixture):
    leaf = Unit.objects.filter(parent__name=fixture["authority"]["name"]).order_by("sort_order").last()
    facts = wording.agency(leaf)
    block = fixture["authority"]
    assert (facts["subject"], facts["lines"], facts["place"], facts["chairman"], facts["short"]) == (
        block["name"], block["agency_lines"], block["place"], block["chairman"], block["short_name"])
    assert wording.letter_defaults("cchc-remediation", facts)["symbol"] == block["symbols"]["cchc-remediation"]


def test_the_locality_qualifiers_are_read_from_the_root_names():
    suffixes = locality_suffixes([VINH_LINH["authority"]["name"], PROVINCE["authority"]["name"]])
    assert ("huyen", "vinh", "linh") in suffixes and ("vinh", "linh") in suffixes and ("cap", "huyen") in suffixes
    # The province's name carries a note in brackets, which names no place.
    assert ("tinh", "quang", "tri") in suffixes and ("tinh",) in suffixes
    assert not any("minh" in suffix for suffix in suffixes)
    assert [len(s) for s in suffixes] == sorted((len(s) for s in suffixes), reverse=True)


def test_a_unit_drops_only_its_own_authoritys_qualifier(both):
    matcher = UnitMatcher()
    # "Phòng Y tế Huyện Vĩnh Linh" is the district's Phòng Y tế (seed 002 writes it so) …
    assert matcher.match("Phòng Y tế Huyện Vĩnh Linh").unit.name == "Phòng Y tế"
    # … and the province's department, written with "tỉnh", is the province's own.
    assert matcher.match("Sở Nội vụ tỉnh Quảng Trị").unit.name == "Sở Nội vụ (dữ liệu minh họa)"
    # A district department written "of the province" is not the district's: nothing is guessed.
    assert matcher.match("Phòng Y tế tỉnh").unit is None
