"""One file through the whole pipeline: read, validate, resolve names, and store unless it is a
dry run or the file is refused. Commands, views and tasks call this and only present the result."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .pipeline import read_file, resolve_units
from .report import ImportReport


@dataclass
class ImportOutcome:
    report: ImportReport
    stored: object = None  # documents.actions.StoreResult when written
    sha256: str = ""

    @property
    def message(self) -> str:
        if self.report.refused:
            return f"Tệp {self.report.file} bị từ chối: {len(self.report.errors)} lỗi, không nhập gì."
        if self.stored is None:
            dossiers = (f"{self.report.dossiers} hồ sơ của " if self.report.layout == "dossiers" else "")
            return (f"Chạy thử tệp {self.report.file}: đọc {dossiers}{len(self.report.rows)} đơn vị, "
                    f"{len(self.report.warnings)} cảnh báo; chưa ghi gì.")
        return self.stored.message


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def default_matcher(scope=None):
    """The registry's matcher; with ``scope`` (a root unit or unit ids), one that matches inside it."""
    from units.matching import UnitMatcher

    return UnitMatcher(scope=scope)


def uploader_authority(acting_user):
    """The root unit a bound uploader imports for (units.access.authority_root), else None: an
    unbound reviewer and the nightly import match across every authority's tree."""
    from units.access import authority_root

    return authority_root(acting_user) if getattr(acting_user, "is_authenticated", False) else None


def import_file(path, *, period, acting_user=None, source: str | None = None, dry_run: bool = False,
                mapping: dict | None = None, matcher=None, display_name: str | None = None) -> ImportOutcome:
    from ..actions import batch_authority, store_batch

    path = Path(path)
    report = read_file(path, source=source, display_name=display_name, as_of=getattr(period, "end", None))
    if report.rows:
        matcher = matcher or default_matcher()
        bound = uploader_authority(acting_user)
        if bound is not None and hasattr(matcher, "within"):
            # A bound reviewer imports their own authority's figures: a unit of the same name in
            # another authority's tree is not the one their file means.
            matcher = matcher.within(bound)
        if hasattr(matcher, "as_of") and getattr(period, "end", None):
            # Names resolve to the units that existed at the period's end (units merge and are renamed).
            matcher = matcher.as_of(period.end)
        resolve_units(report, matcher, mapping)
    authority = None
    if not report.refused:
        # Said in the dry run too: a file of another authority's units is refused before it is confirmed.
        authority, problem = batch_authority(report, acting_user)
        if problem:
            report.error(problem, value=report.file, expected="đơn vị của một cơ quan chấm điểm")
    outcome = ImportOutcome(report)
    if report.refused:
        return outcome
    outcome.sha256 = file_sha256(path)
    if not dry_run:
        outcome.stored = store_batch(report, acting_user=acting_user, period=period, file_name=report.file,
                                     sha256=outcome.sha256, mapping=mapping, authority=authority)
    return outcome
