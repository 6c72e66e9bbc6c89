"""How the matcher decides: one fitting unit resolves, several never do, nothing is guessed."""

import pytest

from units.choices import SourceSystem, UnitKind
from units.matching import UnitMatcher, folded_key
from units.models import Unit, UnitAlias, UnitCode

from .seed_tables import appendices, numbered_names, qlvb_rows, seed_text
from .test_matching_seeds import BODY_PHRASES, RESPONSIBLE_PHRASES, SEED_003_FIRST_ROW, seed_000_document_rows


def seed_spellings_with_their_units() -> set[tuple[str, str]]:
    """(spelling, registry name) of every unit name the other tests prove from the seeds."""
    pairs = set(seed_000_document_rows())
    # Seed 000 appendix 1 and seed 003 rows 2-19 spell the registry names themselves.
    pairs |= {(name, name) for _, name in numbered_names(appendices("000")["1"])}
    seed_003 = numbered_names(seed_text("003"))
    pairs |= {(name, name) for n, name in seed_003 if n > 1} | {(seed_003[0][1], SEED_003_FIRST_ROW)}
    for text in appendices("002").values():
        pairs |= {
            (name, UnitCode.objects.get(system=SourceSystem.QLVB, code=qlvb_id).unit.name)
            for qlvb_id, name in qlvb_rows(text)
        }
    for phrases in (*BODY_PHRASES.values(), *RESPONSIBLE_PHRASES.values()):
        pairs |= set(phrases.items())
    return pairs


def test_without_aliases_no_seed_spelling_resolves_to_a_wrong_unit(vinh_linh):
    """The abbreviation table and folding alone find almost every spelling, and never a wrong unit."""
    UnitAlias.objects.all().delete()
    matcher = UnitMatcher()
    wrong, unresolved = [], []
    for spelling, registry_name in seed_spellings_with_their_units():
        found = matcher.match(spelling)
        if found.unit is None:
            unresolved.append(spelling)
        elif found.unit.name != registry_name:
            wrong.append((spelling, found.unit.name, registry_name))
    assert wrong == []
    # "VP UBND huyện" names the office after the committee alone: only the recorded alias knows it.
    assert unresolved == ["VP UBND huyện Vĩnh Linh"]


def test_the_abbreviations_of_the_seeds_expand_to_the_full_names():
    full = {
        "Phòng Lao động - Thương binh và Xã hội": ["Phòng Lao động, TB và XH", "Phòng Lao động, TB-XH", "Phòng LĐ-TB&XH"],
        "Phòng Kinh tế và Hạ tầng": ["Phòng KT&HT", "Phòng Kinh tế Hạ tầng"],
        "Phòng Tài nguyên và Môi trường": ["Phòng TN và MT", "Phòng TN&MT"],
        "Phòng Nông nghiệp và Phát triển nông thôn": ["Phòng NN và PTNT", "Phòng Nông nghiệp và PTNT"],
        "Trung tâm Văn hóa - Thông tin và Thể dục thể thao": [
            "Trung tâm VHHTT và TDTT", "Trung tâm VHTT- TDTT", "Trung tâm VH TT-TD TT", "Trung tâm VHHTT-TDĐT",
            "Trung tâm VHHTT- TĐTT",
        ],
        "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên": ["Trung tâm GDNN-GDTX"],
        "Trung tâm Môi trường và Công trình đô thị": ["Trung tâm MT và CTĐT"],
        "Ban Quản lý dự án, Phát triển quỹ đất và Cụm công nghiệp, du lịch biển": [
            "BQL DA, PTQĐ và CCN, DLB", "BQL DAPTQĐ&CNNDL biển", "BQL dự án PTQĐ và CNN DL biển",
        ],
        "Văn phòng HĐND và UBND huyện": ["VP HĐND&UBND huyện"],
        "UBND thị trấn Hồ Xá": ["UBND TT Hồ Xá"],
    }
    for name, spellings in full.items():
        for spelling in spellings:
            assert folded_key(spelling) == folded_key(name), spelling


def test_the_committee_the_council_and_their_office_stay_apart(matcher):
    names = ["UBND huyện Vĩnh Linh", "HĐND huyện Vĩnh Linh", "Văn phòng HĐND và UBND huyện"]
    assert [matcher.match(name).unit.name for name in names] == names
    assert matcher.match("UBND huyện").unit.name == "UBND huyện Vĩnh Linh"
    assert matcher.match("HĐND huyện").unit.name == "HĐND huyện Vĩnh Linh"
    assert matcher.match("VP HĐND&UBND huyện").unit.name == "Văn phòng HĐND và UBND huyện"
    for bare in ("UBND", "HĐND", "Văn phòng"):
        assert matcher.match(bare).unit is None


def test_the_culture_centre_and_the_culture_office_do_not_collide(matcher):
    assert matcher.match("Trung tâm VH TT và TDTT").unit.name == "Trung tâm Văn hóa - Thông tin và Thể dục thể thao"
    assert matcher.match("Phòng VH và TT").unit.name == "Phòng Văn hóa và Thông tin"
    assert folded_key("Trung tâm VH TT và TDTT") != folded_key("Phòng Văn hóa và Thông tin")


def test_every_spelling_in_the_registry_resolves_to_its_own_unit(matcher):
    """No name, short name or alias of one unit is also a spelling of another."""
    for unit in Unit.objects.prefetch_related("aliases"):
        for spelling in [unit.name, unit.short_name, *(alias.name for alias in unit.aliases.all())]:
            found = matcher.match(spelling)
            assert found.unit == unit, f"{spelling!r} → {found.unit} ({found.message})"


def test_it_finds_a_misspelling_by_folding_only_when_unambiguous(db):
    chap = Unit.objects.create(name="UBND xã Vĩnh Chấp", kind=UnitKind.COMMUNE)
    assert UnitMatcher().match("UBND xã Vĩnh Cháp").unit == chap

    chap_other = Unit.objects.create(name="UBND xã Vĩnh Cháp", kind=UnitKind.COMMUNE)
    matcher = UnitMatcher()
    assert matcher.match("UBND xã Vĩnh Cháp").unit == chap_other  # its own exact name
    found = matcher.match("UBND xa Vinh Chap")
    assert found.unit is None and found.how == ""
    assert set(found.candidates) == {chap, chap_other}
    assert "nhiều đơn vị" in found.message and "UBND xã Vĩnh Chấp" in found.message


def test_an_alias_shared_by_two_units_resolves_to_neither(matcher):
    office = Unit.objects.get(name="Phòng Văn hóa và Thông tin")
    centre = Unit.objects.get(name="Trung tâm Văn hóa - Thông tin và Thể dục thể thao")
    for unit in (office, centre):
        UnitAlias.objects.create(unit=unit, name="Văn hóa Thông tin")
    found = UnitMatcher().match("Văn hóa Thông tin")
    assert (found.unit, found.ambiguous, set(found.candidates)) == (None, True, {office, centre})
    assert office.name in found.message and centre.name in found.message


def test_a_unit_that_does_not_exist_is_reported_with_the_nearest_names(matcher):
    found = matcher.match("UBND xã Vĩnh Xuân")
    assert found.unit is None and found.how == "" and not found.ambiguous
    assert found.candidates and all(unit.kind == UnitKind.COMMUNE for unit in found.candidates)
    assert found.message.startswith("Không tìm thấy đơn vị “UBND xã Vĩnh Xuân”")
    assert found.candidates[0].name in found.message


def test_nothing_fits_an_empty_name(matcher):
    found = matcher.match("  ")
    assert (found.unit, found.candidates, found.how) == (None, (), "")
    assert found.message


def test_a_code_identifies_the_unit_whatever_the_spelling(matcher):
    found = matcher.match("P. YT", code="122", system=SourceSystem.QLVB)
    assert (found.unit.name, found.how, found.message) == ("Phòng Y tế", "code", "")
    assert matcher.match("Phòng Y tế", code="122").unit.name == "Phòng Y tế"  # the code of any system
    # An unknown code falls back on the name.
    assert matcher.match("Phòng Y tế", code="999", system=SourceSystem.QLVB).how == "name"


def test_a_code_and_a_name_that_disagree_resolve_to_neither(matcher):
    found = matcher.match("Phòng Y tế", code="123", system=SourceSystem.QLVB)
    assert found.unit is None and found.ambiguous
    assert {unit.name for unit in found.candidates} == {"Phòng Y tế", "Phòng Lao động - Thương binh và Xã hội"}


def test_it_learns_a_spelling_in_memory_only(matcher):
    health = Unit.objects.get(name="Phòng Y tế")
    aliases_before = UnitAlias.objects.count()
    assert matcher.match("P. YT huyện").unit is None
    matcher.learn("P. YT huyện", health)
    found = matcher.match("P. YT huyện")
    assert (found.unit, found.how) == (health, "alias")
    assert UnitAlias.objects.count() == aliases_before
    assert UnitMatcher().match("P. YT huyện").unit is None


@pytest.mark.parametrize("extra_units", [0, 25])
def test_loading_the_matcher_costs_the_same_queries_for_any_number_of_units(
    vinh_linh, django_assert_num_queries, extra_units
):
    for i in range(extra_units):
        unit = Unit.objects.create(name=f"Đơn vị thử {i}", kind=UnitKind.PUBLIC_SERVICE)
        UnitAlias.objects.create(unit=unit, name=f"ĐV thử {i}")
        UnitCode.objects.create(unit=unit, system=SourceSystem.DVC, code=f"T{i}")
    with django_assert_num_queries(3):  # units, their aliases, their codes
        matcher = UnitMatcher()
    with django_assert_num_queries(0):
        matcher.match("Phòng Lao động, TB - XH")
        matcher.match("UBND xã Vĩnh Xuân")
