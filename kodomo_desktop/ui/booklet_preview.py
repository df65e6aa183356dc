"""ファイル ▸ 冊子のプレビュー…: the booklet's pages in the window, with page navigation, zoom and printing.

The booklet is built exactly as 冊子(PDF)を作成 builds it (in a worker thread, into memory),
then shown one page at a time: pypdfium2 (PDFium, BSD/Apache licensed, a few MB; Qt's own
PDF module is not in the PySide6 wheels the program ships with) rasterizes the current
page at the current zoom in a worker thread. PDFium is not thread-safe, so every call into
it holds one lock. 再作成 builds the booklet again from the database's present contents.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING, Any

import pypdfium2  # type: ignore[import-untyped]  # ships no type information (no py.typed)
from PySide6.QtCore import QEvent, QObject, QRect, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut, QWheelEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.era import era_label
from kodomo_desktop.ui.features import BOOKLET, BOOKLET_OPTIONS
from kodomo_desktop.ui.messages import show_error
from kodomo_desktop.ui.workers import BackgroundTask, Cancelled, Progress

if TYPE_CHECKING:
    from kodomo_desktop.core.database import Database

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)  # times the page's size at 72 dpi
PRINT_DPI_LIMIT = 300  # a page image finer than this only makes the print job bigger
_PDFIUM = threading.Lock()


def render_page(pdf: pypdfium2.PdfDocument, index: int, scale: float) -> QImage:
    """One page as an image, scale times 72 dpi."""
    with _PDFIUM:
        page = pdf[index]
        try:
            bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
            # a copy: the bitmap's memory goes with it
            return QImage(
                bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
            ).copy()
        finally:
            page.close()


def page_size(pdf: pypdfium2.PdfDocument, index: int) -> tuple[float, float]:
    with _PDFIUM:
        page = pdf[index]
        try:
            width, height = page.get_size()
            return float(width), float(height)
        finally:
            page.close()


class _RenderSignals(QObject):
    rendered = Signal(int, int, float, QImage)  # request number, page, scale, image


class _Render(QRunnable):
    def __init__(self, pdf: pypdfium2.PdfDocument, request: int, index: int, scale: float, signals: _RenderSignals):
        super().__init__()
        self.pdf, self.request, self.index, self.scale, self.signals = pdf, request, index, scale, signals

    def run(self) -> None:
        self.signals.rendered.emit(self.request, self.index, self.scale, render_page(self.pdf, self.index, self.scale))


class BookletPreview(QDialog):
    """The open edition's booklet (not the proof copy), page by page."""

    def __init__(self, db: Database, fiscal_year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.fiscal_year = fiscal_year
        self.pdf: pypdfium2.PdfDocument | None = None
        self.page_count = 0
        self.page = 0
        self.scale = 1.0
        self.fit_width = True
        self._request = 0  # the newest render asked for; older results are dropped
        self._signals = _RenderSignals(self)
        self._signals.rendered.connect(self._show_rendered)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # PDFium renders one page at a time anyway
        self.setWindowTitle(f"冊子のプレビュー — {era_label(fiscal_year)}版")

        self.previous_button = QPushButton("前へ")
        self.next_button = QPushButton("次へ")
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName("ページ番号")
        self.page_box.setKeyboardTracking(False)
        self.page_total = QLabel("/ 0")
        self.zoom_out_button = QPushButton("縮小 (−)")
        self.zoom_in_button = QPushButton("拡大 (+)")
        self.fit_button = QPushButton("幅に合わせる")
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.zoom_label = QLabel()
        self.rebuild_button = QPushButton("再作成")
        self.rebuild_button.setToolTip("いまのデータベースの内容で冊子を作り直す")
        self.print_button = QPushButton("印刷…")
        close_button = QPushButton("閉じる")
        self.state = QLabel()
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setAccessibleName("冊子のページ")
        self.pages_view = QScrollArea()
        self.pages_view.setWidget(self.image)
        self.pages_view.setWidgetResizable(True)
        self.pages_view.setAccessibleName("冊子のページ表示")
        self.pages_view.viewport().installEventFilter(self)

        bar = QHBoxLayout()
        for widget in (self.previous_button, self.page_box, self.page_total, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.rebuild_button, self.print_button, close_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.pages_view, 1)
        layout.addWidget(self.state)

        self.previous_button.clicked.connect(lambda: self.go_to(self.page - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.page + 1))
        self.page_box.valueChanged.connect(lambda value: self.go_to(value - 1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.fit_button.toggled.connect(self._fit_toggled)
        self.rebuild_button.clicked.connect(self.build)
        self.print_button.clicked.connect(self.print_dialog)
        close_button.clicked.connect(self.reject)
        # shortcuts rather than key handlers: the scroll area would take PageUp/PageDown for scrolling
        for keys, slot in (
            ((QKeySequence.StandardKey.MoveToNextPage,), lambda: self.go_to(self.page + 1)),
            ((QKeySequence.StandardKey.MoveToPreviousPage,), lambda: self.go_to(self.page - 1)),
            ((QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")), lambda: self.zoom_by(ZOOM_STEP)),
            ((QKeySequence.StandardKey.ZoomOut,), lambda: self.zoom_by(1 / ZOOM_STEP)),
        ):
            for key in keys:
                QShortcut(QKeySequence(key), self, slot)

        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1000, screen.width() - 40), screen.height() - 80)
        self._update_controls()
        QTimer.singleShot(0, self.build)

    # --- building -------------------------------------------------------------------------

    def build(self) -> None:
        """Build the booklet from the database's present contents (in a worker), then show it."""
        build_booklet = BOOKLET.load()
        options = BOOKLET_OPTIONS.load()()
        db, year = self.db, self.fiscal_year
        self.rebuild_button.setEnabled(False)
        self.state.setText("冊子を作成しています…")

        def work(progress: Progress, cancelled: Cancelled) -> tuple[bytes, Any]:
            from kodomo_desktop.core.interchange import export_document

            out = io.BytesIO()
            report = build_booklet(export_document(db, year, dated=True), out, options, progress, cancelled)
            return out.getvalue(), report

        task = BackgroundTask(self, f"{era_label(year)}版の冊子のプレビューを作成しています…", work)
        task.finished.connect(lambda result: self._built(*result))
        task.failed.connect(self._build_failed)
        task.cancelled.connect(lambda: self._build_failed(None))
        task.start()

    def _built(self, data: bytes, report: Any) -> None:
        self._close_pdf()
        with _PDFIUM:
            self.pdf = pypdfium2.PdfDocument(data)
            self.page_count = len(self.pdf)
        notes = f"（確認が必要な点 {len(report.warnings)}件）" if report.warnings else ""
        self.state.setText(f"{self.page_count}ページ{notes}。冊子(PDF)を作成すると同じ内容で保存されます。")
        self.go_to(min(self.page, self.page_count - 1), force=True)

    def _build_failed(self, exc: BaseException | None) -> None:
        self._update_controls()
        self.state.setText("冊子を作成できませんでした。" if exc is not None else "冊子の作成を取り消しました。")
        if exc is not None:
            show_error(self, exc, "冊子のプレビュー")

    # --- pages and zoom ------------------------------------------------------------------

    def go_to(self, index: int, force: bool = False) -> None:
        if self.pdf is None or not 0 <= index < self.page_count or (index == self.page and not force):
            return
        self.page = index
        self._render()

    def zoom_by(self, factor: float) -> None:
        if self.pdf is None:
            return
        self.fit_width = False
        self.fit_button.setChecked(False)
        low, high = ZOOM_RANGE
        self.scale = min(high, max(low, self.scale * factor))
        self._render()

    def _fit_toggled(self, on: bool) -> None:
        self.fit_width = on
        self._render()

    def _fitting_scale(self) -> float:
        assert self.pdf is not None
        width, _height = page_size(self.pdf, self.page)
        room = self.pages_view.viewport().width() - 2 * self.pages_view.frameWidth() - 8
        low, high = ZOOM_RANGE
        return min(high, max(low, room / width))

    def _render(self) -> None:
        if self.pdf is None:
            return
        if self.fit_width:
            self.scale = self._fitting_scale()
        self._request += 1
        ratio = self.devicePixelRatioF()  # sharp on a scaled screen: rendered at device pixels
        self._pool.start(_Render(self.pdf, self._request, self.page, self.scale * ratio, self._signals))
        self._update_controls()

    def _show_rendered(self, request: int, index: int, _scale: float, image: QImage) -> None:
        if request != self._request:
            return  # the user has moved on
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(pixmap)
        self.image.setAccessibleDescription(f"{index + 1}ページ目")

    def _update_controls(self) -> None:
        loaded = self.pdf is not None
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, max(1, self.page_count))
        self.page_box.setValue(self.page + 1)
        self.page_box.blockSignals(False)
        self.page_total.setText(f"/ {self.page_count}")
        self.page_box.setEnabled(loaded)
        self.previous_button.setEnabled(loaded and self.page > 0)
        self.next_button.setEnabled(loaded and self.page < self.page_count - 1)
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_button, self.print_button):
            button.setEnabled(loaded)
        self.rebuild_button.setEnabled(True)
        self.zoom_label.setText(f"{round(self.scale * 100)}%")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+wheel zooms, as in a PDF viewer; the plain wheel scrolls
        if isinstance(event, QWheelEvent) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            return True
        if event.type() == QEvent.Type.Resize and self.fit_width and self.pdf is not None:
            QTimer.singleShot(0, self._render)
        return super().eventFilter(watched, event)

    # --- printing ------------------------------------------------------------------------

    def print_dialog(self) -> None:
        if self.pdf is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("冊子の印刷")
        dialog.setMinMax(1, self.page_count)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Every page (or the range chosen in the print dialog) to the printer, each fitted to its
        page rectangle. Returns the pages printed."""
        assert self.pdf is not None
        first, last = printer.fromPage(), printer.toPage()
        pages = range(first - 1, last) if first > 0 and last > 0 else range(self.page_count)
        dpi = min(printer.resolution(), PRINT_DPI_LIMIT)
        painter = QPainter()
        if not painter.begin(printer):
            self.state.setText("プリンターを使えません。プリンターの設定を確認してください。")
            return 0
        try:
            for n, index in enumerate(pages):
                if n:
                    printer.newPage()
                image = render_page(self.pdf, index, dpi / 72)
                area = painter.viewport()
                fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(QRect(area.x(), area.y(), fitted.width(), fitted.height()))
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(area)
                painter.setWindow(QRect(0, 0, area.width(), area.height()))
        finally:
            painter.end()
        self.state.setText(f"{len(pages)}ページを印刷に送りました。")
        return len(pages)

    # --- closing ---------------------------------------------------------------------------

    def done(self, result: int) -> None:
        self._request += 1  # a page still rendering is not shown
        self._close_pdf()
        super().done(result)

    def _close_pdf(self) -> None:
        self._pool.waitForDone()  # a queued render still reads the document
        if self.pdf is not None:
            with _PDFIUM:
                self.pdf.close()
            self.pdf = None
