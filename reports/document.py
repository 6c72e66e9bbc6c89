"""The shape of a letter once its facts are known: plain dataclasses that both renderers read.

Everything here is already worded and formatted (numbers in the Vietnamese way), so the HTML
template and the DOCX builder only lay it out and can never disagree on a figure."""

import re
from dataclasses import dataclass, field

CONG_VAN = "cong_van"
KE_HOACH = "ke_hoach"


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    """A paragraph of the body. ``style``: ``para`` (indented, justified), ``heading`` (bold, indented)."""

    runs: list[Run]
    style: str = "para"
    key: str = ""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Column:
    label: str
    width: float  # millimetres on the landscape page
    align: str = "left"  # left | center | right


@dataclass
class Row:
    """A table row. ``kind``: ``data``; ``group`` (one cell spanning the row); ``total`` (bold)."""

    cells: list[str]
    kind: str = "data"


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    dense: bool = False  # many columns: a smaller type so that the table fits a landscape page


@dataclass
class Appendix:
    label: str  # "Phụ lục" or "Phụ lục I"
    title: str  # upper case
    attached: str  # "(Kèm theo Công văn số …/UBND-NV ngày … của UBND huyện)"
    table: Table
    subtitle: str = ""  # "(Từ ngày 15/12/2022 đến ngày 08/12/2023)", under the title


@dataclass
class LetterDocument:
    """A công văn or kế hoạch, ready to lay out."""

    kind: str
    doc_type: str  # CONG_VAN | KE_HOACH
    agency_lines: list[str]
    number_line: str  # "Số:      /UBND-NV"
    place_date: str  # "Vĩnh Linh, ngày      tháng 8 năm 2023"
    subject_lines: list[str]  # công văn: the V/v line(s); kế hoạch: the subject under KẾ HOẠCH
    title: str  # "KẾ HOẠCH" for a plan, "" for a công văn
    recipients: list[str]  # "- Các cơ quan …;" already punctuated
    blocks: list[Block]
    signature_lines: list[str]
    signer_name: str
    distribution: list[str]  # "- Như trên;" … "- Lưu: VT, NV."
    appendices: list[Appendix]
    figures: dict[str, str] = field(default_factory=dict)  # the headline figures, formatted

    @property
    def file_stem(self) -> str:
        return self.kind


_MARKUP = re.compile(r"(\*\*.+?\*\*|\*.+?\*)", re.S)


def parse_runs(text: str) -> list[Run]:
    """Split ``**bold**`` and ``*italic*`` marks into runs; everything else stays literal text.

    Reviewers' paragraphs use the same two marks. No HTML is ever interpreted: the renderers escape
    every run."""
    runs = []
    for piece in _MARKUP.split(text):
        if not piece:
            continue
        if piece.startswith("**") and piece.endswith("**") and len(piece) > 4:
            runs.append(Run(piece[2:-2], bold=True))
        elif piece.startswith("*") and piece.endswith("*") and len(piece) > 2:
            runs.append(Run(piece[1:-1], italic=True))
        else:
            runs.append(Run(piece))
    return runs


def punctuate_list(items: list[str], last: str = ".") -> list[str]:
    """"- A;", "- B." — the decree's form for several addressees or a distribution list."""
    cleaned = [item.strip().lstrip("-").strip().rstrip(";.").strip() for item in items if item.strip()]
    return [f"- {item}{last if i == len(cleaned) - 1 else ';'}" for i, item in enumerate(cleaned)]
