"""A 実績 speaks of the edition's fiscal year; another year is usually last year's text left in."""

import re
from collections.abc import Iterator

from kodomo_desktop.core.era import ERAS, era_label
from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, program_rule

_ERA_START = {name: start for start, name in ERAS}
# R6年度 and H30年度 are common in department returns
_ABBREVIATIONS = {"R": "令和", "H": "平成", "S": "昭和"}
_ERA = "|".join([*_ERA_START, *_ABBREVIATIONS])
# only 年度: a date such as 令和7年3月31日 lies inside fiscal 2024
_FISCAL_YEAR = re.compile(rf"(?:({_ERA})\s*(元|\d{{1,2}})|((?:19|20)\d\d))\s*年度")


def fiscal_years(text: str) -> Iterator[tuple[int, str]]:
    """The fiscal years a text names, as (western year, as written)."""
    for m in _FISCAL_YEAR.finditer(text):
        era, n, western = m.groups()
        if western:
            yield int(western), m.group()
        else:
            start = _ERA_START[_ABBREVIATIONS.get(era, era)]
            yield start + (1 if n == "元" else int(n)) - 1, m.group()


@program_rule("results.year", Severity.WARNING, "実績に別の年度")
def other_fiscal_year(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    year = ctx.view.fiscal_year
    others = list(dict.fromkeys(written for y, written in fiscal_years(p.results) if y != year))
    if others:
        yield Hit(
            f"実績に{era_label(year)}以外の年度（{'、'.join(others)}）が書かれています。"
            "前年度の実績が残っていないか、この年度の実績か確認してください。",
            "results",
        )
