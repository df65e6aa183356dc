"""The validation rules, one small function each; importing this package registers them all.

Only `checking.all_rules` imports it, when a validation runs: importing `core.validation` stays cheap.
"""

from collections.abc import Mapping

from kodomo_desktop.core.validation.registry import RULES, Rule
from kodomo_desktop.core.validation.rules import (  # noqa: F401  (imported to register)
    divisions,
    duplicates,
    layout,
    required,
    review,
    structure,
    targets,
    text,
    years,
)


def registered() -> Mapping[str, Rule]:
    """Every rule, by code (all registered once this package is imported)."""
    return RULES
