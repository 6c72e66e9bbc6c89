"""Finding the registry unit a spreadsheet, letter or user means by a name.

Spellings of one unit vary a lot in the provincial exports and letters ("Phòng Lao động, TB - XH",
"Trung tâm VHHTT- TĐTT", "UBND Thị Trấn Hồ Xá"). The matcher tries, in order:

1. a code of a provincial system (QLVB ID …), when the caller has one;
2. the unit's name or short name, ignoring case, spacing and punctuation but not diacritics;
3. a recorded alias (``UnitAlias``), or a spelling learned in this session;
4. the *folded* key: no diacritics, "và"/"&" dropped, the abbreviations of ``ABBREVIATIONS``
   written out; then the same key without a trailing qualifier naming an authority of the registry
   ("huyện Vĩnh Linh", "cấp huyện", "tỉnh …"), read from the root units' names.

A step that fits exactly one unit resolves; one that fits several stops there and reports them,
so an ambiguous name is never resolved by a later, looser step. A name that fits nothing is
reported with the nearest registry names. Nothing is ever guessed silently.

Units merge, split and are renamed (units.succession). A matcher given a date (``as_of``: an
import's period end) only resolves to the units that existed on that day, so an old file finds the
old commune and a new file the new one, even where both bear the same name; a name of a unit gone
by then is reported with what it became, and resolves to its successor only when asked
(``follow_successors``) and only when there is exactly one.

The registry holds several authorities' trees (units.models.Authority at each root), and two trees
may well each have a commune of the same name. A matcher given a ``scope`` (a root unit, or a set of
unit ids) resolves only to the units inside it: an import by a reviewer bound to an authority finds
that authority's commune. A matcher without a scope sees every tree, and a name that resolves in
one authority's tree but folds to a unit of another authority's is reported as ambiguous, naming
each unit and its authority, rather than resolved to whichever spelling happened to be exact.
"""

from __future__ import annotations

import copy
import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import F, prefetch_related_objects

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

# Words naming a tier of Vietnamese local government, longest first ("thị xã" before "xã"). The
# root unit's name ("UBND huyện Vĩnh Linh") is read as a committee, one of these and a place.
DIVISIONS: tuple[tuple[str, ...], ...] = (
    ("thanh", "pho"), ("thi", "xa"), ("thi", "tran"), ("dac", "khu"),
    ("tinh",), ("huyen",), ("quan",), ("xa",), ("phuong",),
)
COMMITTEE_PREFIXES: tuple[tuple[str, ...], ...] = (("uy", "ban", "nhan", "dan"), ("hoi", "dong", "nhan", "dan"))
_PARENTHESES = re.compile(r"\([^)]*\)")
# What is left of "UBND huyện Vĩnh Linh" or "HĐND huyện" without the qualifier names no unit.
GENERIC_KEYS = frozenset({"uy ban nhan dan", "hoi dong nhan dan"})


def locality_suffixes(root_names) -> tuple[tuple[str, ...], ...]:
    """Trailing qualifiers naming an authority of the registry, longest first: for "UBND huyện Vĩnh
    Linh", "huyện Vĩnh Linh", "Vĩnh Linh", "cấp huyện" and "huyện" — so that "Phòng Y tế Huyện Vĩnh
    Linh" is "Phòng Y tế". Read from the root units' names; a note in brackets is left out."""
    found: set[tuple[str, ...]] = set()
    for name in root_names:
        tokens = tuple(folded_key(_PARENTHESES.sub(" ", name)).split())
        for prefix in COMMITTEE_PREFIXES:
            if tokens[:len(prefix)] == prefix:
                tokens = tokens[len(prefix):]
                break
        division = next((d for d in DIVISIONS if tokens[:len(d)] == d), None)
        if division is None:
            continue
        place = tokens[len(division):]
        found.update({division, ("cap", *division)})
        if place:
            found.update({tokens, place})
    return tuple(sorted(found, key=lambda suffix: (-len(suffix), suffix)))

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


def without_locality(key: str, suffixes: tuple[tuple[str, ...], ...]) -> str:
    """A folded key without a trailing qualifier naming an authority; "" when nothing specific is left."""
    tokens = key.split()
    for suffix in suffixes:
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
    # The name is of a unit that no longer existed on the matcher's date: what it became, and when.
    succeeded_by: tuple[Unit, ...] = ()
    ended_on: date | None = None
    # When ambiguous candidates belong to different authorities: the root unit's name of each, in order.
    authorities: tuple[str, ...] = ()
    # The name is of a unit outside the matcher's scope (candidates: that unit): the scope's authority.
    outside_of: str | None = None

    @property
    def message(self) -> str:
        """Why the name did not resolve, in Vietnamese; "" when it did."""
        if self.unit is not None:
            return ""
        if self.authorities:
            names = "; ".join(f"{unit.name} (thuộc {root})" for unit, root in zip(self.candidates, self.authorities))
        else:
            names = "; ".join(unit.name for unit in self.candidates)
        if self.outside_of is not None:
            return (
                f"“{self.query}” là {names}, không thuộc {self.outside_of or 'các đơn vị được nhập'}; tệp này chỉ "
                f"nhận số liệu của {self.outside_of or 'các đơn vị đó'} (cơ quan quản lý đơn vị kia tự nhập số liệu của mình)."
            )
        if self.ended_on is not None:
            after = "; ".join(unit.name for unit in self.succeeded_by) or "không có đơn vị kế thừa"
            return (
                f"Đơn vị “{self.query}” ({names}) không còn tồn tại từ ngày {self.ended_on:%d/%m/%Y}, trước "
                f"ngày cuối của kỳ nhập; đơn vị kế thừa: {after}. Hệ thống không tự chuyển số liệu sang đơn vị "
                "kế thừa; hãy kiểm tra kỳ của tệp hoặc chỉ định đơn vị."
            )
        if self.ambiguous and self.authorities:
            return (
                f"Không xác định được đơn vị “{self.query}”: tên này có ở cây đơn vị của nhiều cơ quan chấm "
                f"điểm: {names}. Hệ thống không tự chọn; hãy nhập tệp bằng tài khoản của cơ quan có đơn vị "
                "này, chỉ định đơn vị cho tên này hoặc ghi tên đầy đủ của đơn vị."
            )
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
    merged); pass a queryset or a list to match among fewer. ``scope`` (a unit: it and every unit
    below it; or a set of unit ids) resolves only to the units inside it, as ``within(scope)`` does.
    ``as_of(day)`` gives a matcher that resolves only to the units existing on that day."""

    on_date: date | None = None
    follow_successors: bool = False
    scope: frozenset[int] | None = None

    def __init__(self, units=None, *, scope=None):
        # Whether a unit is an authority's root comes with the units (a join), not a query of its own.
        with_authority = Unit.objects.annotate(authority_pk=F("authority__pk"))
        units = list(with_authority if units is None else units)
        # Two queries whatever the number of units: all aliases, all codes.
        prefetch_related_objects(units, "aliases", "codes")
        # Each unit drops only the qualifier of its own authority (the root of its tree): with two
        # authorities in the registry, "Thanh tra tỉnh" must not become the district's "Thanh tra".
        parent_of = {unit.pk: unit.parent_id for unit in units}
        names = {unit.pk: unit.name for unit in units}
        authority_roots = {unit.pk for unit in units if getattr(unit, "authority_pk", None) is not None}
        if not all(hasattr(unit, "authority_pk") for unit in units) or any(
            parent is not None and parent not in parent_of for parent in parent_of.values()
        ):
            # Matching among a few units: the tree above them is read from the registry (one query).
            for pk, parent, name, authority in with_authority.values_list("pk", "parent_id", "name", "authority_pk"):
                parent_of[pk], names[pk] = parent, name
                if authority is not None:
                    authority_roots.add(pk)
        root_of = {unit.pk: self._root(unit.pk, parent_of) for unit in units}
        self._suffixes_by_root = {root: locality_suffixes([names[root]]) for root in set(root_of.values())}
        self._root_of = root_of
        # Only roots with an Authority are trees whose names may clash: a lone unit is no authority.
        self._authority_of = {pk: root for pk, root in root_of.items() if root in authority_roots}
        self._root_names = {root: names[root] for root in authority_roots}
        self._successions = None  # loaded by the first as_of()
        self._units: dict[int, Unit] = {unit.pk: unit for unit in units}
        self._names: dict[str, set[int]] = defaultdict(set)
        self._aliases: dict[str, set[int]] = defaultdict(set)
        self._folded: dict[str, set[int]] = defaultdict(set)
        self._folded_local: dict[tuple[int | None, str], set[int]] = defaultdict(set)
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
        if scope is not None:
            self.scope = _scope_ids(scope)

    def _index(self, exact_index: dict[str, set[int]], name: str, unit_id: int) -> None:
        if not name or not name.strip():
            return
        exact_index[fold_keep_marks(name)].add(unit_id)
        key = folded_key(name)
        self._folded[key].add(unit_id)
        root = self._root_of.get(unit_id)
        local = without_locality(key, self._suffixes_by_root.get(root, ()))
        if local:
            self._folded_local[(root, local)].add(unit_id)

    @staticmethod
    def _root(unit_id: int, parent_of: dict[int, int | None]) -> int:
        seen = {unit_id}
        while parent_of.get(unit_id) is not None and parent_of[unit_id] not in seen:
            unit_id = parent_of[unit_id]
            seen.add(unit_id)
        return unit_id

    def _local_ids(self, key: str) -> set[int]:
        """Units whose key, without their own authority's qualifier, is the query's without it."""
        found: set[int] = set()
        for root, suffixes in self._suffixes_by_root.items():
            local = without_locality(key, suffixes)
            if local:
                found |= self._folded_local.get((root, local), set())
        return found

    def within(self, scope) -> "UnitMatcher":
        """This matcher resolving only to the units of ``scope``: a unit (it and its whole subtree,
        e.g. an authority's root) or a set of unit ids. Shares the indexes (and what was learned)."""
        scoped = copy.copy(self)
        scoped.scope = _scope_ids(scope)
        return scoped

    def as_of(self, day: date | None, *, follow_successors: bool = False) -> "UnitMatcher":
        """This matcher for a file whose figures end on ``day``: it resolves a name only to a unit
        that existed that day; with ``follow_successors``, a name of a unit merged or renamed by then
        resolves to the one unit that took it over. Shares the indexes (and what was learned)."""
        if self._successions is None:
            from .succession import SuccessionIndex

            self._successions = SuccessionIndex.load()
        dated = copy.copy(self)
        dated.on_date, dated.follow_successors = day, follow_successors
        return dated

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

    def _in_scope(self, unit_ids) -> set[int]:
        unit_ids = set(unit_ids or ())
        return unit_ids if self.scope is None else unit_ids & self.scope

    def _unit_id_for_code(self, code, system) -> int | None:
        if code is None or str(code).strip() == "":
            return None
        code = str(code).strip()
        if system is not None:
            found = self._in_scope({self._codes[(system, code)]} if (system, code) in self._codes else set())
        else:
            found = self._in_scope(self._codes_any_system.get(code))
        # A code of a unit outside the scope is another authority's: the name alone decides here.
        return next(iter(found)) if len(found) == 1 else None

    def _match_name(self, query: str) -> Match:
        if not query:
            return Match(query, None, (), "")
        exact = fold_keep_marks(query)
        if exact in self._learned and self._in_scope({self._learned[exact]}):
            return Match(query, self._units[self._learned[exact]], (), "alias")
        key = folded_key(query)
        steps = (
            ("name", self._names.get(exact)),
            ("alias", self._aliases.get(exact)),
            ("folded", self._folded.get(key)),
            ("folded", self._local_ids(key)),
        )
        for how, unit_ids in steps:
            unit_ids = self._in_scope(unit_ids)
            if not unit_ids:
                continue
            # An exact spelling in one authority's tree does not outweigh the same folded name in
            # another's: which authority's unit the file means is not for the matcher to guess.
            unit_ids |= self._other_authorities(unit_ids, self._in_scope(self._folded.get(key)))
            if self.on_date is not None:
                return self._dated(query, unit_ids, how)
            if len(unit_ids) == 1:
                return Match(query, self._units[next(iter(unit_ids))], (), how)
            return self._ambiguous(query, unit_ids)
        if self.scope is not None:
            return self._outside(query) or Match(query, None, self._near_misses(key), "")
        return Match(query, None, self._near_misses(key), "")

    def _outside(self, query: str) -> Match | None:
        """A name that fits nothing in the scope but one unit outside it: say whose unit it is."""
        wide = copy.copy(self)
        wide.scope = None
        found = wide._match_name(query)
        if found.unit is None:
            return None
        roots = {self._authority_of.get(unit_id) for unit_id in self.scope}
        scope_name = self._root_names[next(iter(roots))] if len(roots) == 1 and None not in roots else ""
        root = self._authority_of.get(found.unit.pk)
        authorities = (self._root_names[root],) if root is not None else ()
        return Match(query, None, (found.unit,), "", authorities=authorities, outside_of=scope_name)

    def _other_authorities(self, found: set[int], alike: set[int]) -> set[int]:
        """The units of ``alike`` in another authority's tree than every unit of ``found``."""
        roots = {self._authority_of.get(unit_id) for unit_id in found}
        if None in roots:
            return set()
        return {unit_id for unit_id in alike if self._authority_of.get(unit_id) not in (None, *roots)}

    def _ambiguous(self, query: str, unit_ids: set[int]) -> Match:
        candidates = self._sorted(unit_ids)
        roots = [self._authority_of.get(unit.pk) for unit in candidates]
        authorities = ()
        if None not in roots and len(set(roots)) > 1:
            authorities = tuple(self._root_names[root] for root in roots)
        return Match(query, None, candidates, "", ambiguous=True, authorities=authorities)

    def _dated(self, query: str, unit_ids: set[int], how: str) -> Match:
        """Among the units a step found, those that existed on the matcher's date decide."""
        index, day = self._successions, self.on_date
        valid = {i for i in unit_ids if index.valid_on(i, day)}
        if len(valid) == 1:
            return Match(query, self._units[next(iter(valid))], (), how)
        if valid:
            return self._ambiguous(query, valid)
        # Every unit of that name was gone (or not yet there) on that day.
        gone = self._sorted(unit_ids)
        after = tuple(_unique_units(u for i in unit_ids for u in index.successors_on(i, day) if self._in_scope({u.pk})))
        if self.follow_successors and len(after) == 1:
            return Match(query, after[0], (), "successor")
        ended = [index.ended_on(i) for i in unit_ids if index.ended_on(i) is not None]
        if not ended:  # not yet created on that day: say so like an unknown name, with the unit named
            return Match(query, None, gone, "")
        return Match(query, None, gone, "", succeeded_by=after, ended_on=min(ended))

    def _near_misses(self, key: str) -> tuple[Unit, ...]:
        close = difflib.get_close_matches(key, list(self._folded), n=NEAR_MISS_LIMIT * 3, cutoff=NEAR_MISS_CUTOFF)
        unit_ids: list[int] = []
        for found in close:
            for unit_id in sorted(self._in_scope(self._folded[found])):
                if unit_id not in unit_ids:
                    unit_ids.append(unit_id)
        return tuple(self._units[unit_id] for unit_id in unit_ids[:NEAR_MISS_LIMIT])

    def _sorted(self, unit_ids) -> tuple[Unit, ...]:
        return tuple(sorted((self._units[i] for i in unit_ids), key=lambda unit: (unit.sort_order, unit.name)))


def _scope_ids(scope) -> frozenset[int]:
    """A unit as the ids of it and its subtree; a collection of ids as they are."""
    if isinstance(scope, Unit):
        from .access import subtree_ids

        return frozenset(subtree_ids(scope))
    return frozenset(scope)


def _unique_units(units) -> list[Unit]:
    seen: dict[int, Unit] = {}
    for unit in units:
        seen.setdefault(unit.pk, unit)
    return list(seen.values())
