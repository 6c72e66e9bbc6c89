"""The header synonym tables are data; these keep them coherent."""

import pytest

from documents.importing.profiles import PROFILES, is_total_label, normalize_header
from documents.metrics import METRICS
from units.text import fold


@pytest.mark.parametrize("source", list(PROFILES))
def test_it_never_gives_one_header_phrase_two_meanings_within_a_source(source):
    seen = {}
    for column in PROFILES[source].columns:
        for header in column.headers:
            phrase = normalize_header(header)
            assert seen.setdefault(phrase, column.key) == column.key, (header, seen[phrase], column.key)


def test_every_profile_key_is_in_the_catalogue_with_its_source():
    for profile in PROFILES.values():
        for column in profile.columns:
            if column.role != "stated_sum":
                assert METRICS[column.key].source == profile.source


@pytest.mark.parametrize("a,b", [("Phải hồi", "Phản hồi"), ("Tỉ lệ % HS online", "Tỷ lệ % hồ sơ trực tuyến"),
                                 ("VB đến kết thúc", "Văn bản đến kết thúc"), ("Tổng số DVC TT một phần", "Tổng DVC trực tuyến một phần")])
def test_it_folds_the_spelling_variants_of_the_exports(a, b):
    assert normalize_header(a) == normalize_header(b)


@pytest.mark.parametrize("label,total", [("Tổng số", True), ("TỔNG CỘNG (A+B+C)", True), ("Toàn huyện", True),
                                         ("Toàn tỉnh", True), ("Toàn thành phố", True), ("Toàn thị xã", True),
                                         ("Cộng", True), ("Công an huyện", False), ("UBND xã Vĩnh Ô", False),
                                         ("UBND thành phố Đông Hà", False), ("Toàn Lưu", False)])
def test_it_tells_total_rows_from_units(label, total):
    assert is_total_label(fold(label)) is total
