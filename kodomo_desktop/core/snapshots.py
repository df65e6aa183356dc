"""An edition as it was when last published: publishing stores its document beside the
edition, so that a proof can show what changed since."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from kodomo_desktop.core.changes import Writer
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.edition_sql import published_from, read_document
from kodomo_desktop.core.models import Edition
from kodomo_desktop.core.sql_rows import session_rows


def store_publication(w: Writer, edition: Edition, on: date) -> None:
    """Record a publication: its date, and the document as published."""
    old = edition.published_on.isoformat() if edition.published_on else None
    w.log("edition", edition.id, "published_on", old, on.isoformat(), edition.id)
    edition.published_on = on
    w.session.flush()  # the snapshot reads the edition, its status and its log in this transaction
    document = read_document(session_rows(w.session), edition.fiscal_year, dated=True)
    edition.published_snapshot = json.dumps(document, ensure_ascii=False)


def published_document(db: Database, fiscal_year: int) -> dict[str, Any] | None:
    """The document as it was when the edition was last published; None if it never was."""
    with db.read() as session:
        return published_from(session_rows(session), fiscal_year)
