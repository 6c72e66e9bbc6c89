"""User text is text: a criterion comment or a unit's other name holding markup shows as those very
characters on the pages and in the letter's PDF, never as elements; and the PDF renderer fetches
nothing but the app's own static files, whatever the HTML it is given points at."""

import socket

import pytest
from django.urls import reverse
from weasyprint import HTML

from reports.facts import cchc_remediation
from reports.rendering import pdf as pdf_module
from reports.rendering.pdf import STATIC_DIR, StaticOnlyFetcher, render_pdf
from units.choices import Role
from units.models import Unit, UnitAlias

from ..reports.conftest import cchc_assessment, district, pdf_text, poppler  # noqa: F401  (fixtures)

SCRIPT = '<script>alert("xss")</script>'
HOSTILE_COMMENT = (f'Thiếu {SCRIPT} <img src="http://127.0.0.1:1/x"> '
                   '<link rel="stylesheet" href="file:///etc/passwd"> & "trích dẫn"')


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a network connection is recorded and refused."""
    attempts = []

    def connect(self, address):
        attempts.append(address)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    return attempts


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the PDF renderer asks its fetcher for, and whether it was served."""
    asked = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, *args, **kwargs):
        try:
            response = original(self, url, *args, **kwargs)
        except ValueError:
            asked.append((url, False))
            raise
        asked.append((url, True))
        return response

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    return asked


def test_a_comment_with_markup_shows_as_text_on_the_pages(client, cchc_assessment, make_user):
    score = cchc_assessment.scores.select_related("criterion").get(criterion__code="1.2")
    score.comment = HOSTILE_COMMENT
    score.save(update_fields=["comment"])
    client.force_login(make_user("xem", Role.REVIEWER, Unit.objects.get(name="Phòng Nội vụ")))

    page = client.get(reverse("assessment", args=[cchc_assessment.pk])).content.decode()
    assert SCRIPT not in page and '<img src="http://127.0.0.1:1/x">' not in page
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=&quot;http://127.0.0.1:1/x&quot;&gt;" in page
    detail = client.get(reverse("score-detail", args=[cchc_assessment.pk, score.pk])).content.decode()
    assert SCRIPT not in detail and '<img src="http://127.0.0.1:1/x">' not in detail


def test_a_unit_alias_with_markup_shows_as_text(client, district, make_user):
    alias = UnitAlias.objects.create(unit=Unit.objects.get(name="UBND xã Vĩnh Khê"),
                                     name=f"Vĩnh Khê {SCRIPT}")
    client.force_login(make_user("lanh-dao", Role.VIEWER))

    for url in (reverse("unit-list"), reverse("unit-detail", args=[alias.unit_id])):
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert "Vĩnh Khê &lt;script&gt;" in page, url


def test_a_comment_with_markup_prints_as_those_characters_in_the_pdf(cchc_assessment, tmp_path, poppler,
                                                                      no_network, fetched):
    score = cchc_assessment.scores.get(criterion__code="1.2")
    score.comment = HOSTILE_COMMENT
    score.save(update_fields=["comment"])
    path = tmp_path / "thu.pdf"

    path.write_bytes(render_pdf(cchc_remediation(cchc_assessment)))

    squeezed = "".join(pdf_text(path).split())  # a long comment wraps anywhere in its narrow cell
    assert "".join(HOSTILE_COMMENT.split()) in squeezed
    assert no_network == []
    assert fetched and all(served for _, served in fetched)  # only what the letter's own CSS asks for
    assert all(url.startswith(STATIC_DIR.as_uri()) for url, _ in fetched)
    assert "root:" not in squeezed  # /etc/passwd was never read


def test_the_renderer_fetches_nothing_outside_the_static_files(tmp_path, no_network, fetched):
    hostile_html = """<html><head>
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://127.0.0.1:1/x.css">
      <style>@import url("http://127.0.0.1:1/y.css"); body { background: url(file:///etc/shadow); }
             @font-face { font-family: X; src: url(https://fonts.example/x.ttf); }</style>
    </head><body><p>Xin chào</p><img src="http://127.0.0.1:1/x.png"><img src="file:///etc/passwd">
    <iframe src="http://127.0.0.1:1/"></iframe><object data="file:///etc/hosts"></object></body></html>"""

    pdf = HTML(string=hostile_html, base_url=STATIC_DIR.as_uri() + "/",
               url_fetcher=pdf_module.StaticOnlyFetcher()).write_pdf()

    assert pdf.startswith(b"%PDF")
    assert no_network == []
    asked = {url for url, _ in fetched}
    assert {"file:///etc/passwd", "http://127.0.0.1:1/x.css", "http://127.0.0.1:1/x.png"} <= asked
    assert not any(served for _, served in fetched)
    assert b"root:" not in pdf
