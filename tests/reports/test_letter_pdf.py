"""The PDFs: every part of the layout, the figures in Vietnamese format, the shipped font only,
A4 portrait letter pages and landscape appendix pages, read back with poppler's tools."""

import re

import pytest

from reports.facts import cchc_remediation, remediation_plan
from reports.rendering.pdf import StaticOnlyFetcher, render_pdf

from .conftest import cchc_seed_rows, pdf_text, plan_seed_rows, run

SHIPPED_FONTS = {"VanBan-Serif", "VanBan-Serif-Bold", "VanBan-Serif-Italic", "VanBan-Serif-Bold-Italic"}


@pytest.fixture
def cchc_pdf(cchc_assessment, tmp_path, poppler):
    path = tmp_path / "cchc-remediation.pdf"
    path.write_bytes(render_pdf(cchc_remediation(cchc_assessment)))
    return path


@pytest.fixture
def plan_pdf(plan_assessment, tmp_path, poppler):
    path = tmp_path / "remediation-plan.pdf"
    path.write_bytes(render_pdf(remediation_plan(plan_assessment)))
    return path


def page_sizes(path) -> list[tuple[float, float]]:
    info = run("pdfinfo", "-f", "1", "-l", "999", str(path))
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def page_texts(path, *, raw=True) -> list[str]:
    """Text per page; raw keeps content order (table rows whole), the default keeps the page top first."""
    output = run("pdftotext", *(["-raw"] if raw else []), str(path), "-")
    return [" ".join(page.replace("\u00a0", " ").split()) for page in output.split("\f")[:-1]]


def test_it_prints_every_part_of_the_cong_van(cchc_pdf):
    text = pdf_text(cchc_pdf)

    for part in [
        "ỦY BAN NHÂN DÂN HUYỆN VĨNH LINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: /UBND-NV", "V/v khắc phục tồn tại, hạn chế", "Vĩnh Linh, ngày tháng năm 2023",
        "Kính gửi: - Các cơ quan chuyên môn, đơn vị sự nghiệp thuộc huyện; - UBND các xã, thị trấn.",
        "đạt 70,37%", "bị trừ điểm ở 27 tiêu chí/tiêu chí thành phần với 23,41 điểm",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT, NV.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Thái Văn Thành",
        "Phụ lục", "KẾT QUẢ ĐÁNH GIÁ CCHC HUYỆN VĨNH LINH 6 THÁNG ĐẦU NĂM 2023",
        "(Kèm theo Công văn số /UBND-NV ngày / /2023 của UBND huyện)",
        "14.678",  # inside the council's comment on 3.4, as typed
    ]:
        assert part in text, part


def test_it_prints_each_deducted_criterion_with_its_figures(cchc_pdf):
    text = pdf_text(cchc_pdf)

    for row in cchc_seed_rows():
        assert re.search(rf"{re.escape(row['code'])} .*? {re.escape(row['max_text'])} .*? "
                         rf"{re.escape(row['deduction_text'])}", text), row["code"]
    assert "-23,41" in text and "79,00" in text


def test_it_prints_every_part_of_the_plan(plan_pdf):
    rows, total = plan_seed_rows()
    text = pdf_text(plan_pdf)

    for part in [
        "Số: /KH-UBND", "Vĩnh Linh, ngày tháng năm 2024", "KẾ HOẠCH",
        "Khắc phục những tồn tại hạn chế trong chấm điểm xếp loại mức độ Hoàn thành nhiệm vụ của huyện năm 2023",
        "I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN", "trước ngày 31/3/2024",
        "Đảm bảo đến 30/11/2024 hoàn thành 100%", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Nguyễn Anh Tuấn", "- Lưu: VT, NV.", "Phụ lục I", "Phụ lục II",
        "(Kèm theo Kế hoạch số /KH-UBND ngày / /2024 của UBND huyện)", f"Tổng điểm trừ {total}",
        "Công an huyện (2 tiêu chí, -6 điểm)",
    ]:
        assert part in text, part
    assert "Kính gửi" not in text
    for row in rows:
        assert f"{row['code']}." in text


def test_it_embeds_only_the_shipped_font(cchc_pdf, plan_pdf):
    for path in (cchc_pdf, plan_pdf):
        lines = run("pdffonts", str(path)).splitlines()[2:]
        fonts = {line.split()[0].split("+", 1)[-1]: line for line in lines}
        assert fonts and set(fonts) <= SHIPPED_FONTS, fonts
        assert "VanBan-Serif" in fonts and "VanBan-Serif-Bold" in fonts
        for line in fonts.values():
            assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line).group(1) == "yes", line


def test_it_lays_the_letter_on_a4_portrait_and_the_appendix_on_landscape(cchc_pdf, plan_pdf):
    headers_of = {cchc_pdf: ["Ý KIẾN HỘI ĐỒNG THẨM ĐỊNH"],
                  plan_pdf: ["Ghi chú (Nội dung, lí do trừ điểm)", "Thời hạn khắc phục"]}
    for path, headers in headers_of.items():
        sizes = page_sizes(path)
        texts = page_texts(path)
        assert [round(v) for v in sizes[0]] == [595, 842]
        first_appendix = next(i for i, t in enumerate(texts) if t.startswith("Phụ lục"))
        assert first_appendix >= 1
        assert all(round(w) == 595 for w, _ in sizes[:first_appendix])
        assert all((round(w), round(h)) == (842, 595) for w, h in sizes[first_appendix:])
        assert len(sizes) - first_appendix > len(headers), "each appendix here runs over more than one page"
        # each appendix's table header is repeated on every page of it
        starts = [i for i, t in enumerate(texts) if t.startswith("Phụ lục")]
        assert len(starts) == len(headers)
        for start, end, header in zip(starts, starts[1:] + [len(texts)], headers):
            assert all(header in text for text in texts[start:end]), header


def test_it_numbers_pages_from_the_second_and_each_appendix_on_its_own(cchc_pdf):
    texts = page_texts(cchc_pdf, raw=False)
    first_appendix = next(i for i, t in enumerate(texts) if t.startswith("Phụ lục"))

    assert not re.match(r"^\d+ ", texts[0])
    for number, text in enumerate(texts[1:first_appendix], start=2):
        assert text.startswith(f"{number} "), text[:40]
    assert texts[first_appendix].startswith("Phụ lục")
    for number, text in enumerate(texts[first_appendix + 1:], start=2):
        assert text.startswith(f"{number} "), text[:40]


def test_it_prints_user_text_as_text(cchc_assessment, tmp_path, poppler):
    score = cchc_assessment.scores.get(criterion__code="1.2")
    score.comment = 'Thiếu <b>TLKC</b> & <img src="http://example.invalid/x.png"> {{ 1 }}'
    score.save(update_fields=["comment"])
    path = tmp_path / "escaped.pdf"

    path.write_bytes(render_pdf(cchc_remediation(cchc_assessment)))

    # compared without white space: a long URL may wrap anywhere in a narrow cell
    squeezed = "".join(pdf_text(path).split())
    assert 'Thiếu<b>TLKC</b>&<imgsrc="http://example.invalid/x.png">{{1}}' in squeezed


@pytest.mark.parametrize("url", [
    "http://example.invalid/font.ttf",
    "https://fonts.googleapis.com/css?family=Tinos",
    "file:///etc/passwd",
    "file:///usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "data:text/css,body{}",
])
def test_it_fetches_nothing_but_its_own_static_files(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_it_serves_its_own_font(settings):
    font = settings.BASE_DIR / "static" / "fonts" / "LiberationSerif-Regular.ttf"

    response = StaticOnlyFetcher().fetch(font.as_uri())

    assert response.read() == font.read_bytes()
