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


@dataclass(frozen=True)
class Series:
    """One line of a trend chart: its name and one value per period (None: no data that period)."""

    name: str
    values: list


# Grey-safe styles, told apart by dash pattern and marker shape, not by hue.
STYLES = [
    {"dash": "", "marker": "circle", "fill": DARK},
    {"dash": "6 4", "marker": "square", "fill": "#ffffff"},
    {"dash": "2 3", "marker": "diamond", "fill": "#7a7a7a"},
]


def _marker(kind: str, x: float, y: float, fill: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{fill}" stroke="{LINE}" stroke-width="1.5"/>'
    if kind == "diamond":
        return (f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} L{x - 5:.1f} {y:.1f} Z" '
                f'fill="{fill}" stroke="{LINE}" stroke-width="1"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{LINE}" stroke-width="1"/>'


def trend_chart(series: list[Series], labels: list[str], *, title: str, suffix: str = "", places: int = 1,
                scale_max: Decimal | None = None, target: Decimal | None = None, width: int = 640,
                height: int = 220) -> str:
    """A line chart over periods: one line per series, a point and its number (Vietnamese format) at
    every period with data, an optional target as a dash-dot line. Lines differ by dash and marker,
    so the chart reads in grey and in print. The scale starts at 0 and ends at ``scale_max`` (100 for
    rates) or the largest value. Returns the SVG as text; every label is escaped here."""
    # Room under the axis for a number printed below a point at 0 and, under it, the period's name.
    left, right, top, bottom = 44, 16, 40, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None] + ([target] if target is not None else [])
    top_value = scale_max or max(values, default=Decimal(0)) or Decimal(1)
    step = plot_w / max(len(labels), 1)

    def x_at(i: int) -> float:
        return left + step * (i + 0.5)

    def y_at(value) -> float:
        return top + plot_h - float(Decimal(value) / Decimal(top_value)) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart trend" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {FONT} font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    # Legend across the top.
    x = left
    for style, s in zip(STYLES, series):
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(f'<line x1="{x}" y1="12" x2="{x + 26}" y2="12" stroke="{LINE}" stroke-width="2"{dash}/>')
        parts.append(_marker(style["marker"], x + 13, 12, style["fill"]))
        parts.append(f'<text x="{x + 32}" y="16">{escape(_shorten(s.name, 34))}</text>')
        x += 40 + 7 * min(len(s.name), 34)
    if target is not None:
        parts.append(f'<line x1="{x}" y1="12" x2="{x + 26}" y2="12" stroke="{LINE}" stroke-width="1.5" stroke-dasharray="8 3 2 3"/>')
        parts.append(f'<text x="{x + 32}" y="16">Chỉ tiêu {format_number(target)}{escape(suffix)}</text>')
    # Axes and a light grid at quarters of the scale.
    for q in range(5):
        value = Decimal(top_value) * q / 4
        y = y_at(value)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{format_number(value, 0)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{LINE}"/>')
    for i, label in enumerate(labels):
        parts.append(f'<text x="{x_at(i):.1f}" y="{height - 8}" text-anchor="middle">'
                     f"<title>{escape(label)}</title>{escape(_shorten(label, max(int(step / 7), 6)))}</text>")
    if target is not None:
        y = y_at(target)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{LINE}" '
                     f'stroke-width="1.5" stroke-dasharray="8 3 2 3"/>')
    # Where each number goes: at every period the highest point's number above it, the lowest's below
    # it, a middle one to its right, so that close or equal values never print over each other.
    place: dict[tuple[int, int], str] = {}
    for i in range(len(labels)):
        present = sorted((v, -n) for n, s in enumerate(series[:len(STYLES)]) if i < len(s.values) and (v := s.values[i]) is not None)
        for rank, (_, minus_n) in enumerate(reversed(present)):
            place[(-minus_n, i)] = "above" if rank == 0 else ("below" if rank == len(present) - 1 else "right")
    for n, (style, s) in enumerate(zip(STYLES, series)):
        points = [(i, x_at(i), y_at(v), v) for i, v in enumerate(s.values) if v is not None]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        if len(points) > 1:
            path = " ".join(f"{'M' if j == 0 else 'L'}{px:.1f} {py:.1f}" for j, (_, px, py, _) in enumerate(points))
            parts.append(f'<path d="{path}" fill="none" stroke="{LINE}" stroke-width="2"{dash}/>')
        for i, px, py, v in points:
            parts.append(_marker(style["marker"], px, py, style["fill"]))
            where = place[(n, i)]
            lx, ly, anchor = {"above": (px, py - 9, "middle"), "below": (px, py + 18, "middle"),
                              "right": (px + 9, py + 4, "start")}[where]
            weight = ' font-weight="bold"' if n == 0 else ""
            parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}"{weight} paint-order="stroke" '
                         f'stroke="#ffffff" stroke-width="3">{format_number(v, places)}{escape(suffix)}</text>')
    parts.append("</svg>")
    return "".join(parts)
