"""Charts drawn on the server as SVG text, so the same chart goes into a page and into a PDF.

Readable in grey: the two series differ by fill (light with an outline, and solid dark), never by hue
alone, and every bar carries its number in Vietnamese format. No JavaScript, no external fonts."""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from .numbers import format_number

LIGHT = "#d4d4d4"
DARK = "#2b2b2b"
LINE = "#1a1a1a"
FONT = 'font-family="Liberation Sans, Arial, sans-serif"'


@dataclass(frozen=True)
class Bar:
    """One category: its label, its maximum and the value reached (None: not yet scored)."""

    label: str
    maximum: Decimal
    value: Decimal | None


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def max_value_bars(bars: list[Bar], *, title: str, max_label: str = "Điểm tối đa",
                   value_label: str = "Điểm thẩm định", width: int = 720, label_width: int = 300) -> str:
    """A horizontal bar chart: per category a light bar for the maximum and a dark one for the value.

    Returns the SVG as text (escape-safe: every label is escaped here). Numbers print with a decimal
    comma. The scale starts at 0 and ends at the largest maximum, so bars compare across categories."""
    row, bar_h, top, gap = 40, 13, 34, 2
    height = top + row * max(len(bars), 1) + 8
    plot = width - label_width - 70
    scale_max = max((b.maximum for b in bars), default=Decimal(0)) or Decimal(1)

    def length(value: Decimal) -> float:
        return float(value / scale_max) * plot

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {FONT} font-size="12">',
        f"<title>{escape(title)}</title>",
        # Legend: the two fills, named.
        f'<rect x="{label_width}" y="6" width="14" height="10" fill="{LIGHT}" stroke="{LINE}" stroke-width="1"/>',
        f'<text x="{label_width + 20}" y="15">{escape(max_label)}</text>',
        f'<rect x="{label_width + 130}" y="6" width="14" height="10" fill="{DARK}"/>',
        f'<text x="{label_width + 150}" y="15">{escape(value_label)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = top + i * row
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_h + 2}" text-anchor="end">'
            f"<title>{escape(bar.label)}</title>{escape(_shorten(bar.label, 46))}</text>"
        )
        max_len = length(bar.maximum)
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{max_len:.1f}" height="{bar_h}" fill="{LIGHT}" '
            f'stroke="{LINE}" stroke-width="1"/>'
        )
        parts.append(f'<text x="{label_width + max_len + 5:.1f}" y="{y + bar_h - 2}">{format_number(bar.maximum, 2)}</text>')
        vy = y + bar_h + gap
        if bar.value is None:
            parts.append(f'<text x="{label_width + 2}" y="{vy + bar_h - 2}" font-style="italic">chưa thẩm định</text>')
            continue
        value_len = length(bar.value)
        parts.append(f'<rect x="{label_width}" y="{vy}" width="{value_len:.1f}" height="{bar_h}" fill="{DARK}"/>')
        lost = bar.value - bar.maximum
        note = f" ({format_number(lost, 2)})" if lost < 0 else ""
        parts.append(
            f'<text x="{label_width + value_len + 5:.1f}" y="{vy + bar_h - 2}" font-weight="bold">'
            f"{format_number(bar.value, 2)}{escape(note)}</text>"
        )
    parts.append(f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{height - 6}" stroke="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)
