"""Known misspellings in the source list, corrected only where the source itself shows the right spelling."""

from __future__ import annotations

from collections.abc import Sequence

from kodomo_desktop.core.seed.notes import Decisions
from kodomo_desktop.core.seed.source import Row

# Known misspellings of divisions -> the master spelling. A correction is applied only when
# the master spelling also occurs in the source (evidence), never by similarity.
DIVISION_TYPOS: dict[str, str] = {
    "おやか応援課": "おやこ応援課",  # 子育て支援部; "おやか" is no word, おやこ = 親子
}


def fix_division_typos(rows: Sequence[Row], decisions: Decisions) -> None:
    written = {pair for row in rows for pair in row.divisions}
    for row in rows:
        for i, (department, division) in enumerate(row.divisions):
            if division is None or (fixed := DIVISION_TYPOS.get(division)) is None:
                continue
            where = f"{row.label}「{row.name}」の所管「{division}」は「{fixed}」の誤記"
            if (department, fixed) in written:
                row.divisions[i] = (department, fixed)
                message = f"{where}と判断して直しました（「{fixed}」は他の行に正しく書かれています）。"
                decisions.note("division_typo", message, row.program, row.line, review=False)
            else:
                message = (
                    f"{where}と思われますが、正しい書き方が資料のどこにもないため、"
                    "そのままにしました。確認してください。"
                )
                decisions.note("division_typo", message, row.program, row.line, review=True)
