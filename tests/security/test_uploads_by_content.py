"""Uploads are judged by their bytes, never by their names: a PDF named .xlsx is no spreadsheet, an
HTML page named .pdf is no PDF, an executable named image.png is no image. Each is refused with a
Vietnamese message and leaves nothing behind."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import ImportBatch
from scoring.models import Evidence

from .conftest import PDF_BYTES, page_client

HTML_PAGE = b"<!doctype html><html><body><script>fetch('/api/v1/scores/')</script></body></html>"
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run in DOS mode."


def batches_and_evidence() -> tuple[int, int]:
    return ImportBatch.objects.count(), Evidence.objects.count()


def test_a_pdf_named_xlsx_is_not_imported_from_the_page(hostile):
    before = batches_and_evidence()
    client = page_client(hostile, "reviewer")

    response = client.post(reverse("documents:upload"), {
        "file": SimpleUploadedFile("so-lieu.xlsx", PDF_BYTES,
                                   content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "period": "2023-H1",
    })

    page = response.content.decode()
    assert response.status_code == 200 and "không phải bảng tính" in page
    assert batches_and_evidence() == before


def test_a_pdf_named_xlsx_is_not_imported_through_the_api(hostile):
    before = batches_and_evidence()
    client = page_client(hostile, "reviewer")

    response = client.post("/api/v1/import-batches/", {
        "file": SimpleUploadedFile("so-lieu.xlsx", PDF_BYTES), "period": "2023-H1",
    })

    assert response.status_code in (400, 422), response.status_code
    assert "không phải bảng tính" in response.content.decode()
    assert batches_and_evidence() == before


@pytest.mark.parametrize(("name", "content", "claimed"), [
    ("bien-ban.pdf", HTML_PAGE, "application/pdf"),
    ("image.png", WINDOWS_EXE, "image/png"),
    ("anh-chup.jpg", HTML_PAGE, "image/jpeg"),
])
def test_evidence_whose_bytes_are_not_what_its_name_says_is_refused(hostile, name, content, claimed):
    before = batches_and_evidence()
    client = page_client(hostile, "reviewer")

    response = client.post(reverse("score-detail", args=[hostile.assessment.pk, hostile.score.pk]),
                           {"file": SimpleUploadedFile(name, content, content_type=claimed)})

    assert response.status_code == 422
    assert "không phải loại được nhận" in response.content.decode()
    assert batches_and_evidence() == before


def test_evidence_that_is_what_it_says_is_kept_and_served_as_what_its_bytes_are(hostile):
    client = page_client(hostile, "reviewer")

    response = client.post(reverse("score-detail", args=[hostile.assessment.pk, hostile.score.pk]),
                           {"file": SimpleUploadedFile("la-html-that.pdf", PDF_BYTES, content_type="text/html")})

    assert response.status_code == 302
    evidence = Evidence.objects.filter(score=hostile.score).latest("id")
    served = client.get(reverse("evidence", args=[evidence.pk]))
    assert served["Content-Type"] == "application/pdf"  # from the bytes, not from what the browser claimed
    assert served["X-Content-Type-Options"] == "nosniff"
