"""Uploaded files between preview and confirm: kept under MEDIA_ROOT/imports/<sha256>/<name>, so
that the confirm imports exactly the bytes that were previewed, and a batch can be re-imported."""

import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.utils.text import get_valid_filename

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def save_upload(upload) -> tuple[str, Path]:
    """Store an uploaded file under its sha256; the same bytes again reuse the stored copy."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    folder = imports_dir() / sha256
    name = get_valid_filename(Path(upload.name).name)[-120:] or "tep"
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / (name + ".part")
        with partial.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        partial.replace(path)  # a crash mid-write never leaves a half file under the real name
    return sha256, path


def stored_file(sha256: str) -> Path | None:
    """The stored file of ``sha256``, or None (unknown, malformed, or cleaned away)."""
    if not SHA256_RE.match(sha256 or ""):
        return None
    folder = imports_dir() / sha256
    if not folder.is_dir():
        return None
    return next((p for p in sorted(folder.iterdir()) if p.is_file() and not p.name.endswith(".part")), None)


def keep_file(path: Path, sha256: str) -> Path:
    """Copy a file imported some other way (the nightly job) into the store, for re-import."""
    import shutil

    folder = imports_dir() / sha256
    target = folder / Path(path).name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, folder / (target.name + ".part"))
        (folder / (target.name + ".part")).replace(target)
    return target
