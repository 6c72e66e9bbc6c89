"""The DOCX holds the same paragraphs and table cells as the facts, laid out as the decree asks."""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from reports.facts import cchc_remediation, remediation_plan
from reports.rendering.docx import render_docx


def reread(document):
    return Document(BytesIO(render_docx(document)))


def mm(length) -> int:
    return round(length.mm)


def cell_texts(row) -> list[str]:
    return [cell.text for cell in row.cells]


def test_it_holds_the_same_paragraphs_as_the_pdf(cchc_assessment):
    facts = cchc_remediation(cchc_assessment)

    docx = reread(facts)

    body = [p.text for p in docx.paragraphs if p.text.strip()]
    expected = [block.text for block in facts.blocks]
    start = body.index(expected[0])
    assert body[start:start + len(expected)] == expected
    bold = [r.text for p in docx.paragraphs if p.text == facts.blocks[1].text for r in p.runs if r.bold]
    assert bold == ["70,37%"]


def test_it_holds_the_masthead_recipients_and_signature(cchc_assessment):
    facts = cchc_remediation(cchc_assessment)

    masthead, recipients, closing, appendix = reread(facts).tables

    assert masthead.rows[0].cells[0].text.startswith("ỦY BAN NHÂN DÂN\nHUYỆN VĨNH LINH")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in masthead.rows[0].cells[1].text
    assert masthead.rows[1].cells[0].text == f"{facts.number_line}\n{facts.subject_lines[0]}"
    assert masthead.rows[1].cells[1].text == facts.place_date
    assert cell_texts(recipients.rows[0]) == ["Kính gửi:", "\n".join(facts.recipients)]
    assert closing.rows[0].cells[0].text.splitlines() == ["Nơi nhận:", *facts.distribution]
    signature = [line for line in closing.rows[0].cells[1].text.splitlines() if line]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Thái Văn Thành"]


def test_it_holds_the_same_table_cells_with_a_repeated_header(cchc_assessment):
    facts = cchc_remediation(cchc_assessment)
    table_facts = facts.appendices[0].table

    table = reread(facts).tables[-1]

    assert cell_texts(table.rows[0]) == [column.label for column in table_facts.columns]
    assert [cell_texts(row) for row in table.rows[1:]] == [row.cells for row in table_facts.rows]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    grid = [col.get(qn("w:w")) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == len(table_facts.columns) and all(grid)


def test_it_puts_each_appendix_in_a_landscape_section_numbered_from_one(plan_assessment):
    facts = remediation_plan(plan_assessment)

    docx = reread(facts)

    letter, *appendices = docx.sections
    assert (letter.orientation, mm(letter.page_width), mm(letter.page_height)) == (WD_ORIENT.PORTRAIT, 210, 297)
    assert letter.different_first_page_header_footer
    assert "PAGE" in letter.header._element.xml
    assert len(appendices) == len(facts.appendices) == 2
    for section in appendices:
        assert (section.orientation, mm(section.page_width), mm(section.page_height)) == (WD_ORIENT.LANDSCAPE, 297, 210)
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def test_it_merges_the_unit_rows_of_the_grouped_appendix(plan_assessment):
    facts = remediation_plan(plan_assessment)
    grouped = facts.appendices[1].table

    table = reread(facts).tables[-1]

    for row, row_facts in zip(table.rows[1:], grouped.rows):
        if row_facts.kind == "group":
            assert len(row._tr.tc_lst) == 1 and row.cells[0].text == row_facts.cells[0]
        else:
            assert cell_texts(row) == row_facts.cells
    assert [p.text for p in reread(facts).paragraphs if p.text.startswith("(Kèm theo")] == [
        a.attached for a in facts.appendices]
