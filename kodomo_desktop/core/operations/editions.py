"""Operations on editions: create, delete, publish, unpublish."""

from __future__ import annotations

from sqlalchemy import select

from kodomo_desktop.core.changes import OpResult, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.models import Edition
from kodomo_desktop.core.validation.checking import edition_errors
from kodomo_desktop.core.validation.empty_results import edition_empty_results
from kodomo_desktop.core.validation.findings import blocking_message
from kodomo_desktop.core.validation.read_model import edition_by_year
from kodomo_desktop.core.vocabulary import DRAFT, PUBLISHED

DEFAULT_TITLE = "「旭川市こども計画」関連事業・取組一覧"


def create_edition(db: Database, fiscal_year: int, title: str = DEFAULT_TITLE, *, source: str = "editor") -> OpResult:
    """An empty draft edition. Returns its id."""
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


def publish(db: Database, fiscal_year: int, *, allow_empty_results: bool = False, source: str = "editor") -> OpResult:
    """Freeze an edition: every later write to it is refused. Refused while validation finds errors,
    and while more than EMPTY_RESULTS_SHARE of its programs lack 実績 unless allow_empty_results."""
    with writing(db, source) as w:
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
        return w.result()


def unpublish(db: Database, fiscal_year: int, reason: str, *, source: str = "editor") -> OpResult:
    """「公開を取り消す」: make a published edition editable again, with the reason logged."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("公開を取り消す理由を入力してください。")
    with writing(db, source) as w:
        edition = edition_by_year(w.session, fiscal_year)
        if not edition.published:
            raise InvalidInput(f"{era_label(fiscal_year)}版は公開されていません。")
        w.log("edition", edition.id, "status", PUBLISHED, DRAFT, edition.id)
        w.log("edition", edition.id, "unpublish_reason", None, reason, edition.id)
        edition.status = DRAFT
        return w.result()
