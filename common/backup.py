"""Backup and restore of everything the office would lose with the server: the database and MEDIA_ROOT.

One .tar.gz holds
  manifest.json  format and version, when, from which database, applied migrations, rows per model,
                 size and sha256 of every other member;
  database.json  every app's rows as Django serialises them (dumpdata's natural order, natural keys for
                 content types and permissions);
  media/...      every file under MEDIA_ROOT: evidence, generated letters, kept import uploads.

Why Django's JSON and not pg_dump: the same archive restores into SQLite or PostgreSQL, whichever the
backup came from (a district moving from the embedded default to a server, or a copy opened on a
laptop), needs no client binaries of a matching major version, and can be read and checked with nothing
but Python. Its cost: it is slower than pg_dump on very large tables and holds one model at a time in
memory on restore; a district's data (tens of thousands of scores) takes seconds.

Restore goes into an empty database (a fresh ``migrate``) and an empty MEDIA_ROOT unless forced, checks
every sha256 before touching anything, and loads inside one transaction: a failure leaves the database
and MEDIA_ROOT as they were."""

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "cchc-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
MEDIA_PREFIX = "media/"
# Recreated by every `migrate` (post_migrate) and referred to by natural key in the dump; sessions are
# logins, not data: after a restore everyone signs in again.
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
# Apps whose rows a fresh `migrate` writes itself (the nightly import schedule, documents/0004): they do
# not make a database "not empty", and the backup's rows replace them.
SEEDED_BY_MIGRATIONS = {"django_celery_beat"}
# Files being written (documents.uploads writes <name>.part, then renames) are not yet data.
PARTIAL_SUFFIX = ".part"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the administrator, in Vietnamese."""


@dataclass
class BackupReport:
    path: Path
    counts: dict[str, int]
    files: int
    bytes: int


@dataclass
class RestoreReport:
    counts: dict[str, int]
    files: int
    set_aside: Path | None = None
    warnings: list[str] = field(default_factory=list)


# --- backup -------------------------------------------------------------------------------------

def create_backup(output: Path) -> BackupReport:
    """Write the archive to ``output`` (through ``output.part``, so a crash leaves no half archive)."""
    output = Path(output)
    partial = output.with_name(output.name + PARTIAL_SUFFIX)
    with tempfile.TemporaryDirectory(prefix="cchc-backup-") as work:
        dump = Path(work) / DATABASE
        _dump_database(dump)
        counts = _count_objects(dump)
        members = []
        with tarfile.open(partial, "w:gz") as archive:
            members.append(_add_file(archive, dump, DATABASE))
            for path, relative in _media_files(Path(settings.MEDIA_ROOT)):
                members.append(_add_file(archive, path, MEDIA_PREFIX + relative))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": _app_version(),
                "created": timezone.now().isoformat(),
                "database_vendor": connection.vendor,
                "migrations": _applied_migrations(),
                "counts": counts,
                "files": members,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
    partial.replace(output)
    media = [m for m in members if m["name"].startswith(MEDIA_PREFIX)]
    return BackupReport(output, counts, len(media), sum(m["size"] for m in media))


def _dump_database(path: Path) -> None:
    """Every restored model's rows, in dumpdata's natural order (a model after those it points to),
    in one transaction; on PostgreSQL a repeatable-read snapshot, so that rows written while the dump
    runs never leave a score without its assessment.

    Serialised here rather than by dumpdata: dumpdata's JSON encoder cuts datetimes to milliseconds,
    and a restore must give back every value as it was."""
    tables = set(connection.introspection.table_names())
    wanted = {m for m in _restored_models() if m._meta.db_table in tables}  # no table yet: no rows to save
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module is not None]
    models = [m for m in serializers.sort_dependencies(app_list, allow_cycles=True) if m in wanted]

    def rows():
        for model in models:
            yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)

    # Inside a caller's transaction (a test, say) the isolation level can no longer be chosen.
    nested = connection.in_atomic_block
    with transaction.atomic(), path.open("w", encoding="utf-8") as handle:
        if connection.vendor == "postgresql" and not nested:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        serializers.serialize("json", rows(), stream=handle, use_natural_foreign_keys=True, cls=PreciseJSONEncoder)


class PreciseJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder with datetimes and times to the microsecond."""

    def default(self, o):
        if isinstance(o, (datetime, time)):
            return o.isoformat()
        return super().default(o)


def _count_objects(dump: Path) -> dict[str, int]:
    with dump.open(encoding="utf-8") as handle:
        counts = Counter(obj["model"] for obj in json.load(handle))
    return dict(sorted(counts.items()))


class _HashingReader:
    """Hands a file to tarfile while hashing the very bytes that go into the archive."""

    def __init__(self, handle):
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict:
    with path.open("rb") as handle:
        info = archive.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"name": name, "size": info.size, "sha256": reader.digest.hexdigest()}


def _media_files(root: Path):
    """(path, posix path relative to root) of every regular file under MEDIA_ROOT, sorted.

    Top-level names starting with a dot are the restore's own working folders, and *.part files are
    still being written: neither is data."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            files = [f for f in files if not f.startswith(".")]
        dirs.sort()
        for name in sorted(files):
            path = here / name
            if name.endswith(PARTIAL_SUFFIX) or path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(root).as_posix()


def _app_version() -> str:
    try:
        return metadata.version("cchc-scorekeeping")
    except metadata.PackageNotFoundError:
        return "unknown"


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


# --- restore ------------------------------------------------------------------------------------

def restore_backup(archive_path: Path, *, force: bool = False) -> RestoreReport:
    """Restore an archive made by create_backup; see the module docstring for the guarantees."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive_path}.")
    media_root = Path(settings.MEDIA_ROOT)
    report = RestoreReport(counts={}, files=0)
    if not force:
        _check_empty(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    # Staged inside MEDIA_ROOT so that putting the files in place is a rename on the same disk.
    staging = Path(tempfile.mkdtemp(prefix=".dang-khoi-phuc-", dir=media_root))
    try:
        manifest = _unpack_and_verify(archive_path, staging)
        report.warnings = _check_migrations(manifest)
        report.counts = manifest["counts"]
        report.files = sum(1 for m in manifest["files"] if m["name"].startswith(MEDIA_PREFIX))
        moved: list[Path] = []
        set_aside = None
        try:
            with transaction.atomic():
                _flush_restored_tables()
                call_command("loaddata", str(staging / DATABASE), verbosity=0)
                _check_counts(manifest["counts"])
                if force:
                    set_aside = _set_aside(media_root)
                moved = _put_media_in_place(staging / "media", media_root)
        except Exception as exc:
            for path in moved:
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
            if set_aside is not None:
                for entry in set_aside.iterdir():
                    entry.rename(media_root / entry.name)
                set_aside.rmdir()
            if isinstance(exc, BackupError):
                raise
            raise BackupError(f"Nạp dữ liệu không thành công ({type(exc).__name__}: {exc}); "
                              "cơ sở dữ liệu và thư mục tệp vẫn như trước khi khôi phục.") from exc
        report.set_aside = set_aside
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _check_empty(media_root: Path) -> None:
    """Refuse to mix a backup with data already there: rows of any model (beyond what `migrate`
    writes) or files under MEDIA_ROOT."""
    tables = set(connection.introspection.table_names())
    filled = [
        f"{model._meta.label} ({n})" for model in _restored_models()
        if model._meta.app_label not in SEEDED_BY_MIGRATIONS and model._meta.db_table in tables
        and (n := model._base_manager.count())
    ]
    if filled:
        raise BackupError(
            "Cơ sở dữ liệu đang có dữ liệu: " + ", ".join(filled[:8]) + ("…" if len(filled) > 8 else "")
            + ". Chỉ khôi phục vào cơ sở dữ liệu trống (vừa chạy `manage.py migrate`); "
              "muốn ghi đè toàn bộ dữ liệu hiện có thì chạy lại với --force."
        )
    existing = next(_media_files(media_root), None)
    if existing is not None:
        raise BackupError(
            f"Thư mục tệp (MEDIA_ROOT = {media_root}) đang có tệp, ví dụ {existing[1]}. "
            "Chỉ khôi phục vào thư mục trống; muốn ghi đè thì chạy lại với --force "
            "(các tệp cũ được chuyển sang một thư mục riêng, không bị xóa)."
        )


def _restored_models():
    """Every model a backup holds rows of (and a restore empties first)."""
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in excluded_apps or meta.label_lower in excluded_models:
            continue
        yield model


def _unpack_and_verify(archive_path: Path, staging: Path) -> dict:
    """Extract into ``staging`` and check the manifest: every member named there, of its size and
    sha256, nothing more, no path outside the staging folder."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            try:
                manifest = json.load(archive.extractfile(MANIFEST))
            except (KeyError, TypeError, ValueError) as exc:
                raise BackupError("Tệp sao lưu không có manifest.json hợp lệ; không phải bản sao lưu của hệ thống này.") from exc
            if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"Định dạng sao lưu không hỗ trợ: {manifest.get('format')!r} phiên bản {manifest.get('format_version')!r} "
                    f"(cần {FORMAT!r} phiên bản {FORMAT_VERSION})."
                )
            expected = {m["name"]: m for m in manifest["files"]}
            if DATABASE not in expected:
                raise BackupError("Tệp sao lưu thiếu phần cơ sở dữ liệu (database.json).")
            seen = set()
            for member in archive:
                if member.name == MANIFEST:
                    continue
                entry = expected.get(member.name)
                if entry is None or not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"Tệp sao lưu có mục lạ không ghi trong manifest: {member.name}.")
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with archive.extractfile(member) as source, target.open("wb") as sink:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        sink.write(chunk)
                if digest.hexdigest() != entry["sha256"] or target.stat().st_size != entry["size"]:
                    raise BackupError(f"Tệp {member.name} trong bản sao lưu bị hỏng hoặc đã bị sửa (sai mã sha256).")
                seen.add(member.name)
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(f"Tệp sao lưu thiếu {len(missing)} tệp ghi trong manifest, ví dụ {missing[0]}.")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"Không đọc được tệp sao lưu {archive_path.name}: {exc}") from exc
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and (name == DATABASE or name.startswith(MEDIA_PREFIX))


def _check_migrations(manifest: dict) -> list[str]:
    applied = set(_applied_migrations())
    missing = sorted(set(manifest["migrations"]) - applied)
    if missing:
        raise BackupError(
            f"Bản sao lưu được tạo từ phiên bản mới hơn (phiên bản {manifest.get('app_version')}): cơ sở dữ liệu "
            f"này chưa có {len(missing)} migration, ví dụ {missing[0]}. Cập nhật mã nguồn rồi chạy "
            "`manage.py migrate` trước khi khôi phục."
        )
    newer = sorted(applied - set(manifest["migrations"]))
    return [f"Cơ sở dữ liệu có {len(newer)} migration mới hơn bản sao lưu; dữ liệu được nạp theo cấu trúc mới."] if newer else []


def _flush_restored_tables() -> None:
    """Empty every table the backup fills (what `migrate` wrote, or everything with --force)."""
    tables = set()
    for model in _restored_models():
        tables.add(model._meta.db_table)
        tables.update(f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many
                      if f.remote_field.through._meta.auto_created)
    existing = set(connection.introspection.table_names())
    statements = connection.ops.sql_flush(no_style(), sorted(tables & existing), reset_sequences=False)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks still pending in this transaction
        # (rows written earlier in it, as in a test): run those checks now, then defer again for the load.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.ops.execute_sql_flush(statements)


def _check_counts(expected: dict[str, int]) -> None:
    for label, count in expected.items():
        model = apps.get_model(label)
        actual = model._base_manager.count()
        if actual != count:
            raise BackupError(f"Sau khi nạp, bảng {label} có {actual} dòng, bản sao lưu ghi {count}: không khôi phục.")


def _set_aside(media_root: Path) -> Path | None:
    """--force: move what MEDIA_ROOT holds into a dated hidden folder inside it (kept, not deleted)."""
    entries = [e for e in media_root.iterdir() if not e.name.startswith(".")]
    if not entries:
        return None
    aside = media_root / f".truoc-khoi-phuc-{datetime.now():%Y%m%d-%H%M%S}"
    aside.mkdir()
    for entry in entries:
        entry.rename(aside / entry.name)
    return aside


def _put_media_in_place(staged: Path, media_root: Path) -> list[Path]:
    moved = []
    if staged.is_dir():
        for entry in sorted(staged.iterdir()):
            target = media_root / entry.name
            entry.rename(target)
            moved.append(target)
    return moved
