"""A dashboard: the figures for one scope and period, laid out as tables.

Figures are computed lazily, so a CSV download runs only the queries its
table needs. Each table is defined once here and rendered both on the page
and as CSV (tables.py), so the two never disagree.

Sections, in page order, one module each: participation, left_out, spread,
knowledge, mentoring. core.py holds the Report and the table names; cells.py
how a figure reads in a cell.
"""

from dashboards.report.cells import duration_text, percent
from dashboards.report.core import ORGANISATION_TABLES, SECTIONS, TABLES, Report

__all__ = [
    "ORGANISATION_TABLES",
    "SECTIONS",
    "TABLES",
    "Report",
    "duration_text",
    "percent",
]
