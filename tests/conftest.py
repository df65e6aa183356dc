"""Shared fixtures: real SQLite files in a temporary folder, small real documents."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SOURCE_LIST = REPO.parent / "shared" / "seed" / "000_c34372a1bd31b2c1.txt"
SEED_EDITION = REPO / "db" / "seed" / "edition-2024.json"

SAMPLE_DOCUMENT = {
    "format": "kodomo-edition/1",
    "fiscal_year": 2024,
    "title": "「旭川市こども計画」関連事業・取組一覧",
    "status": "draft",
    "targets": ["妊婦等", "乳児", "幼児", "小学", "中学", "高校", "18歳超", "親等"],
    "policies": [
        {
            "number": 1,
            "title": "こども・若者が権利の主体として尊重される",
            "measures": [
                {
                    "number": 1,
                    "title": "権利の普及",
                    "placements": [{"program": "P0001", "relisted": False}, {"program": "P0002", "relisted": False}],
                }
            ],
        },
        {
            "number": 2,
            "title": "良好な成育環境",
            "stages": [
                {
                    "title": "ライフステージを通して",
                    "measures": [
                        {
                            "number": 1,
                            "title": "遊びや体験",
                            "placements": [
                                {"program": "P0003", "relisted": False},
                                {"program": "P0001", "relisted": True},
                            ],
                        }
                    ],
                },
                {
                    "title": "青年期",
                    "measures": [
                        {"number": 1, "title": "就労支援", "placements": [{"program": "P0002", "relisted": True}]}
                    ],
                },
            ],
        },
    ],
    "programs": [
        {
            "id": "P0001",
            "name": "児童の権利に関する条約の普及啓発",
            "alias": None,
            "summary": "子育てガイドブックに概要を掲載し、普及啓発に努める。",
            "targets": ["妊婦等", "乳児", "親等"],
            "results": "ガイドブック 3,000部",
            "divisions": [{"department": "子育て支援部", "division": "子育て支援課"}],
            "needs_review": False,
            "review_notes": [],
        },
        {
            "id": "P0002",
            "name": "若者の就労相談",
            "alias": "ジョブカフェ",
            "summary": "・相談\n・セミナー",
            "targets": ["18歳超"],
            "results": "相談 1,364人",
            "divisions": [
                {"department": "子育て支援部", "division": "主幹付"},
                {"department": "子育て支援部", "division": "おやこ応援課"},
            ],
            "needs_review": True,
            "review_notes": ["所管を確認"],
        },
        {
            "id": "P0003",
            "name": "ちびっこ広場",
            "alias": None,
            "summary": "空地利用の遊び場を設置する。",
            "targets": ["幼児", "小学"],
            "results": "設置数 18か所",
            "divisions": [{"department": "選挙管理委員会事務局", "division": None}],
            "needs_review": False,
            "review_notes": [],
        },
    ],
}


@pytest.fixture
def sample_document() -> dict:
    return copy.deepcopy(SAMPLE_DOCUMENT)


@pytest.fixture
def empty_db(tmp_path):
    from kodomo_desktop.core.opening import open_database

    db = open_database(str(tmp_path / "kodomo.sqlite"), seed=False)
    yield db
    db.dispose()


@pytest.fixture
def sample_db(empty_db, sample_document):
    from kodomo_desktop.core.interchange import import_document

    import_document(empty_db, sample_document, source="test")
    return empty_db


@pytest.fixture
def seeded_db(tmp_path):
    """A new user's database: created, migrated and filled with the embedded FY2024 edition."""
    if not SEED_EDITION.exists():
        pytest.skip("db/seed/edition-2024.json がまだありません")
    from kodomo_desktop.core.opening import open_database

    db = open_database(str(tmp_path / "seeded.sqlite"))
    yield db
    db.dispose()
