"""Import of the provincial systems' spreadsheets: read → validate → resolve units; the only
writer is documents.actions.store_batch."""

from .pipeline import read_file, report_json, resolve_units, unit_values
from .report import ImportReport

__all__ = ["ImportReport", "read_file", "report_json", "resolve_units", "unit_values"]
