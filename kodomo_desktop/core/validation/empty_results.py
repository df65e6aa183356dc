"""How many printed programs still lack their 実績: a rolled-over edition starts with none.

One empty 実績 is a warning (the booklet prints 「―」; the city's own list has one); an
edition mostly empty is an edition whose returns were never taken in, so publishing it
asks first (the window) or needs --force (the CLI).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kodomo_desktop.core.validation.read_model import ProgramView

# publishing an edition with a larger share of printed programs without 実績 asks first
EMPTY_RESULTS_SHARE = 0.2


def is_empty(results: str) -> bool:
    return not results.strip()


@dataclass(frozen=True)
class EmptyResults:
    empty: int
    printed: int  # ended programs are not printed and not counted

    @property
    def share(self) -> float:
        return self.empty / self.printed if self.printed else 0.0

    @property
    def too_many(self) -> bool:
        return self.share > EMPTY_RESULTS_SHARE

    def describe(self) -> str:
        return f"実績が空の事業が{self.printed}件中{self.empty}件（{self.share:.0%}）あります"


def count_empty_results(programs: Iterable[ProgramView]) -> EmptyResults:
    printed = [p for p in programs if p.printed]
    return EmptyResults(sum(is_empty(p.results) for p in printed), len(printed))
