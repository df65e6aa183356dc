"""Features built in other parts of the program (booklet, Excel, validation, ...), found lazily.

Start-up only asks whether a feature's module exists (find_spec executes nothing);
the import itself happens on first use, so a heavy library (ReportLab, openpyxl)
never slows the first window. An action whose feature is missing stays disabled and
its tooltip says what is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QAction

from kodomo_desktop.core.errors import KodomoError


class FeatureMissing(KodomoError):
    pass


@dataclass(frozen=True)
class Feature:
    module: str
    name: str  # the function or class the window calls
    what: str  # in Japanese, for the tooltip: what this version lacks

    def missing(self) -> str | None:
        """Why the feature cannot be offered, judged without importing it; None when it may be."""
        try:
            found = importlib.util.find_spec(self.module) is not None
        except ModuleNotFoundError:  # a parent package is missing
            found = False
        return None if found else self._missing_text()

    def load(self) -> Any:
        try:
            return getattr(importlib.import_module(self.module), self.name)
        except (ImportError, AttributeError) as exc:
            raise FeatureMissing(f"{self._missing_text()}（{exc}）") from exc

    def _missing_text(self) -> str:
        return f"この版には{self.what}がありません（{self.module}.{self.name}）。"


BOOKLET = Feature("kodomo_desktop.booklet", "build_booklet", "冊子(PDF)の作成機能")
BOOKLET_OPTIONS = Feature("kodomo_desktop.booklet", "BookletOptions", "冊子(PDF)の作成機能")
WRITE_TEMPLATES = Feature("kodomo_desktop.excel.templates", "write_templates", "Excel 様式の書き出し機能")
RETURNS_DIALOG = Feature("kodomo_desktop.ui.returns_import_dialog", "ReturnsDialog", "Excel 回答の取り込み画面")
RETURNS_OVERVIEW = Feature("kodomo_desktop.ui.returns_overview_dialog", "ReturnsOverview", "Excel 回答の状況画面")
FINDINGS_PANEL = Feature("kodomo_desktop.ui.findings_panel", "FindingsPanel", "検証パネル")
MASTER_DIALOG = Feature("kodomo_desktop.ui.master_dialog", "MasterListDialog", "所管の一覧の編集画面")
COVERAGE_DIALOG = Feature("kodomo_desktop.ui.coverage_dialog", "CoverageDialog", "対象別の事業数の画面")
COMPARE_DIALOG = Feature("kodomo_desktop.ui.compare_dialog", "CompareDialog", "年度の比較画面")
RESTORE_DIALOG = Feature("kodomo_desktop.ui.restore_dialog", "RestoreDialog", "バックアップからの復元画面")
ABOUT_DIALOG = Feature("kodomo_desktop.ui.about_dialog", "AboutDialog", "バージョン情報の画面")
BOOKLET_PREVIEW = Feature("kodomo_desktop.ui.booklet_preview", "BookletPreview", "冊子のプレビュー画面")
WHOLE_LIST = Feature("kodomo_desktop.excel.whole_list", "write_whole_list", "一覧の Excel 書き出し機能")
ROLLOVER = Feature("kodomo_desktop.core.operations.rollover", "rollover", "前年度からの年度版作成機能")


def offer(action: QAction, feature: Feature) -> None:
    """Disable the action, saying why, when its feature is not there."""
    reason = feature.missing()
    if reason:
        action.setEnabled(False)
        action.setToolTip(reason)
        action.setStatusTip(reason)
