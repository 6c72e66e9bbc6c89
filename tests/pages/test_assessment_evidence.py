"""Evidence per criterion: accepted by what the bytes are (not the name), limited in size, recorded in
the score's history, and served only through a view to users allowed to see it."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.models import Evidence, Score, ScoreChange
from units.choices import Role
from units.models import Membership, Unit

from .workspace import cchc_half_year, demo_user, load_demo_scores, login

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_scores()
    assessment = cchc_half_year()
    return assessment, Score.objects.select_related("criterion").get(assessment=assessment, criterion__code="1.1.3")


def upload(client, assessment, score, name, content):
    return client.post(reverse("score-detail", args=[assessment.pk, score.pk]),
                       {"file": SimpleUploadedFile(name, content, content_type="application/pdf")})


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_it_stores_a_pdf_records_it_in_the_history_and_serves_it_to_a_reviewer(client, demo):
    assessment, score = demo
    response = upload(login(client, "reviewer"), assessment, score, "bao-cao.pdf", PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get(score=score)
    assert (evidence.original_name, evidence.content_type, evidence.size) == ("bao-cao.pdf", "application/pdf", len(PDF))
    assert "bao-cao" not in evidence.file.name  # stored under a random name
    assert ScoreChange.objects.filter(score=score, field="evidence_file", new_value="bao-cao.pdf").exists()
    served = client.get(reverse("evidence", args=[evidence.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf" and served["X-Content-Type-Options"] == "nosniff"


def test_it_accepts_an_office_file_by_its_parts(client, demo):
    assessment, score = demo
    assert upload(login(client, "reviewer"), assessment, score, "ke-hoach.docx", docx_bytes()).status_code == 302
    assert Evidence.objects.get(score=score).content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize("name, content", [
    ("gia-mao.pdf", b"MZ\x90\x00 this is an executable"),
    ("trang.pdf", b"<html><script>alert(1)</script></html>"),
    ("nen.docx", b"PK\x03\x04" + b"\x00" * 40),
])
def test_it_refuses_a_file_whose_bytes_are_not_an_accepted_kind(client, demo, name, content):
    assessment, score = demo
    response = upload(login(client, "reviewer"), assessment, score, name, content)
    assert response.status_code == 422
    assert "không phải loại được nhận" in response.content.decode()
    assert not Evidence.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(client, demo, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    assessment, score = demo
    response = upload(login(client, "reviewer"), assessment, score, "lon.pdf", PDF + b"0" * 1000)
    assert response.status_code == 422 and "quá giới hạn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_only_allowed_users_get_the_file(client, demo, make_user):
    assessment, score = demo
    upload(login(client, "reviewer"), assessment, score, "bao-cao.pdf", PDF)
    evidence = Evidence.objects.get()
    url = reverse("evidence", args=[evidence.pk])
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert login(client, "viewer").get(url).status_code == 200
    client.logout()
    # Vĩnh Khê answers for nothing in 1.1.3: as if the file did not exist.
    assert login(client, "head_vinhkhe").get(url).status_code == 404
    client.logout()
    # The head of Phòng Nội vụ, which answers for 1.1.3, may read it.
    assert score.responsible_units.filter(name="Phòng Nội vụ").exists()
    assert login(client, "head_noivu").get(url).status_code == 200
    # The media address is not served at all.
    assert client.get("/media/" + evidence.file.name).status_code == 404


def test_a_viewer_cannot_upload(client, demo):
    assessment, score = demo
    assert upload(login(client, "viewer"), assessment, score, "bao-cao.pdf", PDF).status_code == 403
    assert not Evidence.objects.exists()
