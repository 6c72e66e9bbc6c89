"""Finding the registry unit a spreadsheet, letter or user means by a name.

Spellings of one unit vary a lot in the provincial exports and letters ("Phòng Lao động, TB - XH",
"Trung tâm VHHTT- TĐTT", "UBND Thị Trấn Hồ Xá"). The matcher tries, in order:

1. a code of a provincial system (QLVB ID …), when the caller has one;
2. the unit's name or short name, ignoring case, spacing and punctuation but not diacritics;
3. a recorded alias (``UnitAlias``), or a spelling learned in this session;
4. the *folded* key: no diacritics, "và"/"&" dropped, the abbreviations of ``ABBREVIATIONS``
   written out; then the same key without a trailing "huyện (Vĩnh Linh)".

A step that fits exactly one unit resolves; one that fits several stops there and reports them,
so an ambiguous name is never resolved by a later, looser step. A name that fits nothing is
reported with the nearest registry names. Nothing is ever guessed silently.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from .models import Unit
from .text import fold, fold_keep_marks

# Abbreviations the seeds use, as folded tokens → their folded expansion. A key of several tokens
# only expands in that sequence: "TT" alone may be thị trấn, thông tin, thể thao or trung tâm, so
# it expands only after "UBND", "VH" or "TD". "và" is dropped before expansion, so "TB và XH",
# "TB - XH" and "TB-XH" all reach the ("tb", "xh") entry.
ABBREVIATIONS: dict[tuple[str, ...], str] = {
    ("ubnd", "tt"): "uy ban nhan dan thi tran",
    ("ubnd",): "uy ban nhan dan",
    ("hdnd",): "hoi dong nhan dan",
    ("vp",): "van phong",
    ("bql", "da"): "ban quan ly du an",
    ("bql",): "ban quan ly",
    ("vpdkdd",): "van phong dang ky dat dai",
    ("ld", "tb", "xh"): "lao dong thuong binh xa hoi",
    ("ldtbxh",): "lao dong thuong binh xa hoi",
    ("tb", "xh"): "thuong binh xa hoi",
    ("kt", "ht"): "kinh te ha tang",
    ("tn", "mt"): "tai nguyen moi truong",
    ("tnmt",): "tai nguyen moi truong",
    ("nn", "ptnt"): "nong nghiep phat trien nong thon",
    ("ptnt",): "phat trien nong thon",
    ("gd", "dt"): "giao duc dao tao",
    ("tc", "kh"): "tai chinh ke hoach",
    ("gdnn",): "giao duc nghe nghiep",
    ("gdtx",): "giao duc thuong xuyen",
    ("vh", "tt"): "van hoa thong tin",
    ("vhtt",): "van hoa thong tin",
    ("vhhtt",): "van hoa thong tin",  # the seeds' doubled H
    ("td", "tt"): "the duc the thao",
    ("tdtt",): "the duc the thao",  # also TĐTT
    ("tddt",): "the duc the thao",  # the seeds' TDĐT
    ("mt", "ctdt"): "moi truong cong trinh do thi",
    ("ctdt",): "cong trinh do thi",
    ("ptqd",): "phat trien quy dat",
    ("daptqd",): "du an phat trien quy dat",
    ("ccn",): "cum cong nghiep",
    ("cnn",): "cum cong nghiep",  # the seeds' CNN for CCN
    ("cnndl",): "cum cong nghiep du lich",
    ("dlb",): "du lich bien",
    ("dl", "bien"): "du lich bien",
}
_LONGEST_ABBREVIATION = max(len(key) for key in ABBREVIATIONS)

# Words that join parts of a name and carry no meaning for matching ("và", and "&" read as "và").
CONNECTORS = frozenset({"va"})

# Trailing qualifiers naming the district itself: "Phòng Y tế Huyện Vĩnh Linh" is "Phòng Y tế".
LOCALITY_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("huyen", "vinh", "linh"),
    ("cap", "huyen"),
    ("vinh", "linh"),
    ("huyen",),
)
# What is left of "UBND huyện Vĩnh Linh" or "HĐND huyện" without the qualifier names no unit.
GENERIC_KEYS = frozenset({"uy ban nhan dan", "hoi dong nhan dan"})

NEAR_MISS_CUTOFF = 0.75
NEAR_MISS_LIMIT = 3


def folded_key(name: str) -> str:
    """The diacritic-free, abbreviation-expanded key: "Phòng Lao động, TB - XH" and
    "Phòng Lao động - Thương binh và Xã hội" both give "phong lao dong thuong binh xa hoi"."""
    text = unicodedata.normalize("NFC", name or "").replace("&", " và ")
    tokens = [token for token in fold(text).split() if token not in CONNECTORS]
    expanded: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_LONGEST_ABBREVIATION, len(tokens) - i), 0, -1):
            replacement = ABBREVIATIONS.get(tuple(tokens[i:i + size]))
            if replacement is not None:
                expanded.extend(replacement.split())
                i += size
                break
        else:
            expanded.append(tokens[i])
            i += 1
    return " ".join(expanded)


def without_locality(key: str) -> str:
    """A folded key without a trailing qualifier naming the district; "" when nothing specific is left."""
    tokens = key.split()
    for suffix in LOCALITY_SUFFIXES:
        if len(tokens) > len(suffix) and tuple(tokens[-len(suffix):]) == suffix:
            tokens = tokens[:-len(suffix)]
            break
    stripped = " ".join(tokens)
    return "" if stripped in GENERIC_KEYS else stripped


@dataclass(frozen=True)
class Match:
    """What a name resolved to. ``unit`` is set only when exactly one unit fits."""

    query: str
    unit: Unit | None
    candidates: tuple[Unit, ...] = ()  # the units that all fit (ambiguous), or the nearest names (no fit)
    how: str = ""  # "code" | "name" | "alias" | "folded" | "" (unmatched)
    ambiguous: bool = False  # several units fit: the candidates are all equally good

    @property
    def message(self) -> str:
        """Why the name did not resolve, in Vietnamese; "" when it did."""
        if self.unit is not None:
            return ""
        names = "; ".join(unit.name for unit in self.candidates)
        if self.ambiguous:
            return (
                f"Không xác định được đơn vị “{self.query}”: tên (hoặc mã) này chỉ tới nhiều đơn vị: {names}. "
                "Hệ thống không tự chọn; hãy chỉ rõ đơn vị hoặc bổ sung tên gọi khác cho đúng đơn vị."
            )
        if self.candidates:
            return f"Không tìm thấy đơn vị “{self.query}” trong danh mục đơn vị. Tên gần giống: {names}."
        return f"Không tìm thấy đơn vị “{self.query}” trong danh mục đơn vị."


class UnitMatcher:
    """Resolves names and codes to units; loads the registry once, then answers from memory.

    ``units`` defaults to every unit, inactive ones included (an old export may name a unit since
    merged); pass a queryset or a list to match among fewer."""

    def __init__(self, units=None):
        units = list(Unit.objects.all() if units is None else units)
        # Two queries whatever the number of units: all aliases, all codes.
        prefetch_related_objects(units, "aliases", "codes")
        self._units: dict[int, Unit] = {unit.pk: unit for unit in units}
        self._names: dict[str, set[int]] = defaultdict(set)
        self._aliases: dict[str, set[int]] = defaultdict(set)
        self._folded: dict[str, set[int]] = defaultdict(set)
        self._folded_local: dict[str, set[int]] = defaultdict(set)
        self._codes: dict[tuple[str, str], int] = {}
        self._codes_any_system: dict[str, set[int]] = defaultdict(set)
        self._learned: dict[str, int] = {}
        for unit in units:
            for name in (unit.name, unit.short_name):
                self._index(self._names, name, unit.pk)
            for alias in unit.aliases.all():
                self._index(self._aliases, alias.name, unit.pk)
            for unit_code in unit.codes.all():
                self._codes[(unit_code.system, unit_code.code.strip())] = unit.pk
                self._codes_any_system[unit_code.code.strip()].add(unit.pk)

    def _index(self, exact_index: dict[str, set[int]], name: str, unit_id: int) -> None:
        if not name or not name.strip():
            return
        exact_index[fold_keep_marks(name)].add(unit_id)
        key = folded_key(name)
        self._folded[key].add(unit_id)
        local = without_locality(key)
        if local:
            self._folded_local[local].add(unit_id)

    def learn(self, name: str, unit: Unit) -> None:
        """Map a new spelling to a unit for the rest of this matcher's life (the caller saves the alias)."""
        self._units.setdefault(unit.pk, unit)
        self._learned[fold_keep_marks(name)] = unit.pk
        self._index(self._aliases, name, unit.pk)

    def match(self, name: str, *, code: str | None = None, system: str | None = None) -> Match:
        """The unit that ``name`` (and ``code`` of ``system``, when given) means, or why there is none."""
        query = (name or "").strip()
        by_name = self._match_name(query)
        code_unit_id = self._unit_id_for_code(code, system)
        if code_unit_id is None:
            return by_name
        code_unit = self._units[code_unit_id]
        if by_name.unit is not None and by_name.unit.pk != code_unit_id:
            # The code and the name point at different units: a wrong code or a wrong row; say so.
            return Match(query, None, (code_unit, by_name.unit), "", ambiguous=True)
        return Match(query, code_unit, (), "code")

    def _unit_id_for_code(self, code, system) -> int | None:
        if code is None or str(code).strip() == "":
            return None
        code = str(code).strip()
        if system is not None:
            return self._codes.get((system, code))
        found = self._codes_any_system.get(code, set())
        return next(iter(found)) if len(found) == 1 else None

    def _match_name(self, query: str) -> Match:
        if not query:
            return Match(query, None, (), "")
        exact = fold_keep_marks(query)
        if exact in self._learned:
            return Match(query, self._units[self._learned[exact]], (), "alias")
        key = folded_key(query)
        local = without_locality(key)
        steps = (
            ("name", self._names.get(exact)),
            ("alias", self._aliases.get(exact)),
            ("folded", self._folded.get(key)),
            ("folded", self._folded_local.get(local) if local else None),
        )
        for how, unit_ids in steps:
            if not unit_ids:
                continue
            if len(unit_ids) == 1:
                return Match(query, self._units[next(iter(unit_ids))], (), how)
            return Match(query, None, self._sorted(unit_ids), "", ambiguous=True)
        return Match(query, None, self._near_misses(key), "")

    def _near_misses(self, key: str) -> tuple[Unit, ...]:
        close = difflib.get_close_matches(key, list(self._folded), n=NEAR_MISS_LIMIT * 3, cutoff=NEAR_MISS_CUTOFF)
        unit_ids: list[int] = []
        for found in close:
            for unit_id in sorted(self._folded[found]):
                if unit_id not in unit_ids:
                    unit_ids.append(unit_id)
        return tuple(self._units[unit_id] for unit_id in unit_ids[:NEAR_MISS_LIMIT])

    def _sorted(self, unit_ids) -> tuple[Unit, ...]:
        return tuple(sorted((self._units[i] for i in unit_ids), key=lambda unit: (unit.sort_order, unit.name)))
