"""HTML → PDF with WeasyPrint. The template only lays out the facts; Django escapes every string.

Resources are served by StaticOnlyFetcher: the app's own fonts and stylesheet from disk, nothing
else, so that a letter never reaches the network and never depends on what the host has installed."""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..document import LetterDocument

STATIC_DIR = Path(settings.BASE_DIR) / "static"
ALLOWED_DIRS = (STATIC_DIR / "fonts", STATIC_DIR / "css")


class StaticOnlyFetcher(URLFetcher):
    """Serves file: URLs inside static/fonts and static/css; refuses every other URL."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"Không tải tài nguyên ngoài ứng dụng: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(folder.resolve()) for folder in ALLOWED_DIRS) or not path.is_file():
            raise ValueError(f"Không tải tài nguyên ngoài thư mục static của ứng dụng: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            content_type = "font/ttf"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


def appendix_view(appendix) -> dict:
    """Columns with CSS widths and rows of cells that carry their alignment and span."""
    columns = appendix.table.columns
    rows = []
    for row in appendix.table.rows:
        if row.kind == "group":
            cells = [{"text": row.cells[0], "align": "left", "span": len(columns)}]
        else:
            cells = [{"text": text, "align": column.align, "span": 1} for text, column in zip(row.cells, columns)]
        rows.append({"kind": row.kind, "cells": cells})
    return {
        "label": appendix.label,
        "title": appendix.title,
        "attached": appendix.attached,
        "subtitle": appendix.subtitle,
        "dense": appendix.table.dense,
        "columns": [{"label": c.label, "width": f"{c.width:g}mm"} for c in columns],
        "rows": rows,
    }


def render_html(document: LetterDocument) -> str:
    return render_to_string("reports/letter.html", {
        "doc": document,
        "appendices": [appendix_view(a) for a in document.appendices],
    })


def render_pdf(document: LetterDocument) -> bytes:
    html = HTML(string=render_html(document), base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher())
    return html.write_pdf()
