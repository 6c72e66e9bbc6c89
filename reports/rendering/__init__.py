"""Renderers of a LetterDocument: PDF through WeasyPrint (pdf.py) and DOCX through python-docx (docx.py)."""

from .docx import render_docx
from .pdf import render_pdf

FORMATS = {"pdf": render_pdf, "docx": render_docx}


def render(document, fmt: str) -> bytes:
    return FORMATS[fmt](document)
