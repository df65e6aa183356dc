"""The 年度版 menu: a new edition from the previous year, the issuing body, publish, 公開を取り消す,
delete a draft."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.operations.edition_removal import deletable_edition, delete_draft_edition, deletion_notice
from kodomo_desktop.core.queries import edition_settings
from kodomo_desktop.core.validation.stored import empty_results
from kodomo_desktop.ui.features import ROLLOVER
from kodomo_desktop.ui.issuer_dialog import IssuerDialog
from kodomo_desktop.ui.messages import confirm, show_error
from kodomo_desktop.ui.workers import BackgroundTask

if TYPE_CHECKING:
    from kodomo_desktop.ui.main_window import MainWindow


def next_year(window: MainWindow) -> int | None:
    """The year a rollover would create: the one after the newest edition."""
    return max(e.fiscal_year for e in window.editions) + 1 if window.editions else None


def new_edition_from_previous(window: MainWindow) -> None:
    rollover = ROLLOVER.load()
    to_year = next_year(window)
    assert to_year is not None  # the action is enabled only when an edition exists
    from_year = to_year - 1
    if not confirm(
        window,
        "新しい年度版",
        f"{era_label(from_year)}版をもとに{era_label(to_year)}版を作成します。"
        f"{era_label(from_year)}版はそのまま残ります。よろしいですか？",
    ):
        return
    db = window.db
    task = BackgroundTask(
        window,
        f"{era_label(to_year)}版を作成しています…",
        lambda _progress, _cancelled: rollover(db, from_year, to_year),
        cancellable=False,
    )
    task.finished.connect(lambda _result: window.reload_everything(to_year))
    task.failed.connect(lambda exc: show_error(window, exc, "新しい年度版"))
    task.start_write(window.session)


def edit_issuer(window: MainWindow) -> IssuerDialog:
    """「発行者の設定…」: the dialog is window-modal; the change is written in the write thread."""
    year = window.open_year()
    db = window.db
    dialog = IssuerDialog(window, era_label(year), edition_settings(db, year))

    def write() -> None:
        values = dialog.values()
        window.session.submit(
            lambda: ops.update_edition_settings(db, year, values),
            lambda _result: window.reload_everything(year),
            lambda exc: show_error(window, exc, "発行者の設定"),
        )

    dialog.accepted.connect(write)
    dialog.open()
    return dialog


def publish(window: MainWindow) -> None:
    year = window.open_year()
    if not confirm(
        window,
        "公開",
        f"{era_label(year)}版を公開します。公開した版は変更できなくなります"
        "（訂正するときは「公開を取り消す」を理由とともに実行します）。よろしいですか？",
    ):
        return
    window.form.commit_pending()
    try:
        empty = empty_results(window.db, year)
    except Exception as exc:
        show_error(window, exc, "公開")
        return
    if empty.too_many and not confirm(
        window,
        "公開",
        f"{era_label(year)}版は{empty.describe()}。各課の回答を取り込む前ではありませんか？"
        "空の実績は冊子に「―」と印刷されます。このまま公開しますか？",
        default_yes=False,
    ):
        return
    db = window.db
    window.session.submit(
        lambda: ops.publish(db, year, allow_empty_results=empty.too_many),
        lambda _result: window.reload_everything(year),
        lambda exc: show_error(window, exc, "公開"),
    )


def unpublish(window: MainWindow) -> None:
    year = window.open_year()
    reason, ok = QInputDialog.getMultiLineText(
        window,
        "公開を取り消す",
        f"{era_label(year)}版の公開を取り消して編集できる状態に戻します。\n理由（変更履歴に残ります）:",
    )
    if not ok:
        return
    db = window.db
    window.session.submit(
        lambda: ops.unpublish(db, year, reason),
        lambda _result: window.reload_everything(year),
        lambda exc: show_error(window, exc, "公開を取り消す"),
    )


def delete_edition(window: MainWindow) -> None:
    """A draft only (a published one is refused with the reason), named with what will be lost, after a backup."""
    year = window.open_year()
    window.form.commit_pending()
    try:
        edition = deletable_edition(window.db, year)
    except Exception as exc:
        show_error(window, exc, "年度版の削除")
        return
    if not confirm(window, "年度版の削除", deletion_notice(edition) + "よろしいですか？", default_yes=False):
        return
    db = window.db
    window.session.submit(
        lambda: delete_draft_edition(db, year),
        lambda _result: _deleted(window),
        lambda exc: show_error(window, exc, "年度版の削除"),
    )


def _deleted(window: MainWindow) -> None:
    # the undo stack points at the deleted edition's programs
    window.session.forget_history()
    window.reload_everything()
