"""The reports' seed-built assessments (tests/reports/conftest.py) serve the rendering faults too."""

from ..reports.conftest import cchc_assessment, district, poppler  # noqa: F401  (fixtures)
