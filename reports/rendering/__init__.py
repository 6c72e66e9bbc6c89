"""Renderers of a LetterDocument: PDF through WeasyPrint (pdf.py) and DOCX through python-docx (docx.py)."""

import logging

# WeasyPrint logs each layout step, and fontTools each table it subsets, at INFO, which the project's
# root logger would print for every letter (some of it at import time, hence before the imports).
for _name in ("weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

from .docx import render_docx  # noqa: E402
from .pdf import render_pdf  # noqa: E402

FORMATS = {"pdf": render_pdf, "docx": render_docx}


def render(document, fmt: str) -> bytes:
    return FORMATS[fmt](document)
