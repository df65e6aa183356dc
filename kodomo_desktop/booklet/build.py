"""build_booklet: a kodomo-edition/1 document in, the printed booklet (PDF) out."""

import datetime
import os
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from kodomo_desktop.booklet.fonts import CID_FONT, FontSet, find_fonts
from kodomo_desktop.booklet.layout import PAPERS, Layout
from kodomo_desktop.booklet.linebreak import keep_phrases
from kodomo_desktop.booklet.options import BookletOptions, BookletReport, BuildCancelled
from kodomo_desktop.booklet.pages import BookletTemplate
from kodomo_desktop.booklet.story import Story, divisions_text, headings
from kodomo_desktop.core.edition_sql import FORMAT
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.files import write_bytes_atomic
from kodomo_desktop.core.listing import without_ended
from kodomo_desktop.core.vocabulary import DRAFT, PUBLISHED

PROOF_MODES = ("off", "previous", "published")
PRINTED_TEXT_FIELDS = ("name", "alias", "summary", "results")
FALLBACK_NOTICE = (
    f"日本語の TrueType フォント（BIZ UDゴシック または IPAexゴシック）が見つからないため、"
    f"内蔵の CID フォント {CID_FONT} で作成しました。フォントは PDF に埋め込まれていないため、"
    "表示や印刷の結果は閲覧ソフトによって変わります。"
)


def build_booklet(
    document: dict[str, Any],
    out: str | os.PathLike[str] | BinaryIO,
    options: BookletOptions = BookletOptions(),
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    compare_to: dict[str, Any] | None = None,
) -> BookletReport:
    """Write the booklet of one edition to out (a path, or a binary stream).

    progress(done, total) is called as the tables are laid out; cancel() is polled
    after every flowable and BuildCancelled raised when it returns true. The PDF is
    built in memory and a path is written only when the build succeeded.
    Ended (終了) programs are not printed.
    With options.proof other than "off" the booklet is a proof copy (校正用), its changes
    marked against compare_to (None: only 要確認 and uncertain ticks are marked).
    Raises InvalidInput for a document or option it cannot print.
    """
    _check(document, options, compare_to)
    proof = None
    if options.proof != "off":
        from kodomo_desktop.booklet.proof import Proof

        proof = Proof(document, compare_to, options.proof)
    document = without_ended(document)
    fonts = find_fonts(options.font_path)
    warnings = ([] if fonts.embedded else [FALLBACK_NOTICE]) + uncovered(document, fonts)
    layout = Layout.of(options.paper, options.landscape, fonts)
    draft = document["status"] == DRAFT if options.draft is None else options.draft
    measures = sum(1 for _, measure in headings(document) if measure is not None)
    steps = 2 * measures + 1  # two layout passes, then the file
    era = era_label(document["fiscal_year"])
    buffer = BytesIO()
    template = BookletTemplate(
        buffer,
        layout,
        title=("【校正用】" if proof else "") + f"{document['title']}（{era}）",
        subject=f"{era}の{document['title']}：事業・取組の概要、対象、実績、所管",
        draft=draft,
        proof=proof is not None,
        dated=_pdf_date(document.get("last_changed")),
        steps=steps,
        progress=progress,
        cancel=cancel,
    )
    if cancel is not None and cancel():
        raise BuildCancelled()
    template.build_passes(Story(document, layout, proof, issue_date(document, options)).flowables())
    _write(buffer.getvalue(), out)
    keep_phrases()
    if progress is not None:
        progress(steps, steps)
    return BookletReport(template.page_count, fonts.embedded, warnings)


def issue_date(document: dict[str, Any], options: BookletOptions) -> datetime.date:
    """The date of issue: the caller's, else the publication's for a published edition, else today."""
    if options.issue_date is not None:
        return options.issue_date
    if document["status"] == PUBLISHED and document.get("published_on"):
        return datetime.date.fromisoformat(document["published_on"])
    return datetime.date.today()


def _pdf_date(last_changed: str | None) -> str | None:
    """'2025-06-30T09:12:00Z' -> 'D:20250630091200Z' (PDF date, UTC); None keeps ReportLab's fixed date."""
    if not last_changed:
        return None
    try:
        when = datetime.datetime.strptime(last_changed, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise InvalidInput(
            f"文書の last_changed「{last_changed}」は UTC の日時（例: 2025-06-30T09:12:00Z）ではありません"
        ) from None
    return when.strftime("D:%Y%m%d%H%M%SZ")


def _check(document: dict[str, Any], options: BookletOptions, compare_to: dict[str, Any] | None) -> None:
    if options.paper not in PAPERS:
        raise InvalidInput(f"用紙「{options.paper}」には対応していません（{'、'.join(PAPERS)}）")
    if options.proof not in PROOF_MODES:
        raise InvalidInput(f"校正用の指定「{options.proof}」には対応していません（{'、'.join(PROOF_MODES)}）")
    if compare_to is not None and options.proof == "off":
        raise InvalidInput("比較する文書は校正用の冊子でだけ使えます")
    if compare_to is not None and compare_to.get("format") != FORMAT:
        raise InvalidInput(f"比較する文書が {FORMAT} 形式ではありません")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput(f"{FORMAT} 形式の文書ではありません")
    missing = [key for key in ("fiscal_year", "title", "status", "policies", "programs") if key not in document]
    if missing:
        raise InvalidInput(f"文書に必要な項目 {'、'.join(missing)} がありません")
    ids = {program["id"] for program in document["programs"]}
    for heading, measure in headings(document):
        for placement in (measure or {}).get("placements", ()):
            if placement["program"] not in ids:
                raise InvalidInput(f"{heading.text} の事業・取組 {placement['program']} が programs にありません")


def uncovered(document: dict[str, Any], fonts: FontSet) -> list[str]:
    """One warning per text field holding characters the font cannot draw (they would print as blank boxes)."""
    font = fonts.embedded or CID_FONT
    places = [("文書", "表題", document["title"])]
    places += [("見出し", heading.text, heading.text) for heading, _ in headings(document)]
    for program in document["programs"]:
        where = f"事業・取組 {program['id']}「{program['name']}」"
        places += [(where, FIELD_LABELS[key], program.get(key) or "") for key in PRINTED_TEXT_FIELDS]
        places.append((where, FIELD_LABELS["divisions"], divisions_text(program)))
    warnings = []
    for where, field, text in places:
        missing = dict.fromkeys(ch for ch in text if ch != "\n" and not fonts.covers(ch))
        if missing:
            chars = "、".join(f"「{ch}」(U+{ord(ch):04X})" for ch in missing)
            warnings.append(f"{where}の{field}: 文字 {chars} はフォント {font} にないため印刷されません")
    return warnings


def _write(data: bytes, out: str | os.PathLike[str] | BinaryIO) -> None:
    if isinstance(out, (str, os.PathLike)):
        write_bytes_atomic(Path(out), data)  # a failed write never leaves half a file
    else:
        out.write(data)
