"""The FY2024 edition, built from the text of the printed booklet (source-list/)."""

from kodomo_desktop.core.seed.edition import SeedResult, parse_source
from kodomo_desktop.core.seed.notes import SeedNote
from kodomo_desktop.core.seed.report import format_report
from kodomo_desktop.core.seed.source import SOURCE_LIST

__all__ = ["SOURCE_LIST", "SeedNote", "SeedResult", "format_report", "parse_source"]
