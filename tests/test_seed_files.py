"""The embedded FY2024 edition: reproducible from the source list, installed on first start."""

from __future__ import annotations

import io

from kodomo_desktop.cli import main
from kodomo_desktop.core import locations
from kodomo_desktop.core.edition_sql import dump_document
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.seed import SOURCE_LIST


def test_committed_seed_files_are_what_the_parser_makes(tmp_path):
    from kodomo_desktop.core.seed.report import build_seed_files

    for built in build_seed_files(SOURCE_LIST, tmp_path):
        shipped = locations.seed_edition_path().parent / built.name
        assert built.read_bytes() == shipped.read_bytes(), (
            f"{shipped} は原資料から作り直すと変わります: seed-build を実行してください"
        )


def test_new_database_holds_the_seed_edition_byte_for_byte(seeded_db):
    assert dump_document(export_document(seeded_db)) == locations.seed_edition_path().read_text(encoding="utf-8")


def test_seed_is_logged_as_seed(seeded_db):
    from sqlalchemy import select

    from kodomo_desktop.core.models import ChangeLog

    with seeded_db.read() as s:
        sources = set(s.scalars(select(ChangeLog.source)))
    assert sources == {"seed"}


def test_seed_report_command_prints_every_decision(seeded_db):
    out = io.StringIO()
    assert main(["--db", seeded_db.url, "seed-report"], out=out, err=io.StringIO()) == 0
    text = out.getvalue()
    assert "124" in text and "194" in text
    for phrase in ("おやか応援課", "不登校"):
        assert phrase in text
