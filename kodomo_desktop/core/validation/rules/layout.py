"""A row taller than a page splits across pages in the booklet: readable, but usually a sign
that the text wants shortening or a list that would read better as lines."""

from collections.abc import Iterator

from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, program_rule
from kodomo_desktop.core.validation.typesetting import cell_texts, tallest_column


@program_rule("row.too_long", Severity.WARNING, "1ページに収まらない行")
def row_too_long(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    page = ctx.typesetting.page
    if page is None:
        return
    cells = cell_texts(p.name, p.alias, p.summary, p.results, format_divisions(p.divisions))
    height = page.row_height(cells)
    if height > page.body_height:
        column = tallest_column(page, cells)
        yield Hit(
            f"この事業の行は冊子の1ページに収まらない見込みです（約{height / page.body_height:.1f}ページ分）。"
            "文を短くするか、箇条書きを見直してください。",
            column,
            judged="\n".join(cells.values()),
        )
