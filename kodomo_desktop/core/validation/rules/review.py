"""A program someone flagged 要確認 (the seed flags the source's own inconsistencies)."""

from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.registry import program_rule


@program_rule("review.flagged", Severity.WARNING, "要確認の事業")
def needs_review(p, ctx):
    if p.needs_review:
        notes = " / ".join(p.review_notes) or "メモなし"
        yield Hit(f"要確認: {notes}", "review_notes", judged="\n".join(p.review_notes))
