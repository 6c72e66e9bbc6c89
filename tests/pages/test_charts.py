"""The server-side chart: valid SVG, Vietnamese numbers, labels escaped, readable without colour."""

from decimal import Decimal
from xml.etree import ElementTree

from common.charts import DARK, LIGHT, Bar, max_value_bars

NS = "{http://www.w3.org/2000/svg}"


def test_it_draws_one_pair_of_bars_per_area_with_vietnamese_numbers():
    bars = [Bar("1. Công tác chỉ đạo <điều hành>", Decimal("14"), Decimal("12.85")),
            Bar("2. Cải cách thể chế", Decimal("9"), Decimal("9")),
            Bar("3. TTHC", Decimal("20"), None)]
    svg = max_value_bars(bars, title="Thử & kiểm tra")
    root = ElementTree.fromstring(svg)  # parses: labels are escaped
    texts = [t.text for t in root.iter(f"{NS}text") if t.text]
    assert "12,85 (-1,15)" in texts and "14,00" in texts and "9,00" in texts
    assert "chưa thẩm định" in texts
    fills = [r.get("fill") for r in root.iter(f"{NS}rect")]
    # Legend + 3 max bars in light, legend + 2 value bars in dark: told apart by lightness, not hue.
    assert fills.count(LIGHT) == 4 and fills.count(DARK) == 3
    assert root.find(f"{NS}title").text == "Thử & kiểm tra"


def test_the_longest_bar_is_the_largest_max():
    svg = max_value_bars([Bar("a", Decimal("5"), Decimal("5")), Bar("b", Decimal("10"), Decimal("2"))], title="t")
    root = ElementTree.fromstring(svg)
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect") if r.get("fill") == LIGHT and r.get("height") == "13"]
    assert widths[1] == 2 * widths[0]
