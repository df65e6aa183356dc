"""What a caller asks of a booklet build, and what it gets back."""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BookletOptions:
    paper: str = "A4"  # "A4" | "A3" (A3: the A4 page enlarged, type sizes and columns ×√2)
    # Landscape, as the source booklet: its table has 12 columns (8 of them ○ marks),
    # and on a portrait page 概要 would shrink to about 150 pt, a handful of characters a line.
    landscape: bool = True
    draft: bool | None = None  # None: follow document["status"]; True forces the 「案」 mark, False omits it
    font_path: str | None = None  # a TrueType font; None searches the package, then the system
    # 校正用: "previous" marks changes against the previous fiscal year's edition, "published"
    # against this edition as last published (the caller passes that document as compare_to)
    proof: str = "off"  # "off" | "previous" | "published"
    # the date of issue on the cover and colophon; None: document["published_on"] for a
    # published edition, else the day of the build
    issue_date: datetime.date | None = None


@dataclass(frozen=True)
class BookletReport:
    pages: int
    embedded_font: str | None  # the embedded face's name; None when the CID font was used
    warnings: list[str] = field(default_factory=list)  # Japanese, one problem each


class BuildCancelled(Exception):
    """The caller's cancel() said stop; nothing was written to a path output."""
