"""Validation: rules that check an edition (or a document) and report findings.

Core, no Qt. The rules live in `rules/`, one small function each, registered in
`registry.RULES`; they run over the plain read model of `read_model`. Importing this
package does not load the rules: `checking.all_rules` imports them when a validation runs.
"""

from typing import TYPE_CHECKING, Any

from kodomo_desktop.core.validation.acks import Ack, acknowledgeable
from kodomo_desktop.core.validation.checking import Report, all_rules, validate_view
from kodomo_desktop.core.validation.findings import (
    Finding,
    Severity,
    blocking_message,
    errors,
    fingerprint,
    worst,
)
from kodomo_desktop.core.validation.read_model import EditionView, view_from_document
from kodomo_desktop.core.validation.typesetting import NO_TYPESETTING, PageMetrics, Typesetting

__all__ = [
    "NO_TYPESETTING",
    "Ack",
    "EditionView",
    "Finding",
    "PageMetrics",
    "Report",
    "Severity",
    "Typesetting",
    "acknowledgeable",
    "all_rules",
    "blocking_message",
    "edition_errors",
    "errors",
    "fingerprint",
    "validate_edition",
    "validate_programs",
    "validate_view",
    "view_from_document",
    "worst",
]

if TYPE_CHECKING:
    from kodomo_desktop.core.validation.stored import edition_errors, validate_edition, validate_programs

STORED = ("edition_errors", "validate_edition", "validate_programs")


def __getattr__(name: str) -> Any:
    # the database's validations load SQLAlchemy: imported when first asked for, so that a
    # document read without it (the command line's booklet) is checked without it too
    if name in STORED:
        from kodomo_desktop.core.validation import stored

        return getattr(stored, name)
    raise AttributeError(name)
