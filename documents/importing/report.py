"""What reading a file gives: rows with their values and where each came from, totals to check,
warnings and errors. Plain data; nothing here touches the database."""

from dataclasses import dataclass, field
from decimal import Decimal

ERROR = "error"
WARNING = "warning"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as the spreadsheet shows it."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Message:
    """One finding, located in the file; ``text`` is the whole sentence a user reads."""

    level: str
    text: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    expected: str = ""

    def as_dict(self) -> dict:
        return {"message": self.text, "sheet": self.sheet, "row": self.row, "column": self.column,
                "value": self.value, "expected": self.expected}


@dataclass
class Cell:
    """A value read from the file, with the place it came from and the decimals it was printed with."""

    value: Decimal
    sheet: str
    row: int  # 1-based, as the spreadsheet numbers rows
    column: str  # letter
    places: int = 0
    raw: str = ""


@dataclass
class DataRow:
    """A unit's row: its name (and QLVB ID) as the file writes them, and its values by canonical key."""

    sheet: str
    row: int
    name: str
    code: str = ""
    values: dict[str, Cell] = field(default_factory=dict)   # stored metrics (counts, given rates)
    stated: dict[str, Cell] = field(default_factory=dict)   # stated rates and sums: checked only
    unit: object = None  # units.models.Unit once resolved


@dataclass
class TotalRow:
    sheet: str
    row: int
    label: str
    grand: bool
    covers: list[DataRow] = field(default_factory=list)
    values: dict[str, Cell] = field(default_factory=dict)


@dataclass
class ImportReport:
    file: str
    source: str = ""
    rows: list[DataRow] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    errors: list[Message] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    resolved: bool = False
    layout: str = "table"  # "table": one row per unit; "dossiers": the per-dossier TTHC export
    dossiers: int = 0  # dossiers counted (per-dossier export only)
    overdue: list = field(default_factory=list)  # documents.importing.dossiers.OverdueRow

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def error(self, text: str, **where) -> None:
        self.errors.append(Message(ERROR, text, **where))

    def warn(self, text: str, **where) -> None:
        self.warnings.append(Message(WARNING, text, **where))
