"""The FY2024 edition, built from the text of the printed booklet (shared/seed)."""

from kodomo_desktop.core.seed.parser import SeedNote, SeedResult, format_report, parse_source

__all__ = ["SeedNote", "SeedResult", "format_report", "parse_source"]
