"""A program someone flagged 要確認 (the seed flags the source's own inconsistencies)."""

from collections.abc import Iterator

from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, program_rule


@program_rule("review.flagged", Severity.WARNING, "要確認の事業")
def needs_review(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    if not p.needs_review:
        return
    notes = p.review_notes
    first = notes[0] if notes else "メモなし"
    more = f"（ほかにメモ{len(notes) - 1}件）" if len(notes) > 1 else ""
    yield Hit(f"要確認: {first}{more}", "review_notes", judged="\n".join(notes))
