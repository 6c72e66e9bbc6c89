"""Loading the unit registry from its JSON fixture; safe to run any number of times."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Unit, UnitAlias, UnitCode
from .text import fold

REGISTRY_FILE = Path(settings.BASE_DIR) / "fixtures" / "units" / "vinh_linh.json"


@transaction.atomic
def load_registry(path: Path = REGISTRY_FILE) -> int:
    """Create or update every unit of the fixture with its codes and aliases; returns the count."""
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
    return len(by_name)
