"""The booklet preview: built from the seeded edition, shown page by page, zoomed, printed."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from kodomo_desktop.booklet import BookletOptions, build_booklet
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.ui.booklet_preview import BookletPreview


@pytest.fixture(scope="module")
def booklet_pages(seeded_template, tmp_path_factory):
    """The page count of the seeded edition's booklet, built as 冊子(PDF)を作成 builds it."""
    from tests.conftest import _copy_of

    db = _copy_of(seeded_template, tmp_path_factory.mktemp("pages") / "db.sqlite")
    try:
        out = io.BytesIO()
        report = build_booklet(export_document(db, 2024, dated=True), out, BookletOptions())
    finally:
        db.dispose()
    return report.pages


@pytest.fixture
def preview(qtbot, seeded_db):
    dialog = BookletPreview(seeded_db, 2024)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.image.pixmap() is not None and not dialog.image.pixmap().isNull(), timeout=120_000)
    # its shortcuts (PageDown, Ctrl+-) act in the active window, which the build's progress dialog was
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    yield dialog
    dialog.reject()


def pixmap_width(dialog) -> int:
    return dialog.image.pixmap().width()


def test_shows_the_first_page_of_the_whole_booklet(preview, booklet_pages):
    assert preview.page_count == booklet_pages > 10
    assert preview.page == 0 and preview.page_box.value() == 1
    assert preview.page_total.text() == f"/ {booklet_pages}"
    assert not preview.previous_button.isEnabled() and preview.next_button.isEnabled()
    assert f"{booklet_pages}ページ" in preview.state.text()


def test_page_keys_buttons_and_page_box_move_between_pages(preview, qtbot):
    first = preview.image.pixmap().toImage()
    qtbot.keyClick(preview.pages_view, Qt.Key.Key_PageDown)
    assert preview.page == 1 and preview.page_box.value() == 2
    qtbot.waitUntil(lambda: preview.image.accessibleDescription() == "2ページ目")
    assert preview.image.pixmap().toImage() != first
    qtbot.keyClick(preview.pages_view, Qt.Key.Key_PageUp)
    assert preview.page == 0
    qtbot.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    assert preview.page == 1
    preview.page_box.setValue(preview.page_count)
    assert preview.page == preview.page_count - 1 and not preview.next_button.isEnabled()
    qtbot.keyClick(preview.pages_view, Qt.Key.Key_PageDown)  # past the last page: stays
    assert preview.page == preview.page_count - 1


def test_zoom_buttons_keys_and_ctrl_wheel_change_the_page_size(preview, qtbot):
    fitted = pixmap_width(preview)
    assert preview.fit_button.isChecked() and fitted <= preview.pages_view.viewport().width()
    qtbot.mouseClick(preview.zoom_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pixmap_width(preview) > fitted * 1.2)
    assert not preview.fit_button.isChecked()
    bigger = pixmap_width(preview)
    qtbot.keyClick(preview.pages_view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: pixmap_width(preview) < bigger)
    smaller = pixmap_width(preview)
    viewport = preview.pages_view.viewport()
    centre = QPointF(viewport.rect().center())
    wheel = QWheelEvent(
        centre,
        viewport.mapToGlobal(centre),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    qtbot.waitUntil(lambda: pixmap_width(preview) < smaller)
    qtbot.mouseClick(preview.fit_button, Qt.MouseButton.LeftButton)
    room = preview.pages_view.viewport().width()
    qtbot.waitUntil(lambda: room - 20 <= pixmap_width(preview) <= room)


def test_prints_every_page_to_a_pdf(preview, tmp_path):
    target = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setResolution(72)  # small images: the test is about pages, not print quality
    assert preview.print_to(printer) == preview.page_count
    with pdfplumber.open(target) as pdf:
        assert len(pdf.pages) == preview.page_count
        # a page carries the rendered booklet page, not a blank sheet
        assert pdf.pages[0].images


def test_rebuild_reads_the_database_again(preview, qtbot, seeded_db):
    from kodomo_desktop.core.queries import list_editions

    count = preview.page_count
    preview.go_to(3)
    qtbot.mouseClick(preview.rebuild_button, Qt.MouseButton.LeftButton)
    assert not preview.rebuild_button.isEnabled()
    qtbot.waitUntil(lambda: preview.rebuild_button.isEnabled(), timeout=120_000)
    assert preview.page_count == count and preview.page == 3
    assert list_editions(seeded_db)  # the preview wrote nothing: the database is as it was
