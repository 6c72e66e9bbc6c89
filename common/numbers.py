"""Vietnamese number formatting and parsing: decimal comma, thousands dot (23,41 · 14.678).

Kept free of Django so that the scoring engine, importers and letters share one rule."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def format_number(value, places: int | None = None, *, grouping: bool = True) -> str:
    """Format a number the way Vietnamese documents print it.

    ``places=None`` keeps the value's own decimals with trailing zeros dropped (2,9 not 2,90);
    a whole number of places rounds half-up and keeps that many decimals (92,30).
    """
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{abs(number):f}"
    else:
        text = f"{abs(number).normalize():f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    if grouping:
        whole = f"{int(whole):,}".replace(",", ".")
    sign = "-" if number < 0 and (Decimal(text) != 0) else ""
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def parse_number(text) -> Decimal | None:
    """Read a number typed or exported in Vietnamese or plain form; blank means no data (None).

    "23,41" → 23.41; "14.678" → 14678; "1.152,5" → 1152.5; "85%" → 85; "2.00" → 2.00 (a single dot
    followed by other than three digits is a decimal point, as some exports write it).
    Raises ValueError for anything that is not a number.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"không phải số: {text!r}")
    if isinstance(text, (int, Decimal)):
        return _finite(Decimal(text), text)
    if isinstance(text, float):
        return _finite(Decimal(repr(text)), text)
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if raw in {"", "-"}:
        return None
    if "," in raw and "." in raw:
        # Whichever separator comes last is the decimal one.
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        parts = raw.split(",")
        if len(parts) > 2:
            raw = raw.replace(",", "")
        else:
            raw = raw.replace(",", ".")
    elif raw.count(".") > 1:
        raw = raw.replace(".", "")
    elif "." in raw:
        whole, frac = raw.split(".")
        if len(frac) == 3 and whole.lstrip("-+").isdigit() and whole.lstrip("-+") not in {"", "0"}:
            raw = whole + frac  # 14.678 is fourteen thousand, as Vietnamese exports write it
    try:
        return _finite(Decimal(raw), text)
    except InvalidOperation as exc:
        raise ValueError(f"không phải số: {text!r}") from exc


def _finite(number: Decimal, text) -> Decimal:
    # Decimal reads "NaN", "Infinity" and "sNaN"; none of them is a figure a spreadsheet means.
    if not number.is_finite():
        raise ValueError(f"không phải số: {text!r}")
    return number
