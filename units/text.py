"""Folding of Vietnamese names for matching: case, spacing, punctuation and diacritics."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def strip_diacritics(text: str) -> str:
    # đ/Đ is a letter of its own, not d with a mark, so NFD does not remove its stroke.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """"UBND Thị Trấn  Hồ Xá" and "ubnd thi tran ho xa" fold alike: lower case, no marks,
    punctuation and runs of spaces become one space."""
    return _NON_ALNUM.sub(" ", strip_diacritics(text).lower()).strip()


def fold_keep_marks(text: str) -> str:
    """Like fold() but keeps diacritics, to tell "Vĩnh Chấp" from a unit whose name differs only by marks."""
    lowered = unicodedata.normalize("NFC", text).lower()
    return re.sub(r"[\s\W_]+", " ", lowered).strip()
