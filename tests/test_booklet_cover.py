"""The cover and colophon: title, fiscal year, issuing body and date of issue; PDF dates from the edition."""

from __future__ import annotations

import datetime
import io

import pdfplumber
import pytest

from kodomo_desktop.booklet import BookletOptions, build_booklet
from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.era import era_date
from kodomo_desktop.core.interchange import export_document
from tests.helpers import SAMPLE_DOCUMENT


def read(document: dict, **options) -> tuple[bytes, pdfplumber.PDF]:
    out = io.BytesIO()
    build_booklet(document, out, BookletOptions(**options))
    return out.getvalue(), pdfplumber.open(io.BytesIO(out.getvalue()))


def test_cover_of_a_published_edition_shows_its_publication_date_and_issuer(sample_db):
    ops.update_edition_settings(
        sample_db, 2024, {"issuer_department": "子育て支援部", "issuer_division": "こども政策課"}
    )
    ops.publish(sample_db, 2024)
    document = export_document(sample_db, 2024, dated=True)
    published = datetime.date.fromisoformat(document["published_on"])
    data, pdf = read(document)
    with pdf:
        cover = pdf.pages[0].extract_text().splitlines()
        last = pdf.pages[-1].extract_text()
        assert cover == [
            "「旭川市こども計画」関連事業・取組一覧",
            "令和6年度",
            era_date(published),
            "旭川市 子育て支援部 こども政策課",
        ]
        assert "案" not in pdf.pages[0].extract_text()
        # every character of the cover in the booklet's Japanese face (no Latin monospace line)
        assert {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars} <= {
            "BIZUDGothic-Regular",
            "BIZUDGothic-Bold",
        }
        assert f"発行日 {era_date(published)}" in last.replace("\u3000", " ")
        assert "発行 旭川市 子育て支援部 こども政策課" in last.replace("\u3000", " ")
        stamp = document["last_changed"].replace("-", "").replace(":", "").replace("T", "")
        assert pdf.metadata["CreationDate"] == pdf.metadata["ModDate"] == f"D:{stamp}"
    # the same edition, the same bytes; a change to it moves the dates
    assert read(export_document(sample_db, 2024, dated=True))[0] == data


def test_draft_cover_dates_the_build_unless_told(sample_document):
    today = datetime.date.today()
    _, pdf = read(sample_document)
    with pdf:
        cover = pdf.pages[0].extract_text()
        assert era_date(today) in cover and "旭川市" in cover
        assert pdf.metadata["CreationDate"].startswith("D:2000")  # no last_changed: the fixed date
    _, pdf = read({**sample_document, "published_on": "2024-06-30"}, issue_date=datetime.date(2025, 6, 30))
    with pdf:
        assert "令和7年6月30日" in pdf.pages[0].extract_text()
    # a draft that was published once: its cover still dates the build, not the old publication
    _, pdf = read({**sample_document, "published_on": "2024-06-30"})
    with pdf:
        assert "令和6年6月30日" not in pdf.pages[0].extract_text()


def test_metadata_dates_follow_last_changed(sample_document):
    first, _ = read({**sample_document, "last_changed": "2025-06-30T09:12:00Z"}, issue_date=datetime.date(2025, 7, 1))
    again, pdf = read({**sample_document, "last_changed": "2025-06-30T09:12:00Z"}, issue_date=datetime.date(2025, 7, 1))
    with pdf:
        assert pdf.metadata["ModDate"] == "D:20250630091200Z"
    assert first == again
    later, _ = read({**sample_document, "last_changed": "2025-07-01T00:00:00Z"}, issue_date=datetime.date(2025, 7, 1))
    assert later != first


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (datetime.date(2025, 6, 30), "令和7年6月30日"),
        (datetime.date(2019, 5, 1), "令和元年5月1日"),
        (datetime.date(2019, 4, 30), "平成31年4月30日"),
        (datetime.date(1989, 1, 7), "昭和64年1月7日"),
    ],
)
def test_era_dates(day, label):
    assert era_date(day) == label


def test_sample_document_fixture_is_the_shared_one(sample_document):
    assert sample_document["fiscal_year"] == SAMPLE_DOCUMENT["fiscal_year"]
