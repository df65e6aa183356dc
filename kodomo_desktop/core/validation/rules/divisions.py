"""所管 must name entries of the master list that are in use.

The database cannot hold a division outside the master list, so the first rule
fires for documents (an import, an Excel return); the second for programs still
naming an entry that was deactivated after a reorganization.
"""

from collections.abc import Iterable, Iterator

from kodomo_desktop.core.divisions import DivisionPair, MasterList, format_divisions
from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, program_rule


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
