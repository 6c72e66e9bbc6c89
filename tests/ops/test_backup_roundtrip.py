"""backup → restore into a fresh database and media folder on another "server" gives back every row of
every table and every file byte for byte: the demo data, a rendered letter, an evidence file and an
import kept under MEDIA_ROOT/imports."""

import hashlib
import json
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from common.backup import MANIFEST
from documents.models import ImportBatch
from reports.choices import LetterKind, RenderState
from reports.models import Letter
from reports.tasks import render_letter_task
from scoring.forms import PDF, attach_evidence
from scoring.models import Assessment, Evidence
from tests.documents.seeds import write_layout
from units.accounts import DEMO_PASSWORD
from units.choices import Role
from units.models import Membership, Unit

from .snapshot import SNAPSHOT_SCRIPT, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def office(media, client, tmp_path):
    """The demo district with one of each kind of file the office keeps."""
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assessment = Assessment.objects.filter(criteria_set__code__startswith="CCHC").select_related("period").first()
    letter = Letter.objects.create(kind=LetterKind.CCHC_REMEDIATION, period=assessment.period, assessment=assessment)
    assert render_letter_task(letter.pk, "all")["state"] == RenderState.DONE
    reviewer = Membership.objects.select_related("user").filter(role=Role.REVIEWER).first().user
    score = assessment.scores.first()
    attach_evidence(score, SimpleUploadedFile("biên bản.pdf", b"%PDF-1.4\n% bi\xc3\xaan b\xe1\xba\xa3n\n%%EOF\n"),
                    PDF, acting_user=reviewer)
    client.force_login(reviewer)
    path = write_layout("000-1", "as_exported", tmp_path)
    with path.open("rb") as handle:
        preview = client.post(reverse("documents:upload"), {"file": SimpleUploadedFile(path.name, handle.read()),
                                                            "period": "2023-H1"})
    confirmed = client.post(preview.url.split("?")[0], {"period": "2023-H1", "action": "confirm"})
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
    return {"letter": letter, "reviewer": reviewer}


def files_under(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_it_restores_every_row_and_every_file_into_a_fresh_database(office, media, other_site, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    rows_before, files_before = table_rows(), files_under(media)
    # The office really has each kind of file, so the comparison below covers them.
    assert {name.split("/")[0] for name in files_before} == {"letters", "evidence", "imports"}
    assert Evidence.objects.count() == 1 and ImportBatch.objects.filter(file_name__endswith=".xlsx").exists()

    call_command("backup", "-o", str(archive), stdout=open("/dev/null", "w"))

    other_site("manage.py", "migrate", "--noinput", "-v0")
    restored = other_site("manage.py", "restore", str(archive))
    assert "Đã khôi phục" in restored.stdout
    after = json.loads(other_site("-c", SNAPSHOT_SCRIPT).stdout)
    assert set(after) == set(rows_before)
    for table, rows in rows_before.items():
        assert after[table] == rows, table
    assert files_under(other_site.media) == files_before
    # The restored site works: a demo account signs in and reads the dashboard, and a new row gets a
    # fresh id (PostgreSQL's sequences moved past the restored ids).
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from units.models import Unit\n"
        f"c = Client(); assert c.login(username={office['reviewer'].username!r}, password={DEMO_PASSWORD!r})\n"
        "print(c.get('/tong-hop/', follow=True).status_code)\n"
        "last = max(Unit.objects.values_list('pk', flat=True))\n"
        "print(Unit.objects.create(name='Đơn vị mới sau khôi phục', kind='commune').pk > last)\n"
    )
    assert other_site("-c", script).stdout.split() == ["200", "True"]


def test_it_writes_a_manifest_with_counts_and_checksums(office, media, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"

    call_command("backup", "-o", str(archive), stdout=open("/dev/null", "w"))

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
        names = set(tar.getnames())
    assert manifest["format"] == "cchc-backup" and manifest["format_version"] == 1 and manifest["created"]
    assert manifest["counts"]["units.unit"] == Unit.objects.count()
    assert manifest["counts"]["reports.letter"] == Letter.objects.count()
    assert manifest["counts"]["scoring.score"] == sum(a.scores.count() for a in Assessment.objects.all())
    listed = {m["name"]: m for m in manifest["files"]}
    assert names == set(listed) | {MANIFEST}
    letter = office["letter"]
    letter.refresh_from_db()
    pdf = listed[f"media/{letter.pdf.name}"]
    assert pdf["sha256"] == hashlib.sha256(letter.pdf.read()).hexdigest() and pdf["size"] == letter.pdf.size
