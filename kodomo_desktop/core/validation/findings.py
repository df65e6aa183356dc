"""What validation reports: a finding, its severity, and the fingerprint an acknowledgement keeps."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple


class Severity(StrEnum):
    """Worst first: iterating Severity lists the severities in their order, and rank follows it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """0 is the worst: sorting by rank puts errors first."""
        return list(Severity).index(self)


_LABELS = {Severity.ERROR: "エラー", Severity.WARNING: "警告", Severity.INFO: "提案"}


def fingerprint(judged: str) -> str:
    return hashlib.sha256(judged.encode("utf-8")).hexdigest()


class Hit(NamedTuple):
    """What a rule returns; the registry turns it into a Finding with the rule's code and severity.

    judged: the text the rule judged. An acknowledgement holds only while it is unchanged;
    None means the value of `field` (program rules) or the message (edition rules).
    """

    message: str
    field: str | None = None
    program: str | None = None  # set by edition rules; program rules get their program's uid
    judged: str | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    program: str | None  # uid; None for a finding about the edition (a measure's number)
    field: str | None
    fingerprint: str
    program_name: str = ""  # for people: the uid alone says little

    @property
    def where(self) -> str:
        return f"{self.program}「{self.program_name}」" if self.program else "年度版全体"

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        """What an acknowledgement is stored under: one finding per program, code and field."""
        return self.program, self.code, self.field

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "program": self.program,
            "field": self.field,
        }


def blocking_message(edition_label: str, errors: Sequence[Finding], action: str, shown: int = 5) -> str:
    """Why an edition cannot be published or printed: the first few errors, in Japanese."""
    lines = [f"  ・{f.where}: {f.message}" for f in errors[:shown]]
    if len(errors) > shown:
        lines.append(f"  …ほか{len(errors) - shown}件")
    return (
        f"{edition_label}版にはエラーが{len(errors)}件あるため{action}できません。\n"
        + "\n".join(lines)
        + "\n`kodomo-desktop validate` または画面の「検証」で確認し、修正してください。"
    )


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block publishing and printing."""
    return [f for f in findings if f.severity is Severity.ERROR]


def worst(findings: Iterable[Finding]) -> dict[str, Severity]:
    """uid -> the worst severity among the program's findings (for row colouring)."""
    out: dict[str, Severity] = {}
    for f in findings:
        if f.program is not None and (f.program not in out or f.severity.rank < out[f.program].rank):
            out[f.program] = f.severity
    return out
