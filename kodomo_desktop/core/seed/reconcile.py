"""Merging the copies of a program: the list prints a program under every measure it serves.

Copies are one program when their names match (spelling variants folded by name_key); the
primary copy, the one without 【再掲】, gives the program its content, and every way another
copy differs from it is noted for review.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.seed.line_breaks import restore_breaks
from kodomo_desktop.core.seed.notes import Decisions, targets_label
from kodomo_desktop.core.seed.source import Row, squeeze
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import html_to_text, name_key

_TAG = re.compile(r"<\s*/?[a-zA-Z][^>]*>")


def group_programs(rows: Sequence[Row], decisions: Decisions) -> dict[str, list[Row]]:
    """One program per name, its primary copy first; ids by first appearance. Adds the measures' placements."""
    by_key: dict[str, list[Row]] = {}
    for row in rows:
        by_key.setdefault(name_key(row.name), []).append(row)
    programs: dict[str, list[Row]] = {}
    for n, copies in enumerate(by_key.values(), 1):
        pid = f"P{n:04d}"
        for row in copies:
            row.program = pid
        first = copies[0]
        primaries = [r for r in copies if not r.relisted]
        if not primaries:
            message = (
                f"「{first.name}」はどの掲載箇所にも【再掲】が付いています。"
                f"最初に載っている{first.label}を主な掲載箇所（【再掲】なし）としました。"
            )
            decisions.note("primary_missing", message, pid, first.line, review=True)
        elif len(primaries) > 1:
            lines = "、".join(r.label for r in primaries)
            message = (
                f"「{first.name}」は【再掲】なしで{len(primaries)}か所に載っています（{lines}）。"
                f"最初の{primaries[0].label}を主な掲載箇所とし、ほかは【再掲】として扱います。"
            )
            decisions.note("primary_duplicate", message, pid, primaries[0].line, review=True)
        primary = (primaries or copies)[0]
        programs[pid] = [primary] + [r for r in copies if r is not primary]
        for row in copies:
            if fields := "と".join(
                f for f, cell in (("概要", row.summary), ("実績", row.results)) if _TAG.search(cell)
            ):
                message = (
                    f"{row.label}「{row.name}」の{fields}にあるHTMLタグ（<ul>、<p> など）を、"
                    "改行と「・」の箇条書きに変換しました。"
                )
                decisions.note("html_converted", message, pid, row.line)
    for row in rows:
        row.measure.doc["placements"].append({"program": row.program, "relisted": row is not programs[row.program][0]})
    return programs


def fill_missing_divisions(programs: dict[str, list[Row]], decisions: Decisions) -> None:
    """A copy without 所管 takes it from another copy of the same program."""
    for pid, copies in programs.items():
        for row in copies:
            if row.divisions:
                continue
            source = next((r for r in copies if r.divisions), None)
            if source:
                row.divisions = source.divisions
                message = (
                    f"{row.label}「{row.name}」には所管が書かれていません。"
                    f"同じ事業が載っている{source.label}の所管「{format_divisions(source.divisions)}」を使います。"
                )
                decisions.note("division_missing", message, pid, row.line, review=False)
            else:
                message = (
                    f"{row.label}「{row.name}」には所管が書かれておらず、ほかの掲載箇所にもありません。"
                    "所管を入力してください。"
                )
                decisions.note("division_missing", message, pid, row.line, review=True)


def program_document(pid: str, copies: list[Row], decisions: Decisions) -> dict[str, Any]:
    """The program as the primary copy gives it; how each other copy differs is noted."""
    primary = copies[0]
    summary, results = _restore_breaks(pid, primary, decisions)
    # ticks a table left open, and those on which the copies disagree
    uncertain = primary.uncertain.union(*(copy.targets ^ primary.targets for copy in copies[1:]))
    for copy in copies[1:]:
        full = (copy.name, copy.alias)
        if full != (primary.name, primary.alias):
            message = (
                f"{copy.label}では名称が「{_full_name(*full)}」と書かれていますが、"
                f"{primary.label}の「{_full_name(primary.name, primary.alias)}」と同じ事業として扱い、"
                "主な掲載箇所（【再掲】のない方）の書き方を採用しました。"
            )
            decisions.note("name_variant", message, pid, copy.line, review=False)
        differences = []
        if copy.targets != primary.targets:
            differences.append(
                f"対象（{copy.line}行目「{targets_label(copy.targets)}」、"
                f"主な掲載箇所「{targets_label(primary.targets)}」）"
            )
        for what, mine, theirs in (
            ("概要", html_to_text(copy.summary), summary),
            ("実績", html_to_text(copy.results), results),
        ):
            if _compare_key(mine) != _compare_key(theirs):
                a, b = _excerpts(_compare_key(mine), _compare_key(theirs))
                differences.append(f"{what}（{copy.line}行目「{a}」、主な掲載箇所「{b}」）")
        if copy.divisions != primary.divisions:
            differences.append(
                f"所管（{copy.line}行目「{format_divisions(copy.divisions)}」、"
                f"主な掲載箇所「{format_divisions(primary.divisions)}」）"
            )
        if differences:
            message = (
                f"「{primary.name}」は、主な掲載箇所（【再掲】のない方）の{primary.label}と、{copy.label}とで"
                f"次の点が違います: {'、'.join(differences)}。"
                "主な掲載箇所の内容を採用しました。どちらが正しいか確認してください。"
            )
            decisions.note("copies_differ", message, pid, copy.line, review=True)
    document = {
        "id": pid,
        "name": primary.name,
        "alias": primary.alias,
        "summary": summary,
        "targets": [t for t in TARGETS if t in primary.targets],
        "results": results,
        "divisions": [{"department": d, "division": v} for d, v in primary.divisions],
        "needs_review": pid in decisions.flagged,
        "review_notes": decisions.review.get(pid, []),
    }
    if uncertain:
        document["uncertain_targets"] = [t for t in TARGETS if t in uncertain]
    return document


def _restore_breaks(pid: str, row: Row, decisions: Decisions) -> tuple[str, str]:
    """概要 and 実績 with the line breaks that extraction flattened put back, and one note counting them."""
    summary = restore_breaks(html_to_text(row.summary), "summary")
    results = restore_breaks(html_to_text(row.results), "results")
    if breaks := summary.breaks + results.breaks:
        message = (
            f"{row.label}「{row.name}」の概要と実績で、原資料の抽出で空白になっていた改行を{breaks}か所戻しました"
            f"（概要 {summary.breaks}、実績 {results.breaks}。"
            f"空白のまま残したもの {summary.spaces + results.spaces}か所）。"
        )
        decisions.note("line_breaks_restored", message, pid, row.line)
    return summary.text, results.text


def _compare_key(s: str) -> str:
    """Copies are compared ignoring width and spacing: the extraction flattened line breaks to spaces."""
    return squeeze(unicodedata.normalize("NFKC", s))


def _full_name(name: str, alias: str | None) -> str:
    return f"{name} 通称:{alias}" if alias else name


def _excerpts(a: str, b: str, context: int = 8, width: int = 30) -> tuple[str, str]:
    """The stretch where two texts differ, with a little context on both sides."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1

    def cut(s: str) -> str:
        lo, hi = max(0, start - context), min(len(s), len(s) - end + context, max(0, start - context) + width)
        return ("…" if lo else "") + s[lo:hi] + ("…" if hi < len(s) else "")

    return cut(a), cut(b)
