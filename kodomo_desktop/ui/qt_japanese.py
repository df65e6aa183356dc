"""Qt's own texts (standard buttons, file dialogs, context menus of text fields) in Japanese.

Qt ships `qtbase_ja.qm`, but it lags behind Qt: the file dialog's labels gained mnemonics
("&Look in:", "Files of &type:") that it does not know, and the file type column's
"Folder" moved to a context it lacks. Those few texts are supplied here, looked up
before qtbase_ja. Native file dialogs (Windows, GTK) are translated by the system
itself; these translations are for Qt's own dialog, used where no native one exists.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator

# (context, source text) -> Japanese: what qtbase_ja.qm misses in the dialogs the window opens
MISSING = {
    ("QFileDialog", "&Look in:"): "場所(&L):",
    ("QFileDialog", "Files of &type:"): "ファイルの種類(&T):",
    ("QAbstractFileIconProvider", "Folder"): "フォルダ",
    ("QAbstractFileIconProvider", "File Folder"): "フォルダ",
    ("QAbstractFileIconProvider", "Drive"): "ドライブ",
    ("QAbstractFileIconProvider", "File"): "ファイル",
    ("QAbstractFileIconProvider", "%1 File"): "%1 ファイル",
    ("QAbstractFileIconProvider", "Alias"): "エイリアス",
    ("QAbstractFileIconProvider", "Shortcut"): "ショートカット",
}


class _Supplement(QTranslator):
    # None becomes Qt's null string, "not translated here", and Qt asks the next translator;
    # an empty string would be taken as the translation
    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return MISSING.get((context, source))

    def isEmpty(self) -> bool:
        return False


def install_japanese(app: QCoreApplication, parent: QObject | None = None) -> list[QTranslator]:
    """Install the translators (qtbase_ja when it is found, then the supplement); returns them for removal."""
    installed: list[QTranslator] = []
    base = QTranslator(parent or app)
    if base.load("qtbase_ja", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(base)
        installed.append(base)
    supplement = _Supplement(parent or app)
    app.installTranslator(supplement)  # the last installed is asked first
    installed.append(supplement)
    return installed
