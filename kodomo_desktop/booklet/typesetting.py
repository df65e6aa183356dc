"""What validation knows of the booklet, handed to it from here (core cannot import the booklet):
which characters the font draws, and the table's geometry for the row-height estimate.
Both come from the fonts and layout a build with the same options uses."""

from typing import Any

from kodomo_desktop.booklet.fonts import find_fonts
from kodomo_desktop.booklet.layout import Layout
from kodomo_desktop.booklet.options import BookletOptions
from kodomo_desktop.booklet.story import Story
from kodomo_desktop.core.listing import without_ended
from kodomo_desktop.core.validation import PageMetrics, Typesetting


def typesetting(
    fiscal_year: int, options: BookletOptions = BookletOptions(), document: dict[str, Any] | None = None
) -> Typesetting:
    """document: the edition, whose content sets the column widths; None estimates with the
    widths of an empty edition (every column at its lower bound but 概要)."""
    fonts = find_fonts(options.font_path)
    layout = Layout.of(options.paper, options.landscape, fonts)
    story = Story(
        without_ended(document) if document else {"fiscal_year": fiscal_year, "programs": [], "policies": []}, layout
    )
    name, summary, *_marks, results, divisions = story.widths
    # the table header as the booklet draws it, repeated on every page a table runs over
    header = story.header_height
    page = PageMetrics(
        column_widths={"name": name, "summary": summary, "results": results, "divisions": divisions},
        font_size=layout.cell.size,
        leading=layout.cell.leading,
        padding=layout.cell_padding,
        body_height=layout.frame_height - header,
    )
    if fonts.embedded is None:
        return Typesetting(
            page=page,
            skipped=("日本語の TrueType フォントが見つからないため、冊子で印刷できない文字は検査していません。",),
        )
    return Typesetting(covers=fonts.covers, font_name=fonts.embedded, page=page)
