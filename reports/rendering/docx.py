"""LetterDocument → DOCX with python-docx: the same parts and tables as the PDF, editable in Word.

Word and LibreOffice users have Times New Roman (or its metric twin), so the DOCX names that font
rather than embedding one. Pitfalls from LETTER-LAYOUT.md handled here: repeat-header and can't-split
flags on table rows, grid column widths as well as cell widths, PAGE field with a different first
page, each appendix a landscape section restarting at 1."""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from ..document import CONG_VAN, LetterDocument

FONT = "Times New Roman"
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def render_docx(document: LetterDocument) -> bytes:
    doc = Document()
    _set_base_style(doc)
    section = doc.sections[0]
    _page(section, landscape=False)
    _page_number_header(section)

    _masthead(doc, document)
    if document.recipients:
        _recipients(doc, document.recipients)
    for block in document.blocks:
        paragraph = doc.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Cm(1.27)
        fmt.space_before = Pt(6)
        fmt.line_spacing = 1.1
        for run in block.runs:
            _run(paragraph, run.text, bold=run.bold or block.style == "heading", italic=run.italic)
    _closing(doc, document)

    for appendix in document.appendices:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        _page(section, landscape=True)
        _restart_numbering(section)
        _centered(doc, appendix.label, size=14, bold=True)
        _centered(doc, appendix.title, size=13, bold=True)
        if appendix.subtitle:
            _centered(doc, appendix.subtitle, size=13)
        _centered(doc, appendix.attached, size=13, italic=True)
        _short_rule(doc, indent_mm=110)
        _data_table(doc, appendix.table)

    out = BytesIO()
    doc.save(out)
    return out.getvalue()


# -- page and styles -------------------------------------------------------------------------------


def _set_base_style(doc):
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)


def _page(section, *, landscape: bool):
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(20), Mm(15)
        section.left_margin, section.right_margin = Mm(20), Mm(15)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True


def _page_number_header(section):
    """A centred PAGE field on every page but the first (the first-page header stays empty)."""
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _restart_numbering(section):
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    section._sectPr.append(number_type)


# -- text helpers ----------------------------------------------------------------------------------


def _run(paragraph, text, *, size=None, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if size:
        run.font.size = Pt(size)
    return run


def _centered(container, text, *, size=14, bold=False, italic=False, underline=False, space_before=0):
    paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(space_before)
    _run(paragraph, text, size=size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _short_rule(container, *, indent_mm: float):
    """A short solid line: the top border of an empty paragraph narrowed by its indents."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(indent_mm)
    fmt.line_spacing = Pt(4)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _cell_text(cell, text, *, size=None, bold=False, italic=False, align="left", style=None):
    """Put text in a cell, a paragraph per line, reusing the cell's first empty paragraph."""
    for i, line in enumerate(text.split("\n") if text else [""]):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if style is not None:
            paragraph._p.style = style.style_id  # by id: python-docx's by-name setter searches every style
        paragraph.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
        if line:
            _run(paragraph, line, size=size, bold=bold, italic=italic)


def _borderless_table(doc, widths_mm):
    table = doc.add_table(rows=1, cols=len(widths_mm))
    table.autofit = False
    _set_widths(table, widths_mm)
    return table


def _set_widths(table, widths_mm):
    """Widths on the grid columns and on every cell: LibreOffice reads the grid, Word the cells."""
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        if len(row._tr.tc_lst) != len(widths_mm):
            continue  # a merged (group) row: its one cell spans the grid
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


# -- the parts -------------------------------------------------------------------------------------


def _masthead(doc, document: LetterDocument):
    table = _borderless_table(doc, [62, 103])
    table.add_row()
    _set_widths(table, [62, 103])
    left, right = table.rows[0].cells
    _cell_text(left, "\n".join(document.agency_lines), size=13, bold=True, align="center")
    _short_rule(left, indent_mm=20)
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align="center")
    motto = right.add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(motto, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, underline=True)

    left, right = table.rows[1].cells
    _cell_text(left, document.number_line, size=13, align="center")
    left.paragraphs[0].paragraph_format.space_before = Pt(6)
    if document.doc_type == CONG_VAN:
        for line in document.subject_lines:
            paragraph = left.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_before = Pt(3)
            _run(paragraph, line, size=12)
    _cell_text(right, document.place_date, size=14, italic=True, align="center")
    right.paragraphs[0].paragraph_format.space_before = Pt(6)

    if document.title:
        _centered(doc, document.title, size=14, bold=True, space_before=14)
        for line in document.subject_lines:
            _centered(doc, line, size=14, bold=True)
        _short_rule(doc, indent_mm=62)


def _recipients(doc, recipients):
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_before = Pt(6)
    table = _borderless_table(doc, [25, 115])
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    label, names = table.rows[0].cells
    _cell_text(label, "Kính gửi:", align="right")
    _cell_text(names, "\n".join(recipients))


def _closing(doc, document: LetterDocument):
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_before = Pt(6)
    table = _borderless_table(doc, [75, 90])
    left, right = table.rows[0].cells
    _cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True)
    for line in document.distribution:
        paragraph = left.add_paragraph()
        _run(paragraph, line, size=11)
    _cell_text(right, "\n".join(document.signature_lines), size=14, bold=True, align="center")
    for _ in range(4):
        right.add_paragraph()
    name = right.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(name, document.signer_name, size=14, bold=True)
    for row in table.rows:
        _flag_row(row, cant_split=True)


def _flag_row(row, *, header=False, cant_split=True):
    properties = row._tr.get_or_add_trPr()
    if cant_split:
        properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _table_style(doc, size: float):
    """A paragraph style per table type size, so that no run carries its own size (faster, smaller file)."""
    name = f"Bảng {size:g} pt"
    if name not in [style.name for style in doc.styles]:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.size = Pt(size)
    return doc.styles[name]


def _data_table(doc, table_facts):
    columns = table_facts.columns
    style = _table_style(doc, 8.5 if table_facts.dense else 11)
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    # Widths first: add_row gives each new cell its grid column's width, so no second pass is needed.
    _set_widths(table, [column.width for column in columns])
    header = table.rows[0]
    for cell, column in zip(header.cells, columns):
        _cell_text(cell, column.label, bold=True, align="center", style=style)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _flag_row(header, header=True)
    for row_facts in table_facts.rows:
        row = table.add_row()
        cells = row.cells
        bold = row_facts.kind in ("group", "total")
        if row_facts.kind == "group":
            merged = cells[0].merge(cells[-1])
            _cell_text(merged, row_facts.cells[0], bold=True, style=style)
        else:
            for cell, text, column in zip(cells, row_facts.cells, columns):
                _cell_text(cell, text, bold=bold, align=column.align, style=style)
        _flag_row(row)
    return table
