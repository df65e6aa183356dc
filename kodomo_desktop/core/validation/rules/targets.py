"""Suggestions: target groups the text implies but are not ticked, and ticked ones it never mentions.

One finding per program and rule (an acknowledgement is kept per program, rule and field).
"""

from collections.abc import Iterator

from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, program_rule
from kodomo_desktop.core.validation.target_words import IMPLIED_BY, MENTION_EXPECTED_UP_TO, MENTIONED_BY


def _text(p: ProgramView) -> str:
    return "\n".join([p.name, p.alias or "", p.summary, p.results])


def _judged(p: ProgramView) -> str:
    return "\n".join([_text(p), p.value("targets")])


@program_rule("targets.implied", Severity.INFO, "本文から推測される対象が未選択")
def implied_targets(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    text = _text(p)
    parts = []
    for group, phrases in IMPLIED_BY.items():
        found = [w for w in phrases if w in text]
        if group not in p.targets and found:
            parts.append(f"「{'」「'.join(found)}」とありますが「{group}」")
    if parts:
        yield Hit(f"本文に{'、'.join(parts)}が対象に選ばれていません。", "targets", judged=_judged(p))


@program_rule("targets.unmentioned", Severity.INFO, "選択された対象が本文にない")
def unmentioned_targets(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    if len(p.targets) > MENTION_EXPECTED_UP_TO:
        return
    text = _text(p)
    groups = [g for g, words in MENTIONED_BY.items() if g in p.targets and not any(w in text for w in words)]
    if groups:
        yield Hit(
            f"対象に「{'」「'.join(groups)}」が選ばれていますが、本文にそれにあたる語がありません。",
            "targets",
            judged=_judged(p),
        )
