from decimal import Decimal

import pytest

from common.numbers import format_number, parse_number


@pytest.mark.parametrize("value,places,expected", [
    (Decimal("23.41"), 2, "23,41"),
    (14678, None, "14.678"),
    (Decimal("-1.15"), 2, "-1,15"),
    (Decimal("2.9"), None, "2,9"),
    (Decimal("92.3"), 2, "92,30"),
    (Decimal("70.3670"), 2, "70,37"),
    (Decimal("0.004"), 2, "0,00"),
    (Decimal("1234567.5"), 1, "1.234.567,5"),
])
def test_it_formats_numbers_the_vietnamese_way(value, places, expected):
    assert format_number(value, places) == expected


@pytest.mark.parametrize("text,expected", [
    ("23,41", Decimal("23.41")),
    ("14.678", Decimal("14678")),
    ("1.152,5", Decimal("1152.5")),
    ("85%", Decimal("85")),
    ("4.21", Decimal("4.21")),
    ("47.37", Decimal("47.37")),
    ("0.400", Decimal("0.400")),
    ("1.234.567", Decimal("1234567")),
    (" 10,4 ", Decimal("10.4")),
    (12, Decimal("12")),
    (7.5, Decimal("7.5")),
])
def test_it_reads_numbers_as_exports_write_them(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("blank", [None, "", "  ", "-"])
def test_it_reads_blank_as_no_data(blank):
    assert parse_number(blank) is None


@pytest.mark.parametrize("bad", ["abc", "1,2,3x", "12a"])
def test_it_refuses_text_that_is_not_a_number(bad):
    with pytest.raises(ValueError):
        parse_number(bad)
