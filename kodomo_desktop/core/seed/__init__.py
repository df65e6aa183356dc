"""The FY2024 edition, built from the text of the printed booklet (source-list/)."""

from kodomo_desktop.core.seed.source import SeedNote, SeedResult, format_report, parse_divisions, parse_source

__all__ = ["SeedNote", "SeedResult", "format_report", "parse_divisions", "parse_source"]
