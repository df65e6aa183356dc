"""The main window's actions: text, shortcut, icon, tip and the feature each needs, in one place.

What an action does is wired by the window (`WindowActions.connect`); which menu and toolbar
show it is laid out there too. An action whose feature is missing stays disabled, with the
reason in its tooltip, from start-up or from the first time the feature fails to load.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QStyle, QWidget

from kodomo_desktop.ui import features
from kodomo_desktop.ui.features import Feature, FeatureMissing
from kodomo_desktop.ui.messages import show_error

Shortcut = QKeySequence | QKeySequence.StandardKey

SP = QStyle.StandardPixmap
KEY = QKeySequence.StandardKey
REORDER_TIP = "個別施策の中での順番を変更（行をドラッグしても変えられます）"


class WindowActions:
    def __init__(self, window: QWidget):
        self._window = window
        self._features: dict[QAction, Feature] = {}
        self.unavailable: set[QAction] = set()
        new = self._new

        self.undo = new("元に戻す", [KEY.Undo], SP.SP_ArrowBack)
        self.redo = new("やり直す", [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")], SP.SP_ArrowForward)
        for action in (self.undo, self.redo):
            action.setIconText(action.text())  # the menu item names the step; the toolbar stays short
        self.history = new("操作の履歴", tip="これまでの操作の一覧。選んだ操作の後の状態まで戻せます")
        self.history.setCheckable(True)
        self.copy = new("表のセルをコピー", tip="選んだセルをタブ区切りでコピー（表の上で Ctrl+C）")
        self.paste = new("表に貼り付け", tip="Excel でコピーした範囲を選んだセルから貼り付け（表の上で Ctrl+V）")
        self.find = new("検索", [KEY.Find])
        self.next_pane = new("次の領域へ", [QKeySequence("F6")], tip="施策の一覧→表→事業の内容→検証の順に移動")
        self.previous_pane = new("前の領域へ", [QKeySequence("Shift+F6")])
        self.add = new("事業を追加", [QKeySequence("Ctrl+N")], SP.SP_FileIcon, "選んでいる個別施策に事業を追加")
        self.delete = new("事業を削除", [], SP.SP_TrashIcon, "選んだ事業を削除（元に戻すで復元できます）")
        self.up = new("上へ", [QKeySequence("Ctrl+Up")], SP.SP_ArrowUp, status_tip=REORDER_TIP)
        self.down = new("下へ", [QKeySequence("Ctrl+Down")], SP.SP_ArrowDown, status_tip=REORDER_TIP)
        self.move = new("別の個別施策へ移動…", tip="選んだ行を別の個別施策へ（左の施策へドラッグしても移動できます）")
        self.new_edition = new("前年度から新しい年度版を作成…", feature=features.ROLLOVER)
        self.issuer = new("発行者の設定…", tip="冊子の表紙と奥付に印刷する発行者（市・部・課）")
        self.publish = new("公開する…")
        self.unpublish = new("公開を取り消す…")
        self.delete_edition = new("この年度版を削除…", tip="作成中の年度版を削除（削除の前にバックアップします）")
        self.compare = new("年度の比較…", feature=features.COMPARE_DIALOG)
        self.booklet = new(
            "冊子(PDF)を作成…", [QKeySequence("Ctrl+P")], SP.SP_DialogSaveButton, feature=features.BOOKLET
        )
        self.proof = new(
            "冊子（校正用）を作成…",
            tip="要確認の事業・不確かな対象・前年度（または前回公開時）からの変更に印を付けた校正用の冊子",
            feature=features.BOOKLET,
        )
        self.web = new("ウェブ版を書き出す…", tip="表・見出し・目次をそなえた HTML のページ一式（ウェブサイト掲載用）")
        self.import_json = new(
            "JSON から取り込む…",
            tip="kodomo-edition/1 形式の文書を取り込む（同じ年度の作成中の版は置き換え。元に戻すで取り消せます）",
        )
        self.restore = new(
            "バックアップから復元…", tip="データベースをバックアップの時点に戻す", feature=features.RESTORE_DIALOG
        )
        self.templates = new("様式を書き出す…", feature=features.WRITE_TEMPLATES)
        self.import_returns = new("回答を取り込む…", feature=features.RETURNS_DIALOG)
        self.returns_overview = new("回答の状況", feature=features.RETURNS_OVERVIEW)
        self.findings = new("検証パネル", feature=features.FINDINGS_PANEL)
        self.findings.setCheckable(True)
        self.coverage = new(
            "対象別の事業数…",
            tip="個別施策ごとに各対象に届く事業の数（色の濃さで表示、前年度との比較も）",
            feature=features.COVERAGE_DIALOG,
        )
        self.master = new("所管の一覧…", feature=features.MASTER_DIALOG)
        self.about = new("バージョン情報…", feature=features.ABOUT_DIALOG)
        self.quit = new("終了", [KEY.Quit])
        # office comforts (ui/open_database.py, booklet_preview.py, excel_list_action.py, guide_dialog.py)
        self.open_database = new("開く…", [KEY.Open], SP.SP_DialogOpenButton, "別のデータベースファイルを開く")
        self.recent = QMenu("最近使ったファイル", window)
        self.preview = new(
            "冊子のプレビュー…",
            tip="冊子(PDF)のページを画面で確認（拡大・縮小、印刷もできます）",
            feature=features.BOOKLET_PREVIEW,
        )
        self.excel_list = new(
            "一覧を Excel に書き出す…",
            tip="年度版の一覧を冊子の順に1枚のシートへ（【再掲】の行も含む。庁内での回覧用）",
            feature=features.WHOLE_LIST,
        )
        self.guide = new("操作説明", [KEY.HelpContents], tip="ふだんの作業の手順")

        # where they are shown: None is a separator
        self.menus: dict[str, Sequence[QAction | None]] = {
            "ファイル(&F)": [
                *(self.open_database, self.recent.menuAction(), None, self.preview, self.booklet, self.proof),
                *(self.web, self.excel_list, None, self.import_json, self.restore, None, self.quit),
            ],
            "編集(&E)": [
                *(self.undo, self.redo, self.history, None, self.copy, self.paste, None, self.find, None),
                *(self.next_pane, self.previous_pane, None),
                *(self.add, self.delete, None, self.up, self.down, self.move),
            ],
            "年度版(&Y)": [
                *(self.new_edition, self.issuer, None, self.publish, self.unpublish, None, self.compare, None),
                self.delete_edition,
            ],
            "Excel(&X)": [self.templates, self.import_returns, self.returns_overview],
            "検証(&V)": [self.findings, self.coverage, None, self.master],
            "ヘルプ(&H)": [self.guide, None, self.about],
        }
        self.toolbar: Sequence[QAction | None] = [
            *(self.undo, self.redo, None, self.add, self.delete, self.up, self.down, None, self.booklet)
        ]
        self.grid_context_menu = (self.add, self.delete, self.up, self.down, self.move, self.copy, self.paste)

    def _new(
        self,
        text: str,
        shortcuts: Sequence[Shortcut] = (),
        icon: QStyle.StandardPixmap | None = None,
        tip: str = "",
        feature: Feature | None = None,
        status_tip: str = "",
    ) -> QAction:
        action = QAction(text, self._window)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if icon is not None:
            action.setIcon(self._window.style().standardIcon(icon))
        if tip:
            action.setToolTip(tip)
        if tip or status_tip:
            action.setStatusTip(status_tip or tip)
        if feature is not None:
            self._features[action] = feature
            features.offer(action, feature)
            if not action.isEnabled():
                self.unavailable.add(action)
        return action

    def connect(self, action: QAction, slot: Callable[[], object]) -> None:
        """Run slot when the action is triggered; a feature that fails to load turns its action off."""
        if action not in self._features:
            action.triggered.connect(lambda: slot())
        else:
            action.triggered.connect(lambda: self._run_feature(action, slot))

    def disable(self, action: QAction, reason: str) -> None:
        """Off for good: its feature is missing."""
        action.setEnabled(False)
        action.setToolTip(reason)
        self.unavailable.add(action)

    def set_enabled(self, enabled: Mapping[QAction, bool]) -> None:
        for action, on in enabled.items():
            action.setEnabled(on and action not in self.unavailable)

    def _run_feature(self, action: QAction, slot: Callable[[], object]) -> None:
        try:
            slot()
        except FeatureMissing as exc:
            self.disable(action, exc.message)
            show_error(self._window, exc)
