"""Running the rules over a read model, and the report of a run (core.validation.stored runs
them over a database edition, or the programs an edit touched)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kodomo_desktop.core.validation.acks import Ack
from kodomo_desktop.core.validation.findings import Finding, errors
from kodomo_desktop.core.validation.read_model import EditionView
from kodomo_desktop.core.validation.registry import Context, Rule, run_rules, sort_key
from kodomo_desktop.core.validation.typesetting import NO_TYPESETTING, Typesetting
from kodomo_desktop.core.vocabulary import PUBLISHED


def all_rules() -> Mapping[str, Rule]:
    """Every rule, by code. The rules are imported here, when first needed, so that importing
    core.validation (the window, the operations) does not load them all."""
    from kodomo_desktop.core.validation.rules import registered

    return registered()


def validate_view(
    view: EditionView, typesetting: Typesetting = NO_TYPESETTING, *, publishing: bool = False
) -> list[Finding]:
    """Every finding for the programs in the view and the edition as a whole (no acknowledgements)."""
    return run_rules(all_rules(), Context(view, typesetting, publishing or view.status == PUBLISHED))


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]  # to act on
    acknowledged: tuple[tuple[Finding, Ack], ...]  # marked 確認済み, judged text unchanged
    skipped: tuple[str, ...]  # checks left out, and why
    scope: frozenset[str] | None = None  # the programs checked; None: all
    order: Mapping[str, int] = field(default_factory=dict)  # uid -> booklet position, for sorting

    @property
    def errors(self) -> list[Finding]:
        return errors(self.findings)

    def merged_into(self, previous: Report) -> Report:
        """The whole edition's report after an edit: this (partial) report replaces what it re-checked."""
        scope = self.scope
        if scope is None:
            return self

        def kept(finding: Finding) -> bool:
            return all_rules()[finding.code].per_program and finding.program not in scope

        key = sort_key(self.order)
        return Report(
            tuple(sorted([*filter(kept, previous.findings), *self.findings], key=key)),
            tuple(
                sorted([*(a for a in previous.acknowledged if kept(a[0])), *self.acknowledged], key=lambda a: key(a[0]))
            ),
            self.skipped,
            previous.scope,
            self.order,
        )
