"""Character-level differences between two texts, for every screen and report that reviews a change.

`edit_script(old, new)` gives the runs kept, inserted and deleted, compared character by
character (Japanese has no spaces to compare words by). A single kept character between
two changes (a particle, a comma) is folded into them, so a rewritten phrase reads as one
replacement, not as a scatter of single characters. `excerpt` trims the long kept runs to
some context around each change, so a change at the end of a long 概要 shows whatever the
text's length; the renderers write the runs as plain text with 【+…】/【-…】 markers, or as
the JSON edit script other tools can render.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final, Literal

Op = Literal["keep", "insert", "delete"]
KEEP: Final = "keep"
INSERT: Final = "insert"
DELETE: Final = "delete"

# a kept run this short between two changes (a particle, a comma) is read as part of the change
SHORT_KEPT = 1
# characters of context kept on each side of a change in an excerpt
CONTEXT = 20
ELLIPSIS = "…"
# the colours every view gives the changes; each view adds a cue that is not colour (underline, strike)
INSERT_COLOUR = "0B5CAD"
DELETE_COLOUR = "B3261E"
LINE_BREAK = "⏎"


@dataclass(frozen=True)
class Run:
    op: Op
    text: str


def edit_script(old: str, new: str) -> list[Run]:
    """The runs that turn old into new; the kept and deleted runs spell old, the kept and inserted new."""
    # autojunk would treat frequent characters (「の」, 「、」) of a long text as noise
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    runs: list[Run] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(Run(KEEP, old[i1:i2]))
            continue
        if i2 > i1:
            runs.append(Run(DELETE, old[i1:i2]))
        if j2 > j1:
            runs.append(Run(INSERT, new[j1:j2]))
    return _merge(_fold_short_kept(runs))


def _fold_short_kept(runs: list[Run]) -> list[Run]:
    folded: list[Run] = []
    for i, run in enumerate(runs):
        between_changes = 0 < i < len(runs) - 1 and runs[i - 1].op != KEEP and runs[i + 1].op != KEEP
        if run.op == KEEP and between_changes and len(run.text) <= SHORT_KEPT:
            folded += [Run(DELETE, run.text), Run(INSERT, run.text)]
        else:
            folded.append(run)
    return folded


def _merge(runs: list[Run]) -> list[Run]:
    """Adjacent runs of one kind joined; within a change, the deletion before the insertion."""
    merged: list[Run] = []
    pending: dict[Op, str] = {DELETE: "", INSERT: ""}

    def flush() -> None:
        merged.extend(Run(op, pending[op]) for op in (DELETE, INSERT) if pending[op])
        pending[DELETE] = pending[INSERT] = ""

    for run in runs:
        if run.op == KEEP:
            flush()
            if merged and merged[-1].op == KEEP:
                merged[-1] = Run(KEEP, merged[-1].text + run.text)
            else:
                merged.append(run)
        else:
            pending[run.op] += run.text
    flush()
    return merged


def has_changes(script: list[Run]) -> bool:
    return any(run.op != KEEP for run in script)


def excerpt(script: list[Run], context: int = CONTEXT) -> list[Run]:
    """The changes with `context` characters of kept text on each side, the rest cut to 「…」.

    Line breaks show as ⏎: a changed line break is then a visible inserted or deleted character.
    """
    shown: list[Run] = []
    last = len(script) - 1
    for i, run in enumerate(script):
        text = run.text
        if run.op == KEEP and has_changes(script):
            head = text[:context] if i > 0 else ""  # after a change
            tail = text[-context:] if i < last else ""  # before a change
            if len(head) + len(tail) < len(text):
                text = head + ELLIPSIS + tail
        shown.append(Run(run.op, text.replace("\n", LINE_BREAK)))
    return shown


def side(runs: list[Run], op: Op) -> list[Run]:
    """One side of a change: the old text (op DELETE) or the new (op INSERT), with its changed runs."""
    return [run for run in runs if run.op in (KEEP, op)]


def marked(runs: list[Run]) -> str:
    """Plain text with the changes marked: 「前後の文脈【-削除】【+挿入】」."""
    marks = {KEEP: "{}", INSERT: "【+{}】", DELETE: "【-{}】"}
    return "".join(marks[run.op].format(run.text) for run in runs)


def plain(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def as_json(script: list[Run]) -> list[dict[str, str]]:
    return [{"op": run.op, "text": run.text} for run in script]
