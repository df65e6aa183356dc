"""Deleting a draft edition from the window or the CLI: what will be lost, a backup, then the delete."""

from __future__ import annotations

from pathlib import Path

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import NotFound, ReadOnlyEdition
from kodomo_desktop.core.operations.editions import delete_edition
from kodomo_desktop.core.queries import EditionInfo, list_editions
from kodomo_desktop.core.vocabulary import PUBLISHED


def deletable_edition(db: Database, fiscal_year: int) -> EditionInfo:
    """The edition, refused with the reason when it cannot be deleted."""
    edition = next((e for e in list_editions(db) if e.fiscal_year == fiscal_year), None)
    if edition is None:
        raise NotFound(f"{era_label(fiscal_year)}（{fiscal_year}年度）の版はありません。")
    if edition.status == PUBLISHED:
        raise ReadOnlyEdition(
            f"{era_label(fiscal_year)}版は公開済みのため削除できません。削除できるのは作成中の版だけです"
            "（どうしても削除するときは、先に「公開を取り消す」を理由とともに実行してください）。"
        )
    return edition


def deletion_notice(edition: EditionInfo) -> str:
    """What the confirmation names: the edition and everything in it."""
    return (
        f"{era_label(edition.fiscal_year)}版（事業 {edition.programs}件、掲載 {edition.placements}件）を削除します。"
        "削除の前にバックアップを作成します（「バックアップから復元」で戻せます）。"
    )


def delete_draft_edition(db: Database, fiscal_year: int, *, source: str = "editor") -> Path | None:
    """Back up, then delete a draft edition. Returns the backup; nothing is deleted when it fails."""
    deletable_edition(db, fiscal_year)
    backup = db.backup("before-delete-edition")
    delete_edition(db, fiscal_year, source=source)
    return backup
