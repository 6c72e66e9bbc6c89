"""Loading a unit registry from its JSON fixture; safe to run any number of times.

A fixture holds one authority's tree: its "authority" block (what its letters print), its
"units", the "successions" between them (merges, splits, renames on a date) and, for a demo,
its "demo_users". fixtures/units/vinh_linh.json is the district of the seeds; every other
fixture there is a further demo authority."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Authority, Unit, UnitAlias, UnitCode
from .text import fold

UNITS_DIR = Path(settings.BASE_DIR) / "fixtures" / "units"
REGISTRY_FILE = UNITS_DIR / "vinh_linh.json"
# The second demo authority: a province scoring a handful of merged communes (invented names).
PROVINCE_FILE = UNITS_DIR / "quang_tri_minh_hoa.json"
AUTHORITY_FIELDS = ("level", "division", "place", "province", "short_name", "agency_lines", "symbols",
                    "chairman", "vice_chairman", "note",
                    "subordinates_phrase", "rank_scope", "peers_short", "metric_targets",
                    "home_affairs_office", "phrases")


@transaction.atomic
def load_registry(path: Path = REGISTRY_FILE) -> int:
    """Create or update every unit of the fixture with its codes and aliases, its authority and its
    successions; returns the count of units."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    by_name: dict[str, Unit] = {}
    for row in data["units"]:
        parent = by_name[row["parent"]] if row.get("parent") else None
        unit, _ = Unit.objects.update_or_create(
            name=row["name"],
            defaults={
                "short_name": row.get("short_name", ""),
                "kind": row["kind"],
                "parent": parent,
                "sort_order": row.get("sort_order", 0),
            },
        )
        by_name[unit.name] = unit
        for system, code in row.get("codes", {}).items():
            UnitCode.objects.update_or_create(system=system, code=code, defaults={"unit": unit})
        # The fixture lists every spelling met in the documents; spellings that differ only by case,
        # spacing or punctuation fold alike, and one row per folded form is what the table keeps.
        known = set(unit.aliases.values_list("folded", flat=True))
        for alias in row.get("aliases", []):
            if fold(alias) not in known:
                UnitAlias.objects.create(unit=unit, name=alias)
                known.add(fold(alias))
    if data.get("authority"):
        load_authority(data["authority"], by_name)
    for row in data.get("successions", []):
        load_succession(row, by_name)
    return len(by_name)


def load_authority(block: dict, by_name: dict[str, Unit]) -> Authority:
    """The authority block of a fixture: "name" is its root unit's, the rest Authority's fields."""
    unit = by_name.get(block["name"]) or Unit.objects.get(name=block["name"])
    values = {field: block[field] for field in AUTHORITY_FIELDS if field in block}
    authority, created = Authority.objects.get_or_create(unit=unit, defaults=values)
    changed = [field for field, value in values.items() if getattr(authority, field) != value]
    if not created and changed:
        for field in changed:
            setattr(authority, field, values[field])
        authority.save(update_fields=changed)
    return authority


def load_succession(row: dict, by_name: dict[str, Unit]):
    from .succession import record_succession

    def units(names):
        return [by_name.get(name) or Unit.objects.get(name=name) for name in names]

    return record_succession(
        kind=row["kind"], predecessors=units(row["predecessors"]), successors=units(row["successors"]),
        effective_date=date.fromisoformat(row["effective_date"]), legal_basis=row.get("legal_basis", ""),
        note=row.get("note", ""),
    )


@transaction.atomic
def create_fixture_users(path: Path) -> list[str]:
    """The demo accounts a fixture lists ("demo_users"), made as units.accounts makes its own
    (same password, reviewers in the reviewers' group); a user that exists is left as it is."""
    from django.contrib.auth import get_user_model

    from .accounts import DEMO_PASSWORD, reviewer_group
    from .choices import Role
    from .models import Membership

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    User = get_user_model()
    names = []
    for row in data.get("demo_users", []):
        names.append(row["username"])
        if User.objects.filter(username=row["username"]).exists():
            continue
        unit = Unit.objects.get(name=row["unit"]) if row.get("unit") else None
        user = User.objects.create_user(row["username"], password=DEMO_PASSWORD, first_name=row["first_name"],
                                        last_name=row["last_name"], is_staff=row["role"] == Role.REVIEWER)
        Membership.objects.create(user=user, role=row["role"], unit=unit)
        if row["role"] == Role.REVIEWER:
            user.groups.add(reviewer_group())
    return names
