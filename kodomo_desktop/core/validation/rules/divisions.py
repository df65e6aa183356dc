"""所管 must name entries of the master list that are in use, and the list itself should hold no typos.

The database cannot hold a division outside the master list, so the first rule
fires for documents (an import, an Excel return); the second for programs still
naming an entry that was deactivated after a reorganization; the third for a typo
that became an entry (an import with --add-divisions, a slip in the master dialog).
"""

from collections.abc import Iterable, Iterator

from kodomo_desktop.core.divisions import DivisionPair, MasterList, format_divisions, near_duplicates
from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, edition_rule, program_rule


def _sentences(pairs: Iterable[DivisionPair], master: MasterList, problem: str) -> str:
    """One sentence per entry, each with the closest active entries as candidates."""
    out = []
    for pair in pairs:
        close = master.suggest(pair)
        hint = f"（候補: {'、'.join(close)}）" if close else ""
        out.append(f"所管「{format_divisions([pair])}」は{problem}{hint}。")
    return "".join(out)


@program_rule("divisions.unknown", Severity.ERROR, "所管が一覧にない")
def unknown_division(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    master = ctx.view.master
    unknown = [d for d in p.divisions if not master.is_active(d) and not master.is_inactive(d)]
    if unknown:
        yield Hit(_sentences(unknown, master, "所管の一覧にありません"), "divisions")


@program_rule("divisions.inactive", Severity.ERROR, "使用停止の所管")
def inactive_division(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    master = ctx.view.master
    inactive = [d for d in p.divisions if master.is_inactive(d)]
    if inactive:
        yield Hit(_sentences(inactive, master, "所管の一覧で使用停止になっています"), "divisions")


# A typo is named by one program (the one it was typed for); two alike names that many
# programs use are two real divisions (子育て支援課, 子育て助成課 of 子育て支援部).
_RARELY_USED = 1


@edition_rule("divisions.near_duplicate", Severity.INFO, "よく似た所管")
def near_duplicate_divisions(ctx: Context) -> Iterator[Hit]:
    master = ctx.view.master
    for first, second in near_duplicates(master):
        uses = {pair: master.uses.get(pair, 0) for pair in (first, second)}
        if min(uses.values()) > _RARELY_USED:
            continue
        named = "と".join(f"「{format_divisions([pair])}」（事業{n}件）" for pair, n in uses.items())
        yield Hit(
            f"所管の一覧に{named}があり、名前がよく似ています。"
            "一方が誤記なら「所管の一覧」で正しい方に統合してください。"
        )
