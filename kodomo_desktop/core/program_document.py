"""A program as the interchange format writes it: one converter for an ORM row and a plain-SQL record.

No SQLAlchemy here: the command line reads an edition for print without importing it
(core.edition_sql), and both readers must write a program alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from kodomo_desktop.core.targets import labels_from_mask


class ProgramValues(Protocol):
    """The columns of a program row that its document holds (a models.Program satisfies it)."""

    @property
    def uid(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def alias(self) -> str | None: ...
    @property
    def summary(self) -> str: ...
    @property
    def targets(self) -> int: ...
    @property
    def uncertain_targets(self) -> int: ...
    @property
    def results(self) -> str: ...
    @property
    def previous_results(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def needs_review(self) -> bool: ...
    @property
    def review_notes(self) -> Sequence[str]: ...


def program_document(program: ProgramValues, divisions: Sequence[Sequence[str | None]]) -> dict[str, Any]:
    """A program as the interchange format writes it (also the snapshot that undoes a delete).

    divisions: its 所管 as (department, division) pairs, in printed order."""
    doc: dict[str, Any] = {
        "id": program.uid,
        "name": program.name,
        "alias": program.alias,
        "summary": program.summary,
        "targets": labels_from_mask(program.targets),
        "results": program.results,
        "divisions": [{"department": d, "division": v} for d, v in divisions],
        "needs_review": program.needs_review,
        "review_notes": list(program.review_notes),
        "status": program.status,
    }
    if program.previous_results is not None:
        doc["previous_results"] = program.previous_results
    if program.uncertain_targets:
        doc["uncertain_targets"] = labels_from_mask(program.uncertain_targets)
    return doc
