"""A block of cells as tab-separated text, as Excel puts it on the clipboard and reads it back.

A cell holding a tab, a line break or a quote is quoted, with quotes doubled (Excel's rule).
"""

from __future__ import annotations

import csv
import io


def format_block(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue()


def parse_block(text: str) -> list[list[str]]:
    """Rows of cells; the one trailing line break Excel adds makes no empty last row."""
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    return [row or [""] for row in csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"')] or [[""]]
