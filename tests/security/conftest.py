"""The hostile-input tests' world: the API tests' world (demo registry and sets, Vĩnh Linh
assessments, the 2023-H1 incoming-documents export imported, a letter with files, tasks, one user
per role) plus what the pages need: an evidence file, a late dossier, a stored upload awaiting its
preview, a notification for every user, a letter issued as version 1 with its files.

"Own unit" is UBND xã Vĩnh Khê (head_own is its head), "other unit" Phòng Nội vụ (head_other).
Built once per module inside a transaction rolled back at the end, each test in a savepoint."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings

from documents.importing.run import file_sha256
from documents.models import OverdueDossier
from documents.uploads import keep_file
from reports.choices import LetterKind
from reports.freezing import issue_letter
from reports.models import Letter
from scoring.models import Evidence, Notification

from ..api.conftest import INCOMING_H1, ROLES, World, build_world

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Hostile:
    api: World
    evidence: Evidence
    dossier: OverdueDossier
    sha256: str
    notifications: dict  # role → Notification
    issued: Letter  # issued as version 1, its files rendered

    def __getattr__(self, name):
        return getattr(self.api, name)


def build_hostile() -> Hostile:
    api = build_world()
    evidence = Evidence(score=api.score, original_name="bien-ban.pdf", content_type="application/pdf",
                        size=len(PDF_BYTES), uploaded_by=api.users["reviewer"])
    evidence.file.save("bien-ban.pdf", ContentFile(PDF_BYTES), save=False)
    evidence.save()
    dossier = OverdueDossier.objects.create(
        batch=api.batch, unit=api.own, period=api.batch.period, code="HS-0001", procedure="Cấp bản sao",
        submitted_on=date(2023, 3, 1), due_on=date(2023, 3, 6), returned_on=date(2023, 3, 9), days_late=3,
        channel="online",
    )
    sha256 = file_sha256(INCOMING_H1)
    keep_file(INCOMING_H1, sha256)
    notifications = {role: Notification.objects.create(user=user, text="Sắp hết hạn tự chấm", url="/")
                     for role, user in api.users.items()}
    issued = Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=api.letter.period,
                                   subject="Khắc phục tồn tại CCHC (đã ban hành)")
    version = issue_letter(issued, acting_user=api.users["reviewer"], number="125/UBND-NV", date=date(2023, 7, 20),
                           first=True)
    version.pdf.save("v1.pdf", ContentFile(PDF_BYTES), save=False)
    version.docx.save("v1.docx", ContentFile(b"PK\x03\x04 test"), save=False)
    version.save()
    return Hostile(api=api, evidence=evidence, dossier=dossier, sha256=sha256, notifications=notifications,
                   issued=issued)


@pytest.fixture(scope="module")
def module_hostile(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("security")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media", VAR_DIR=folder / "var"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_hostile()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def hostile(module_hostile, db) -> Hostile:
    """The module's world; the letter's files put back if a test re-rendered it (the database rolls
    back between tests, the media folder does not)."""
    letter = module_hostile.letter
    letter.refresh_from_db()
    for field, content in ((letter.pdf, PDF_BYTES), (letter.docx, b"PK\x03\x04 test")):
        if not field.storage.exists(field.name):
            field.storage.save(field.name, ContentFile(content))
    return module_hostile


def page_client(world, role: str, **kwargs) -> Client:
    """A browser-like client signed in (session) as ``role``; anonymous for "anonymous"."""
    client = Client(**kwargs)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


__all__ = ["ROLES", "Hostile", "page_client"]
