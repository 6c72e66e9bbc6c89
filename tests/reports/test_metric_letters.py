"""htnv-round, document-processing and procedures from the demo metrics, checked against the seeds' text.

Expected figures are computed here from the seeds' own tables (fractions of their counts), never
typed; where a seed prints a wrong total the test says so and expects the right one."""

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from common.numbers import format_number, parse_number
from reports.choices import LetterKind
from reports.facts import build_letter, htnv_round
from reports.metric_letters import document_processing, procedures
from reports.models import Letter
from reports.rendering.docx import render_docx
from reports.rendering.pdf import render_pdf
from scoring.models import Assessment, Period

from .conftest import pdf_text, run, seed_table, seed_text
from .test_letter_docx import cell_texts, reread
from .test_letter_pdf import SHIPPED_FONTS, page_sizes, page_texts


def vn(value: Fraction, places: int, trim: bool = False) -> str:
    rounded = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = rounded.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_number(rounded) if trim else format_number(rounded, places)


def flat(text: str) -> str:
    return " ".join(text.replace("*", "").split())


def round_assessment() -> Assessment:
    return Assessment.objects.get(period__code="2023-R1", criteria_set__code="HTNV-2023")


# -- htnv-round (seed 000) -------------------------------------------------------------------------


def seed_dvc_rows() -> list[list[int]]:
    """Seed 000 appendix 1: per unit, columns (3)…(17) as integers (the rates are recomputed)."""
    table = seed_text("000").split("Phụ lục 1", 1)[1].split("Phụ lục 2", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = line.split("\t")
        if re.match(r"^\d+$", cells[0]) and len(cells) >= 17:
            rows.append([int(cells[i]) for i in (2, 3, 5, 6, 7, 8, 10, 11, 13, 14, 16)])
    return rows


def test_it_states_the_round_figures_from_the_scores(demo_metrics):
    seed = flat(seed_text("000"))
    stated = re.search(r"đạt ([\d,]+)/(\d+) điểm, cụ thể", seed)
    parts = re.findall(r"(?:Tỷ lệ hồ sơ DVCTT|phát sinh hồ sơ trực tuyến|toàn trình) (?:đạt )?([\d,]+)/\d+ điểm", seed)
    assert sum(parse_number(p) for p in parts) == parse_number(stated.group(1))
    # The catalogue holds only the scored criteria of the group; the decision's maximum is the reviewer's.
    letter = Letter.objects.create(kind=LetterKind.HTNV_ROUND, period=round_assessment().period,
                                   assessment=round_assessment(), body={"headline_max": stated.group(2)})

    document = htnv_round(round_assessment(), letter)

    results = " ".join(b.text for b in document.blocks if b.key == "results")
    assert f"đạt {stated.group(1)}/{stated.group(2)} điểm" in results
    assert re.search(r"văn bản mật đạt (\d+%), đạt ([\d,]+/\d+) điểm", seed).groups() == \
        re.search(r"văn bản mật đạt (\d+%), đạt ([\d,]+/\d+) điểm", results).groups()


def test_it_computes_the_dvctt_totals_that_seed_000_misprints(demo_metrics):
    rows = seed_dvc_rows()
    district, communes = rows[:1], rows[1:]

    def online_rate(group):  # (18) = ((11)+(14)) / ((12)+(15))
        return Fraction(sum(r[6] + r[8] for r in group) * 100, sum(r[7] + r[9] for r in group))

    table = htnv_round(round_assessment()).appendices[0].table
    totals = [row.cells for row in table.rows if row.kind == "total"]

    assert [t[-1] for t in totals] == [vn(online_rate(g), 1, trim=True) for g in (district, communes, rows)]
    seed = seed_text("000")
    assert "\t13,2\n" in seed and "\t88,1" in seed  # what the letter printed
    assert totals[0][-1] == "29,2" and totals[-1][-1] == "61,9"
    assert totals[-1][10:12] == [format_number(sum(r[6] for r in rows)), format_number(sum(r[7] for r in rows))]


def test_it_lists_the_incoming_and_outgoing_documents_of_every_unit(demo_metrics):
    tail = seed_text("000").split("Phụ lục 2", 1)[1]
    incoming = [r for r in seed_table("000", r"^\d+\t", "Phụ lục 2") if len(r) == 6]
    outgoing = [r for r in seed_table("000", r"^\d+\t", "Phụ lục 3") if len(r) == 10]
    assert tail and len(incoming) == len(outgoing) == 36

    document = htnv_round(round_assessment())
    incoming_table, outgoing_table = (a.table for a in document.appendices[1:])

    assert len([r for r in incoming_table.rows if r.kind == "data"]) == 36
    assert sorted(r.cells[2] for r in incoming_table.rows if r.kind == "data") == \
        sorted(format_number(int(r[2])) for r in incoming)
    total = incoming_table.rows[-1].cells
    processed = Fraction(sum(int(r[3]) + int(r[4]) for r in incoming) * 100, sum(int(r[2]) for r in incoming))
    assert total[2] == format_number(sum(int(r[2]) for r in incoming)) and total[-1] == vn(processed, 2)
    # each unit's signing rate as the seed prints it (two decimals), recomputed from its counts
    assert sorted(r.cells[7] for r in outgoing_table.rows if r.kind == "data") == sorted(r[7] for r in outgoing)


def test_it_renders_the_round_letter_to_pdf_and_docx(demo_metrics, tmp_path, poppler):
    document = build_letter("htnv-round", "2023-R1")
    path = tmp_path / "round.pdf"
    path.write_bytes(render_pdf(document))

    text = pdf_text(path)
    for part in ["Số: /UBND-NV", "V/v khắc phục hạn chế sau chấm điểm xác định mức độ HTNV của huyện lần 1",
                 "Kính gửi: - Ban Chỉ huy Quân sự huyện;", "- UBND các xã, thị trấn.", "ngày 08/12/2023",
                 "Phụ lục 1", "Phụ lục 2", "Phụ lục 3", "(Từ ngày 15/12/2022 đến ngày 08/12/2023)",
                 "TỔNG CỘNG (A+B)", "UBND xã Vĩnh Chấp", "TM. ỦY BAN NHÂN DÂN", "- Lưu: VT, NV."]:
        assert part in text, part
    assert_layout(path, appendices=3)

    docx = reread(document)
    for table, appendix in zip(docx.tables[-3:], document.appendices):
        data = [cell_texts(row) for row in table.rows[1:] if len(row._tr.tc_lst) > 1]
        assert data == [row.cells for row in appendix.table.rows if row.kind != "group"]


def assert_layout(path, *, appendices: int):
    sizes = page_sizes(path)
    texts = page_texts(path)
    assert [round(v) for v in sizes[0]] == [595, 842]
    starts = [i for i, t in enumerate(texts) if t.startswith("Phụ lục")]
    assert len(starts) == appendices
    assert all((round(w), round(h)) == (842, 595) for w, h in sizes[starts[0]:])
    lines = run("pdffonts", str(path)).splitlines()[2:]
    fonts = {line.split()[0].split("+", 1)[-1] for line in lines}
    assert fonts <= SHIPPED_FONTS and all(" yes " in line for line in lines), lines


# -- document-processing (seed 002) ----------------------------------------------------------------


def test_it_names_the_units_under_the_incoming_threshold_as_seed_002_does(demo_metrics):
    seed = flat(seed_text("002"))
    sentence = re.search(r"thực hiện kém như: (.+?)\.\.\.", seed).group(1)
    named = re.findall(r"\((\d+)%\)", sentence)
    rows = [r for r in seed_table("002", r"^2730\t", "Phụ lục 1") if len(r) == 8][:36]
    computed = sorted(vn(Fraction((int(r[4]) + int(r[5])) * 100, int(r[3])), 0) for r in rows
                      if Fraction((int(r[4]) + int(r[5])) * 100, int(r[3])) < 20)

    document = document_processing(Period.objects.get(code="2023-H1"))
    listed = re.findall(r"\((\d+)%\)", " ".join(b.text for b in document.blocks if b.key == "incoming"))

    assert sorted(listed) == computed == sorted(named)
    assert "Phòng Y tế (14%)" in document.figures["incoming"]  # the registry's name, not the export's


def test_it_takes_the_thresholds_from_the_draft(demo_metrics):
    period = Period.objects.get(code="2023-H1")
    rows = [r for r in seed_table("002", r"^2730\t", "Phụ lục 2") if len(r) >= 10][:36]
    expected = sorted(vn(Fraction(int(r[6]) * 100, int(r[3])), 0) for r in rows if Fraction(int(r[6]) * 100, int(r[3])) < 50)
    letter = Letter.objects.create(kind=LetterKind.DOCUMENT_PROCESSING, period=period,
                                   body={"thresholds": {"outgoing_signed_rate": "50"}})

    document = document_processing(period, letter)

    block = " ".join(b.text for b in document.blocks if b.key == "signed")
    assert "dưới 50%" in block and sorted(re.findall(r"\((\d+)%\)", block)) == expected


def test_it_renders_the_document_processing_letter(demo_metrics, tmp_path, poppler):
    document = build_letter("document-processing", "2023-H1")
    path = tmp_path / "dp.pdf"
    path.write_bytes(render_pdf(document))

    text = pdf_text(path)
    for part in ["Số: /UBND-VP", "không có đơn vị nào đạt 100%", "Phòng Y tế (14%)", "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN",
                 "Từ ngày 15/12/2022 đến ngày 14/06/2023", "BÁO CÁO TÌNH HÌNH BAN HÀNH VĂN BẢN", "- Lưu: VT, NV."]:
        assert part in text, part
    assert_layout(path, appendices=2)
    paragraphs = [p.text for p in reread(document).paragraphs if p.text.strip()]
    assert all(block.text in paragraphs for block in document.blocks)


# -- procedures (seed 003) -------------------------------------------------------------------------


def seed_003():
    seed = flat(seed_text("003"))
    district = next(r for r in seed_table("003", r"^\t") if "Toàn huyện" in r[1])
    keys = ["tthc_online_rate", "tthc_digitized_rate", "tthc_overdue", "tthc_online_payment_rate",
            "tthc_e_receipt_rate"]
    given = {k: re.sub(r"<[^>]+>", "", v).strip() for k, v in zip(keys, district[2:])}
    units = [r for r in seed_table("003", r"^\d+\t") if len(r) >= 3]
    ranks = dict(zip([k for k in keys], re.findall(r"đứng thứ (\d+/\d+) huyện", seed)))
    return seed, given, units, ranks


def test_it_states_the_districts_procedures_figures_and_ranks(demo_metrics):
    seed, given, units, ranks = seed_003()
    overdue = sum(int(r[4]) for r in units if len(r) > 4 and r[4].strip())
    assert str(overdue) == given["tthc_overdue"]  # the seed's own Σ
    period = Period.objects.get(code="2023-H1")
    rates = {k: v for k, v in given.items() if k != "tthc_overdue"}
    letter = Letter.objects.create(kind=LetterKind.PROCEDURES, period=period, body={"district": rates, "ranks": ranks})

    document = procedures(period, letter)
    figures = " ".join(b.text for b in document.blocks if b.key == "figures")

    assert f"Về hồ sơ trực tuyến đạt tỷ lệ {given['tthc_online_rate']}% đứng thứ {ranks['tthc_online_rate']}" in seed
    assert f"Về hồ sơ trực tuyến đạt tỷ lệ {given['tthc_online_rate']}% đứng thứ {ranks['tthc_online_rate']}" in figures
    assert f"Có {overdue} hồ sơ quá hạn" in figures  # Σ over the units: a count
    table = document.appendices[0].table
    assert len([r for r in table.rows if r.kind == "data"]) == len(units)


def test_it_sets_targets_per_unit_type_from_data(demo_metrics):
    period = Period.objects.get(code="2023-H1")
    seed = flat(seed_text("003"))
    payment = re.search(r"thanh toán trực tuyến đạt tối thiểu (\d+)%", seed).group(1)

    default = procedures(period)
    letter = Letter.objects.create(kind=LetterKind.PROCEDURES, period=period,
                                   body={"targets": {"communes": {"tthc_online_payment_rate": "45"}}})
    edited = procedures(period, letter)

    def communes(document):
        return next(b.text for b in document.blocks if b.key == "targets" and "xã" in b.text)

    assert f"thanh toán trực tuyến đạt từ {payment}% trở lên" in communes(default)
    assert "thanh toán trực tuyến đạt từ 45% trở lên" in communes(edited)
    targets = edited.appendices[1].table
    assert ["UBND các xã, thị trấn", "70", "60", "45"] in [r.cells for r in targets.rows]


def test_it_renders_the_procedures_letter(demo_metrics, tmp_path, poppler):
    document = build_letter("procedures", "2023-H1")
    path = tmp_path / "tthc.pdf"
    path.write_bytes(render_pdf(document))

    text = pdf_text(path)
    for part in ["V/v đôn đốc, đẩy mạnh cải cách TTHC", "Có 28 hồ sơ quá hạn", "Toàn huyện", "UBND xã Vĩnh Chấp",
                 "81,6", "CHỈ TIÊU PHẢI ĐẠT THEO LOẠI ĐƠN VỊ", "- Lưu: VT, VP."]:
        assert part in text, part
    assert_layout(path, appendices=2)
    docx = reread(document)
    assert [cell_texts(r) for r in docx.tables[-1].rows[1:]] == [r.cells for r in document.appendices[1].table.rows]


@pytest.mark.parametrize("kind,period", [("document-processing", "2022-H1"), ("htnv-round", "2024-R1")])
def test_it_says_in_vietnamese_when_the_period_is_unknown(demo_metrics, kind, period):
    from reports.facts import LetterError

    with pytest.raises(LetterError, match="Không tìm thấy"):
        build_letter(kind, period)
