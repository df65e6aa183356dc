"""「確認済み」: a finding someone judged and kept, hidden until the text it judged changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kodomo_desktop.core.validation.findings import Finding, Severity

AckKey = tuple[str | None, str, str | None]  # Finding.key: program, code, field


@dataclass(frozen=True)
class Ack:
    note: str
    user: str
    at: str
    fingerprint: str


def acknowledgeable(finding: Finding) -> bool:
    """Errors must be fixed: publishing refuses them, so they cannot be waved through."""
    return finding.severity is not Severity.ERROR


def split_acknowledged(
    findings: Iterable[Finding], acks: Mapping[AckKey, Ack]
) -> tuple[list[Finding], list[tuple[Finding, Ack]]]:
    """(still to act on, acknowledged with their acknowledgement)."""
    shown: list[Finding] = []
    kept: list[tuple[Finding, Ack]] = []
    for finding in findings:
        ack = acks.get(finding.key)
        if ack is not None and ack.fingerprint == finding.fingerprint and acknowledgeable(finding):
            kept.append((finding, ack))
        else:
            shown.append(finding)
    return shown, kept
