"""The demo spreadsheets (fixtures/spreadsheets, rebuilt from the seed appendices by
scripts/build_demo_spreadsheets.py) imported through the same pipeline as any upload."""

import json
from pathlib import Path

from django.conf import settings

from scoring.models import Period

from .importing.run import default_matcher, file_sha256, import_file
from .models import ImportBatch

MANIFEST = Path(settings.BASE_DIR) / "fixtures" / "spreadsheets" / "manifest.json"


def load_demo_spreadsheets(manifest: Path = MANIFEST, *, acting_user=None) -> list[str]:
    """Import every file of the manifest for its period; one readable line per file.

    A file whose sha256 was already imported for that period (current or superseded since) is
    left alone, so running the demo loader again never replaces what a reviewer imported later."""
    entries = json.loads(Path(manifest).read_text(encoding="utf-8"))
    matcher = default_matcher()
    lines = []
    for name, entry in entries.items():
        path = Path(manifest).parent / name
        period = Period.objects.get(code=entry["period"])
        if ImportBatch.objects.filter(sha256=file_sha256(path), period=period).exists():
            lines.append(f"Số liệu mẫu {name}: đã nhập cho kỳ {period.code}, bỏ qua.")
            continue
        outcome = import_file(path, period=period, source=entry["source"], acting_user=acting_user, matcher=matcher)
        if outcome.report.refused:
            # The demo files are built from the seeds: a refusal is a bug, and must not pass quietly.
            raise RuntimeError(outcome.message + " " + "; ".join(m.text for m in outcome.report.errors[:5]))
        lines.append(f"Số liệu mẫu {name}: {outcome.message}")
    return lines
