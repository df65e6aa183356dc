"""Validation: rules that check an edition (or a document) and report findings.

Core, no Qt. The rules live in `rules/`, one small function each, registered in
`registry.RULES`; they run over the plain read model of `read_model`.
"""

from kodomo_desktop.core.validation.acks import Ack, acknowledgeable
from kodomo_desktop.core.validation.checking import (
    Report,
    edition_errors,
    validate_edition,
    validate_programs,
    validate_view,
)
from kodomo_desktop.core.validation.findings import (
    FIELD_LABELS,
    SEVERITY_ORDER,
    Finding,
    Severity,
    blocking_message,
    worst,
)
from kodomo_desktop.core.validation.read_model import EditionView, MasterList, load_master, view_from_document
from kodomo_desktop.core.validation.registry import RULES
from kodomo_desktop.core.validation.typesetting import NO_TYPESETTING, PageMetrics, Typesetting

__all__ = [
    "FIELD_LABELS",
    "NO_TYPESETTING",
    "RULES",
    "SEVERITY_ORDER",
    "Ack",
    "EditionView",
    "Finding",
    "MasterList",
    "PageMetrics",
    "Report",
    "Severity",
    "Typesetting",
    "acknowledgeable",
    "blocking_message",
    "edition_errors",
    "load_master",
    "validate_edition",
    "validate_programs",
    "validate_view",
    "view_from_document",
    "worst",
]
