"""Operations on editions: create, delete, settings (the issuing body), publish, unpublish."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from kodomo_desktop.core.changes import OpResult, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import check_year, era_label
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.models import Edition
from kodomo_desktop.core.operations.exclusive import exclusive
from kodomo_desktop.core.snapshots import store_publication
from kodomo_desktop.core.validation.findings import blocking_message
from kodomo_desktop.core.validation.stored import edition_by_year, edition_empty_results, edition_errors
from kodomo_desktop.core.vocabulary import DEFAULT_TITLE, DRAFT, PUBLISHED


def create_edition(db: Database, fiscal_year: int, title: str = DEFAULT_TITLE, *, source: str = "editor") -> OpResult:
    """An empty draft edition. Returns its id."""
    check_year(fiscal_year)
    with writing(db, source) as w:
        if w.session.scalar(select(Edition.id).where(Edition.fiscal_year == fiscal_year)):
            raise InvalidInput(f"{era_label(fiscal_year)}の版はすでにあります。")
        edition = Edition(fiscal_year=fiscal_year, title=title.strip() or DEFAULT_TITLE, status=DRAFT)
        w.session.add(edition)
        w.session.flush()
        w.log("edition", edition.id, "created", None, {"fiscal_year": fiscal_year, "title": edition.title}, edition.id)
        return w.result(edition.id)


def delete_edition(db: Database, fiscal_year: int, *, source: str = "editor") -> OpResult:
    """Delete a draft edition and everything in it. A published edition must be unpublished first."""
    with writing(db, source) as w:
        edition = edition_by_year(w.session, fiscal_year)
        w.editable(edition.id)
        w.log("edition", edition.id, "deleted", {"fiscal_year": fiscal_year, "title": edition.title}, None, None)
        w.session.delete(edition)
        return w.result()


# edition settings: field -> its label in messages
SETTINGS = {"issuer_city": "発行者の市", "issuer_department": "発行者の部", "issuer_division": "発行者の課"}


def update_edition_settings(
    db: Database, fiscal_year: int, values: dict[str, Any], *, source: str = "editor"
) -> OpResult:
    """Set the issuing body printed on the cover (city, department, division); an empty
    department or division is none. A published edition is frozen, settings included."""
    with writing(db, source) as w:
        edition = edition_by_year(w.session, fiscal_year)
        w.editable(edition.id)
        for field, value in values.items():
            if field not in SETTINGS:
                raise InvalidInput(f"年度版の設定「{field}」はありません（{'、'.join(SETTINGS)}）。")
            if value is not None and not isinstance(value, str):
                raise InvalidInput(f"{SETTINGS[field]}は文字列で指定してください。")
            value = (value or "").strip() or None
            if field == "issuer_city" and value is None:
                raise InvalidInput("発行者の市は空にできません。")
            w.log("edition", edition.id, field, getattr(edition, field), value, edition.id)
            setattr(edition, field, value)
        return w.result()


def publish(db: Database, fiscal_year: int, *, allow_empty_results: bool = False, source: str = "editor") -> OpResult:
    """Freeze an edition: every later write to it is refused. Refused while validation finds errors,
    and while more than EMPTY_RESULTS_SHARE of its programs lack 実績 unless allow_empty_results."""
    with exclusive(db, "publish"), writing(db, source) as w:
        edition = edition_by_year(w.session, fiscal_year)
        w.editable(edition.id)
        # checked inside the write transaction, so no edit can slip in between
        if errors := edition_errors(w.session, edition):
            raise InvalidInput(blocking_message(era_label(fiscal_year), errors, "公開"))
        empty = edition_empty_results(w.session, edition)
        if empty.too_many and not allow_empty_results:
            raise InvalidInput(
                f"{era_label(fiscal_year)}版は{empty.describe()}。各課の回答を取り込んでから公開してください"
                "（このまま公開するときは --force を指定します）。"
            )
        w.log("edition", edition.id, "status", edition.status, PUBLISHED, edition.id)
        edition.status = PUBLISHED
        store_publication(w, edition, date.today())
        return w.result()


def unpublish(db: Database, fiscal_year: int, reason: str, *, source: str = "editor") -> OpResult:
    """「公開を取り消す」: make a published edition editable again, with the reason logged.

    The last publication's date and snapshot stay: a proof compares against them."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("公開を取り消す理由を入力してください。")
    with exclusive(db, "unpublish"), writing(db, source) as w:
        edition = edition_by_year(w.session, fiscal_year)
        if not edition.published:
            raise InvalidInput(f"{era_label(fiscal_year)}版は公開されていません。")
        w.log("edition", edition.id, "status", PUBLISHED, DRAFT, edition.id)
        w.log("edition", edition.id, "unpublish_reason", None, reason, edition.id)
        edition.status = DRAFT
        return w.result()
