"""The validation rules, one small function each; importing this package registers them all."""

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
