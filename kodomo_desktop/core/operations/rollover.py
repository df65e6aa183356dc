"""「新年度の版を作成」: the next fiscal year's edition, started from the last one.

The new edition is built from the source's kodomo-edition/1 document, so it is
written by the same code as an import and holds exactly what an export carries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kodomo_desktop.core.changes import OpResult, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import check_year, era_label
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.interchange import export_document, write_edition
from kodomo_desktop.core.listing import is_listed, without_ended
from kodomo_desktop.core.models import Edition
from kodomo_desktop.core.operations.exclusive import exclusive
from kodomo_desktop.core.vocabulary import CONTINUING, DRAFT, NEW


def rollover(db: Database, from_year: int, to_year: int, *, source: str = "rollover") -> OpResult:
    """A backup, then a draft edition for `to_year` with the source's policy tree, programs
    (same stable ids), targets, divisions and placements. Returns the new edition's id.

    実績 starts empty, the source's 実績 kept beside it as previous_results. Ended (終了)
    programs are not carried over; new (新規) ones continue as 継続. Review flags and notes
    come along (an open question stays open); acknowledged findings and imported returns
    stay with the old year, whose review they were. The source is only read, so a
    published edition can be rolled over. Not while another publishes or rolls over (exclusive).
    """
    check_year(from_year, "元の版の年度")
    check_year(to_year, "新しい版の年度")
    if to_year != from_year + 1:
        # previous_results means the year just before: a gap would mislabel it
        raise InvalidInput(
            f"新年度の版は元の版の翌年度に作成してください（{era_label(from_year)}の次は{era_label(from_year + 1)}）。"
        )
    with exclusive(db, "rollover"):
        source_doc = export_document(db, from_year)
        with db.read() as session:
            _refuse_existing(session, to_year)
        backup = db.backup("before-rollover")
        with writing(db, source) as w:
            _refuse_existing(w.session, to_year)
            edition = write_edition(w, next_year_document(source_doc, to_year))
            w.log("edition", edition.id, "rolled_over_from", None, from_year, edition.id)
            ended = [p["id"] for p in source_doc["programs"] if not is_listed(p)]
            w.log("edition", edition.id, "not_carried_over", None, ended or None, edition.id)
            w.log("edition", edition.id, "backup", None, str(backup) if backup else None, edition.id)
            return w.result(edition.id)


def next_year_document(doc: dict[str, Any], to_year: int) -> dict[str, Any]:
    """The source document as the first draft of the next year."""
    new = without_ended(doc)
    new["fiscal_year"] = to_year
    new["status"] = DRAFT
    for program in new["programs"]:
        program["previous_results"] = program["results"]
        program["results"] = ""
        if program.get("status") == NEW:
            program["status"] = CONTINUING
    return new


def _refuse_existing(session: Session, fiscal_year: int) -> None:
    if session.scalar(select(Edition.id).where(Edition.fiscal_year == fiscal_year)) is not None:
        raise InvalidInput(
            f"{era_label(fiscal_year)}の版はすでにあります。作り直すときは、その版を削除してから実行してください。"
        )
