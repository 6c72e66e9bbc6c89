"""Every unit name of every table of the five seed documents resolves to the right registry unit.

The oracles: seed 002 gives each row's QLVB ID, which names the unit whatever the spelling; seed 000's
appendices 2 and 3 list the same 36 units in the same order, and its appendix 1 the same 19 rows in
the same order as seed 003's table. Only where nothing in the documents identifies a row does the
test state the registry name."""

from units.choices import SourceSystem, UnitKind
from units.models import Unit, UnitCode

from .seed_tables import appendices, numbered_names, one_line, qlvb_rows, responsible_cells, seed_text

# Seed 000, appendices 2 and 3 (same units, same order). Nothing in the seed identifies the rows
# but their spelling, so the registry name of each position is stated here.
SEED_000_DOCUMENT_ROWS = [
    "UBND huyện Vĩnh Linh",
    "HĐND huyện Vĩnh Linh",
    "Phòng Y tế",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Tư pháp",
    "Phòng Nội vụ",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Văn hóa và Thông tin",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Tài chính - Kế hoạch",
    "Thanh tra huyện",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Ban Quản lý dự án, Phát triển quỹ đất và Cụm công nghiệp, du lịch biển",
    "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
    "Trung tâm Văn hóa - Thông tin và Thể dục thể thao",
    "Ban Quản lý chợ huyện",
    "Trung tâm Môi trường và Công trình đô thị",
    "UBND thị trấn Hồ Xá",
    "UBND thị trấn Bến Quan",
    "UBND thị trấn Cửa Tùng",
    "UBND xã Vĩnh Long",
    "UBND xã Vĩnh Lâm",
    "UBND xã Vĩnh Sơn",
    "UBND xã Vĩnh Thủy",
    "UBND xã Hiền Thành",
    "UBND xã Vĩnh Hòa",
    "UBND xã Vĩnh Giang",
    "UBND xã Vĩnh Chấp",
    "UBND xã Vĩnh Thái",
    "UBND xã Vĩnh Tú",
    "UBND xã Trung Nam",
    "UBND xã Kim Thạch",
    "UBND xã Vĩnh Ô",
    "UBND xã Vĩnh Khê",
    "UBND xã Vĩnh Hà",
]

# Seed 003, row 1: the only row whose unit differs from the same row of seed 000's appendix 1.
# "VP UBND huyện" is the office (Văn phòng HĐND và UBND huyện), not the committee itself.
SEED_003_FIRST_ROW = "Văn phòng HĐND và UBND huyện"

VP = "Văn phòng HĐND và UBND huyện"
VHTT_CENTRE = "Trung tâm Văn hóa - Thông tin và Thể dục thể thao"
VHTT_OFFICE = "Phòng Văn hóa và Thông tin"

# The responsible-unit columns of seeds 001 and 004 are free text; these are the unit names written
# there (spelling → registry name). The coverage test below proves none is missing.
RESPONSIBLE_PHRASES = {
    "001": {
        "Phòng Nội vụ": "Phòng Nội vụ",
        "Văn phòng HĐND&UBND huyện": VP,
        "Văn phòng HĐND&UBND": VP,
        "Phòng Văn Hóa và Thông tin": VHTT_OFFICE,
        "Phòng Văn hóa và Thông tin": VHTT_OFFICE,
        "Trung tâm VH TT-TD TT": VHTT_CENTRE,
        "Phòng Tư pháp": "Phòng Tư pháp",
        "Bộ phận một cửa huyện": "Bộ phận Tiếp nhận và Trả kết quả huyện",
        "Phòng Tài chính - Kế hoạch": "Phòng Tài chính - Kế hoạch",
    },
    "004": {
        "Phòng Tài chính - Kế hoạch": "Phòng Tài chính - Kế hoạch",
        "Phòng Tài nguyên và Môi trường": "Phòng Tài nguyên và Môi trường",
        "Công an huyện": "Công an huyện",
        "Ban chỉ huy Quân sự huyện": "Ban Chỉ huy Quân sự huyện",
        "Phòng Nông nghiệp và Phát triển nông thôn": "Phòng Nông nghiệp và Phát triển nông thôn",
        "Phòng Nội vụ": "Phòng Nội vụ",
        "Thanh tra huyện": "Thanh tra huyện",
        "Văn phòng HĐND và UBND huyện": VP,
        "Phòng Văn hoá và Thông tin": VHTT_OFFICE,
    },
}
RESPONSIBLE_COLUMN = {"001": 7, "004": 5}
# Words that begin the name of a single unit; groups ("UBND các xã, thị trấn", "các cơ quan
# chuyên môn") begin otherwise, and "UBND huyện" there names the issuer of a plan, not a unit in charge.
UNIT_NAME_STARTS = ("phòng ", "văn phòng ", "trung tâm ", "thanh tra ", "công an ", "ban chỉ huy ", "bộ phận ")

# Units named in the running text of the letters (outside the tables): spelling → registry name.
BODY_PHRASES = {
    "000": {
        "Ban Chỉ huy Quân sự huyện": "Ban Chỉ huy Quân sự huyện",
        "Công an huyện": "Công an huyện",
        "UBND huyện Vĩnh Linh": "UBND huyện Vĩnh Linh",
        "Phòng Tài chính - Kế hoạch": "Phòng Tài chính - Kế hoạch",
    },
    "001": {
        "Phòng Nội vụ": "Phòng Nội vụ",
        "UBND huyện": "UBND huyện Vĩnh Linh",
    },
    "002": {
        "Phòng Văn hóa và Thông tin": VHTT_OFFICE,
        "Phòng Y tế Huyện Vĩnh Linh": "Phòng Y tế",
        "phòng Kinh tế và Hạ tầng": "Phòng Kinh tế và Hạ tầng",
        "Trung tâm GDNN-GDTX": "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
        "phòng Tài nguyên và Môi trường": "Phòng Tài nguyên và Môi trường",
        "Trung tâm VHTT- TDTT": VHTT_CENTRE,
        "Thanh tra Huyện": "Thanh tra huyện",
        "Trung tâm Môi trường và Công trình đô thị": "Trung tâm Môi trường và Công trình đô thị",
        "UBND xã Vĩnh Long": "UBND xã Vĩnh Long",
        "UBND xã Vĩnh Sơn": "UBND xã Vĩnh Sơn",
        "UBND xã Vĩnh Thủy": "UBND xã Vĩnh Thủy",
        "UBND xã Vĩnh Tú": "UBND xã Vĩnh Tú",
        "UBND xã Vĩnh Khê": "UBND xã Vĩnh Khê",
        "Phòng Lao động, Thương binh - Xã hội": "Phòng Lao động - Thương binh và Xã hội",
        "phòng Lao động, Thương binh - Xã hội": "Phòng Lao động - Thương binh và Xã hội",
        "Phòng Giáo dục và Đào tạo": "Phòng Giáo dục và Đào tạo",
        "phòng Giáo dục và Đào tạo": "Phòng Giáo dục và Đào tạo",
        "Phòng Tài chính - Kế hoạch": "Phòng Tài chính - Kế hoạch",
        "UBND xã Kim Thạch": "UBND xã Kim Thạch",
        "HĐND huyện Vĩnh Linh": "HĐND huyện Vĩnh Linh",
        "phòng Y tế": "Phòng Y tế",
        "phòng Kinh tế Hạ tầng": "Phòng Kinh tế và Hạ tầng",
        "phòng Tư pháp": "Phòng Tư pháp",
        "BQL dự án, PTQĐ và CCN, du lịch biển": (
            "Ban Quản lý dự án, Phát triển quỹ đất và Cụm công nghiệp, du lịch biển"
        ),
        "Trung tâm GDNN – GDTX": "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
        "Trung tâm VHHTT-TDĐT": VHTT_CENTRE,
        "phòng Nông nghiệp và PTNT": "Phòng Nông nghiệp và Phát triển nông thôn",
        "Trung tâm Môi trường và CTĐT": "Trung tâm Môi trường và Công trình đô thị",
        "UBND thị Trấn Cửa Tùng": "UBND thị trấn Cửa Tùng",
        "UBND xã Vĩnh Hòa": "UBND xã Vĩnh Hòa",
        "UBND xã Vĩnh Chấp": "UBND xã Vĩnh Chấp",
        "phòng Văn hóa và Thông tin huyện": VHTT_OFFICE,
        "Văn phòng HĐND&UBND huyện": VP,
        "Phòng Nội vụ": "Phòng Nội vụ",
    },
    "003": {
        "Bộ phận Tiếp nhận và Trả kết quả cấp huyện": "Bộ phận Tiếp nhận và Trả kết quả huyện",
        "chi nhánh Văn phòng đăng ký đất đai huyện Vĩnh Linh": "Chi nhánh Văn phòng đăng ký đất đai huyện Vĩnh Linh",
        "Văn phòng HĐND&UBND huyện": VP,
    },
    "004": {
        "Công an huyện": "Công an huyện",
        "Ban chỉ huy Quân sự huyện": "Ban Chỉ huy Quân sự huyện",
        "Phòng Nội vụ": "Phòng Nội vụ",
        "phòng Nội vụ": "Phòng Nội vụ",
        "UBND huyện Vĩnh Linh": "UBND huyện Vĩnh Linh",
    },
}

# The one misspelling that must be found by folding, not by an alias (see DOMAIN.md).
MISSPELLING = "UBND xã Vĩnh Cháp"


def wrong_matches(matcher, expected: list[tuple[str, str]]) -> list[str]:
    """For each (spelling, registry name), a line when the spelling does not resolve to that unit."""
    problems = []
    for spelling, registry_name in expected:
        found = matcher.match(spelling)
        if found.unit is None or found.unit.name != registry_name:
            problems.append(f"{spelling!r} → {found.unit} (expected {registry_name!r}) {found.message}")
    return problems


def seed_000_document_rows() -> list[tuple[str, str]]:
    pairs = []
    for number in ("2", "3"):
        names = numbered_names(appendices("000")[number])
        assert [n for n, _ in names] == list(range(1, len(SEED_000_DOCUMENT_ROWS) + 1))
        pairs += [(name, SEED_000_DOCUMENT_ROWS[n - 1]) for n, name in names]
    return pairs


def all_table_spellings() -> set[str]:
    spellings = {name for name, _ in seed_000_document_rows()}
    spellings |= {name for _, name in numbered_names(appendices("000")["1"])}
    spellings |= {name for _, name in numbered_names(seed_text("003"))}
    for text in appendices("002").values():
        spellings |= {name for _, name in qlvb_rows(text)}
    return spellings


def test_it_resolves_every_row_of_seed_002_to_the_unit_of_its_qlvb_id(matcher):
    checked = 0
    for text in appendices("002").values():
        expected = []
        for qlvb_id, name in qlvb_rows(text):
            unit = UnitCode.objects.get(system=SourceSystem.QLVB, code=qlvb_id).unit
            expected.append((name, unit.name))
            with_code = matcher.match(name, code=qlvb_id, system=SourceSystem.QLVB)
            assert (with_code.unit, with_code.how) == (unit, "code")
        assert wrong_matches(matcher, expected) == []
        checked += len(expected)
    assert checked == 72


def test_it_holds_exactly_the_qlvb_ids_of_seed_002(vinh_linh):
    for text in appendices("002").values():
        seed_ids = sorted(qlvb_id for qlvb_id, _ in qlvb_rows(text))
        registry_ids = sorted(UnitCode.objects.filter(system=SourceSystem.QLVB).values_list("code", flat=True))
        assert seed_ids == registry_ids


def test_it_resolves_every_row_of_seed_000_appendices_2_and_3(matcher):
    assert wrong_matches(matcher, seed_000_document_rows()) == []


def test_the_stated_rows_of_seed_000_are_the_units_seed_002_lists(vinh_linh):
    """The stated names are registry names, and the 36 rows are the 36 units with a QLVB ID."""
    with_qlvb_id = set(Unit.objects.filter(codes__system=SourceSystem.QLVB).values_list("name", flat=True))
    assert len(SEED_000_DOCUMENT_ROWS) == len(set(SEED_000_DOCUMENT_ROWS)) == 36
    assert set(SEED_000_DOCUMENT_ROWS) == with_qlvb_id


def test_it_resolves_seed_000_appendix_1_to_the_district_and_every_commune_and_town(matcher):
    rows = numbered_names(appendices("000")["1"])
    assert wrong_matches(matcher, [(name, name) for _, name in rows]) == []
    local = {matcher.match(name).unit for n, name in rows if n > 1}
    assert local == set(Unit.objects.filter(kind__in=[UnitKind.COMMUNE, UnitKind.TOWN]))
    assert matcher.match(rows[0][1]).unit.kind == UnitKind.AUTHORITY


def test_it_resolves_seed_003_row_by_row_like_seed_000_appendix_1(matcher):
    seed_003 = numbered_names(seed_text("003"))
    seed_000 = dict(numbered_names(appendices("000")["1"]))
    assert [n for n, _ in seed_003] == sorted(seed_000)
    expected = [(name, matcher.match(seed_000[n]).unit.name) for n, name in seed_003 if n > 1]
    expected.append((seed_003[0][1], SEED_003_FIRST_ROW))
    assert wrong_matches(matcher, expected) == []


def test_it_resolves_the_units_in_charge_named_in_seeds_001_and_004(matcher):
    for number, phrases in RESPONSIBLE_PHRASES.items():
        column_text = " ".join(responsible_cells(number, RESPONSIBLE_COLUMN[number]))
        for phrase in phrases:
            assert phrase in column_text, f"{phrase!r} is not in the responsible-unit column of seed {number}"
        assert wrong_matches(matcher, list(phrases.items())) == []


def test_the_phrases_cover_every_unit_in_charge_of_seeds_001_and_004():
    for number, phrases in RESPONSIBLE_PHRASES.items():
        for cell in responsible_cells(number, RESPONSIBLE_COLUMN[number]):
            rest = cell
            for phrase in sorted(phrases, key=len, reverse=True):
                rest = rest.replace(phrase, " ")
            rest = rest.lower()
            assert not any(start in rest for start in UNIT_NAME_STARTS), f"seed {number}: unlisted unit in {cell!r}"


def test_it_resolves_the_units_named_in_the_text_of_the_letters(matcher):
    for number, phrases in BODY_PHRASES.items():
        text = one_line(seed_text(number))
        for phrase in phrases:
            assert phrase in text, f"{phrase!r} is not in seed {number}"
        assert wrong_matches(matcher, list(phrases.items())) == []


def test_every_spelling_of_the_seeds_is_a_name_or_an_alias_of_the_fixture(vinh_linh):
    import json

    from units.demo import REGISTRY_FILE

    known = set()
    for row in json.loads(REGISTRY_FILE.read_text(encoding="utf-8"))["units"]:
        known |= {row["name"], row.get("short_name", ""), *row.get("aliases", [])}
    spellings = all_table_spellings()
    for phrases in (*RESPONSIBLE_PHRASES.values(), *BODY_PHRASES.values()):
        spellings |= set(phrases)
    assert MISSPELLING in spellings
    assert spellings - known == {MISSPELLING}


def test_every_alias_of_the_fixture_is_a_spelling_met_in_the_seeds(vinh_linh):
    import json

    from units.demo import REGISTRY_FILE

    seeds = " ".join(one_line(seed_text(number)) for number in ("000", "001", "002", "003", "004"))
    rows = json.loads(REGISTRY_FILE.read_text(encoding="utf-8"))["units"]
    invented = [alias for row in rows for alias in row.get("aliases", []) if alias not in seeds]
    assert invented == []


def test_it_finds_vinh_chap_by_folding_diacritics(matcher):
    found = matcher.match(MISSPELLING)
    assert (found.unit.name, found.how, found.message) == ("UBND xã Vĩnh Chấp", "folded", "")
    assert not Unit.objects.get(name="UBND xã Vĩnh Chấp").aliases.filter(name=MISSPELLING).exists()
