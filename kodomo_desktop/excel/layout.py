"""The return template's layout, shared by the writer and the reader.

The reader never trusts positions: it finds the table by a defined name, the columns by
their header text, and the template's identity in custom document properties, which
Excel and LibreOffice both keep when a department renames a sheet or moves columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from kodomo_desktop.core.era import results_header
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.vocabulary import PROGRAM_STATUSES

TEMPLATE_KIND = "kodomo-return"
# Bumped when the reader can no longer read older templates the same way.
TEMPLATE_VERSION = 1

# custom document properties
PROP_KIND = "kodomo.template"
PROP_VERSION = "kodomo.template_version"
PROP_YEAR = "kodomo.fiscal_year"
PROP_UNIT = "kodomo.unit"  # the unit's display name, for messages
PROP_UNIT_KIND = "kodomo.unit_kind"
PROP_DEPARTMENT = "kodomo.department"
PROP_DIVISION = "kodomo.division"  # "" where the unit is a whole department
PROP_EXPORTED_AT = "kodomo.exported_at"

# defined names: the input table (header row first) and the exported values (the merge base)
TABLE_NAME = "kodomo_table"
BASE_NAME = "kodomo_base"

INPUT_SHEET = "回答"
INSTRUCTIONS_SHEET = "記入方法"
BASE_SHEET = "kodomo_base"

BLANK_ROWS = 10
TICK = "○"
STATUS_CHOICES = PROGRAM_STATUSES


@dataclass(frozen=True)
class Column:
    key: str  # a program field, "target:<label>", "id" or "previous_results"
    header: str
    width: float
    editable: bool = True
    wrap: bool = True


def target_key(label: str) -> str:
    return f"target:{label}"


def columns(fiscal_year: int, with_previous_results: bool) -> list[Column]:
    """The input sheet's columns, left to right."""
    cols = [
        Column("id", "ID", 8, editable=False, wrap=False),
        Column("name", "事業・取組名称", 26),
        Column("alias", "通称", 14),
        Column("summary", "概要", 46),
        *(Column(target_key(label), label, 6.5, wrap=False) for label in TARGETS),
        Column("results", results_header(fiscal_year), 30),
    ]
    if with_previous_results:
        cols.append(Column("previous_results", results_header(fiscal_year - 1), 30, editable=False))
    cols += [
        Column("divisions", "所管", 22),
        Column("status", "変更区分", 9, wrap=False),
        Column("note", "備考", 24),
    ]
    return cols


# the columns a return must have to be read at all
REQUIRED_KEYS = (
    "id",
    "name",
    "alias",
    "summary",
    *(target_key(t) for t in TARGETS),
    "results",
    "divisions",
    "status",
    "note",
)
