"""Marking a validation finding 「確認済み」 (with a note), and taking that back.

The acknowledgement holds the fingerprint of the text the finding judged: once that
text changes the finding shows again, since the judgement was about the old text.
"""

from __future__ import annotations

from sqlalchemy import select

from kodomo_desktop.core.changes import OpResult, Writer, writing
from kodomo_desktop.core.database import Database, now_iso
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.models import FindingAck
from kodomo_desktop.core.validation.acks import acknowledgeable
from kodomo_desktop.core.validation.findings import Finding
from kodomo_desktop.core.validation.stored import edition_by_year


def _entity_id(program: str | None, code: str, field: str | None) -> str:
    return f"{program or '-'}/{code}/{field or '-'}"


def _existing(w: Writer, edition_id: int, program: str | None, code: str, field: str | None) -> FindingAck | None:
    return w.session.scalar(
        select(FindingAck).where(
            FindingAck.edition_id == edition_id,
            FindingAck.program_uid.is_(None) if program is None else FindingAck.program_uid == program,
            FindingAck.code == code,
            FindingAck.field.is_(None) if field is None else FindingAck.field == field,
        )
    )


def acknowledge_finding(
    db: Database, fiscal_year: int, finding: Finding, note: str = "", *, source: str = "editor"
) -> OpResult:
    """Hide this finding until the text it judged changes; a second call replaces the note."""
    if not acknowledgeable(finding):
        raise InvalidInput("エラーは確認済みにできません。公開の前に修正してください。")
    note = (note or "").strip()
    with writing(db, source) as w:
        edition = edition_by_year(w.session, fiscal_year)
        w.editable(edition.id)
        ack = _existing(w, edition.id, finding.program, finding.code, finding.field)
        old = {"note": ack.note, "fingerprint": ack.fingerprint} if ack else None
        if ack is None:
            ack = FindingAck(edition_id=edition.id, program_uid=finding.program, code=finding.code, field=finding.field)
            w.session.add(ack)
        ack.fingerprint, ack.note, ack.user, ack.at = finding.fingerprint, note, w.user, now_iso()
        new = {"note": note, "fingerprint": finding.fingerprint}
        w.log("finding", _entity_id(finding.program, finding.code, finding.field), "acknowledged", old, new, edition.id)
        return w.result()


def withdraw_acknowledgement(
    db: Database, fiscal_year: int, program: str | None, code: str, field: str | None, *, source: str = "editor"
) -> OpResult:
    """Show the finding again."""
    with writing(db, source) as w:
        edition = edition_by_year(w.session, fiscal_year)
        w.editable(edition.id)
        ack = _existing(w, edition.id, program, code, field)
        if ack is None:
            return w.result()
        old = {"note": ack.note, "fingerprint": ack.fingerprint}
        w.session.delete(ack)
        w.log("finding", _entity_id(program, code, field), "acknowledged", old, None, edition.id)
        return w.result()
