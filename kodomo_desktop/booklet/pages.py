"""The document template: page furniture (page numbers, the 「案」 mark), bookmarks,
outline and contents notifications, progress and cancellation."""

from collections.abc import Callable
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, LayoutError, PageTemplate

from kodomo_desktop.booklet.flowables import LAYOUT_PASS, BodyStart, LayoutCanvas, is_layout_pass
from kodomo_desktop.booklet.layout import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, Layout
from kodomo_desktop.booklet.options import BuildCancelled

AUTHOR = "旭川市"
DRAFT_MARK = "案"
PROOF_MARK = "校正用"
PROOF_NOTE = "公開用ではありません"
MAX_PASSES = 5

# ASCII85 over the compressed streams only keeps a PDF 7-bit clean, which nothing here
# needs: without it the file is a fifth smaller and the font subsets are written faster.
rl_config.useA85 = 0


class BookletTemplate(BaseDocTemplate):
    """Cover and contents pages carry no number; the body counts from 1, as its contents say.

    Built in passes by ReportLab's multiBuild: the first pass draws on a LayoutCanvas
    (it only learns the page numbers), the later ones on a real Canvas. afterFlowable
    feeds the contents and the outline, reports progress and polls cancel.
    """

    def __init__(
        self,
        out: BinaryIO,
        layout: Layout,
        *,
        title: str,
        subject: str,
        draft: bool,
        proof: bool = False,
        dated: str | None = None,
        steps: int,
        progress: Callable[[int, int], None] | None,
        cancel: Callable[[], bool] | None,
    ) -> None:
        fonts = layout.fonts
        super().__init__(
            out,
            pagesize=layout.pagesize,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=AUTHOR,
            subject=subject,
            creator="kodomo-desktop",
            lang="ja-JP",
            invariant=1,  # same document, same bytes
            initialFontName=fonts.regular,
            initialFontSize=8,
            initialLeading=11,
            displayDocTitle=1,
        )
        self.layout, self.draft, self.proof = layout, draft, proof
        # the PDF's creation and modification dates: the edition's last change, so the same
        # edition gives the same bytes (None: invariant mode's fixed date)
        self.dated = dated
        self.steps, self.done = steps, 0
        self._progress, self._cancel = progress, cancel
        self.body_offset = 0
        self.page_count = 0
        self.passes = 0
        self._pass_finished = False
        # multiBuild reports ("PASS", n) before each pass and ("FINISHED", 0) after it
        self.setProgressCallBack(self._on_build_progress)

        def frame() -> Frame:
            return Frame(
                self.leftMargin,
                self.bottomMargin,
                self.width,
                self.height,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )

        self.addPageTemplates(
            [
                PageTemplate("cover", [frame()], onPage=self._furnish),
                PageTemplate("front", [frame()], onPage=self._furnish),
                PageTemplate("body", [frame()], onPageEnd=self._furnish),
            ]
        )

    def build_passes(self, story: list[Flowable]) -> int:
        """Lay out and draw the story until the contents' page numbers settle; returns the passes made.

        The contents was seeded with its final size, so the second pass is normally the last.
        """
        try:
            # multiBuild stops with IndexError after maxPasses + 1 unsettled passes
            return int(self.multiBuild(story, maxPasses=MAX_PASSES - 1, canvasmaker=self._canvas))
        except IndexError as error:
            if self.passes == MAX_PASSES and self._pass_finished:
                raise LayoutError(f"目次のページ番号が {MAX_PASSES} 回の組版で定まりませんでした") from error
            raise

    def _on_build_progress(self, kind: str, value: int) -> None:
        if kind == "PASS":
            self.passes, self._pass_finished = value, False
        elif kind == "FINISHED":
            self._pass_finished = True

    def _canvas(self, *args: Any, **kwargs: Any) -> Canvas:
        return (LayoutCanvas if self.passes == 1 else Canvas)(*args, **kwargs)

    def beforeDocument(self) -> None:
        self.body_offset = 0
        # a pass drawn on the layout canvas is never the last, whatever the contents says
        self.notify(LAYOUT_PASS, is_layout_pass(self.canv))
        if self.dated is not None:
            dated = self.dated
            self.canv.setDateFormatter(lambda *_ymdhms: dated)
        self.canv.addPageLabel(0, prefix="表紙")
        self.canv.addPageLabel(1, prefix="目次")
        self.canv.showOutline()

    def afterPage(self) -> None:
        self.page_count = self.page

    def afterFlowable(self, flowable: Flowable) -> None:
        if self._cancel is not None and self._cancel():
            raise BuildCancelled()
        if isinstance(flowable, BodyStart):
            self.body_offset = self.page - 1
            self.canv.addPageLabel(self.page - 1, "D", 1)  # the viewer shows the printed numbers
            return
        heading = getattr(flowable, "heading", None)
        if heading is None:
            return
        canv = self.canv
        canv.bookmarkHorizontalAbsolute(heading.key, flowable.top)
        canv.addOutlineEntry(heading.text, heading.key, heading.level)
        if heading.in_contents:
            page = self.page - self.body_offset if heading.numbered else None
            self.notify("TOCEntry", (heading.level, heading.text, page, heading.key))
        if heading.numbered and heading.level and self._progress is not None:
            self.done += 1
            self._progress(min(self.done, self.steps - 1), self.steps)

    def _furnish(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        width, height = self.pagesize
        if self.pageTemplate.id == "body":
            number = f"- {self.page - self.body_offset} -"
            canv.setFont(self.layout.fonts.regular, 9)
            canv.drawCentredString(width / 2, MARGIN_BOTTOM / 2, number)
        if self.proof:
            # big, red and on every page: a proof is never taken for the booklet itself
            size = 18
            canv.setFillColor(colors.red)
            canv.setFont(self.layout.fonts.bold, size)
            y = height - MARGIN_TOP + (MARGIN_TOP - size) / 2 + 0.12 * size
            canv.drawString(MARGIN_X, y, PROOF_MARK)
            canv.setFont(self.layout.fonts.regular, 9)
            canv.drawString(MARGIN_X + 3.3 * size, y, PROOF_NOTE)
        if self.draft:
            size = 14
            box = size + 8
            x, y = width - MARGIN_X - box, height - MARGIN_TOP + (MARGIN_TOP - box) / 2
            canv.setStrokeColor(colors.red)
            canv.setFillColor(colors.red)
            canv.setLineWidth(1.2)
            canv.rect(x, y, box, box)
            canv.setFont(self.layout.fonts.bold, size)
            canv.drawCentredString(x + box / 2, y + (box - size) / 2 + 0.12 * size, DRAFT_MARK)
        canv.restoreState()
