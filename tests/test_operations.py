"""Operations on a real SQLite file: each logs who changed what, returns it, and is all-or-nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.errors import InvalidInput, NotFound, ReadOnlyEdition
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.models import ChangeLog, Placement, PolicyNode, Program
from tests.helpers import program_id, recorded_user


def measure_id(db, title: str) -> int:
    with db.read() as s:
        return s.scalar(select(PolicyNode.id).where(PolicyNode.title == title))


def placement_id(db, uid: str, title: str) -> int:
    with db.read() as s:
        return s.scalar(
            select(Placement.id)
            .join(Program, Program.id == Placement.program_id)
            .join(PolicyNode, PolicyNode.id == Placement.measure_id)
            .where(Program.uid == uid, PolicyNode.title == title)
        )


def log_rows(db):
    with db.read() as s:
        return [
            (r.source, r.entity, r.entity_id, r.field, r.old, r.new)
            for r in s.scalars(select(ChangeLog).order_by(ChangeLog.id))
        ]


def program_doc(db, uid):
    return next(p for p in export_document(db, 2024)["programs"] if p["id"] == uid)


def test_update_program_logs_each_field_and_returns_changes(sample_db):
    before = len(log_rows(sample_db))
    result = ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": "新しい概要", "alias": "通称A"})
    assert {(c.field, c.old, c.new) for c in result.changes} == {
        ("summary", "子育てガイドブックに概要を掲載し、普及啓発に努める。", "新しい概要"),
        ("alias", None, "通称A"),
    }
    rows = log_rows(sample_db)[before:]
    assert {(r[0], r[2], r[3]) for r in rows} == {("editor", "P0001", "summary"), ("editor", "P0001", "alias")}
    assert program_doc(sample_db, "P0001")["alias"] == "通称A"
    with sample_db.read() as s:
        entry = s.scalars(select(ChangeLog).order_by(ChangeLog.id.desc())).first()
        assert entry.user == recorded_user(sample_db, sample_db.user) and entry.at.endswith("Z")


def test_unchanged_value_logs_nothing(sample_db):
    before = len(log_rows(sample_db))
    result = ops.update_program(sample_db, program_id(sample_db, "P0001"), {"name": "児童の権利に関する条約の普及啓発"})
    assert not result and len(log_rows(sample_db)) == before


def test_empty_name_refused(sample_db):
    with pytest.raises(InvalidInput, match="事業・取組名称は空"):
        ops.update_program(sample_db, program_id(sample_db, "P0001"), {"name": "  "})


def test_multi_row_target_toggle_is_one_transaction(sample_db):
    ids = [program_id(sample_db, "P0001"), program_id(sample_db, "P0003")]
    result = ops.set_target(sample_db, ids, "中学", True)
    assert sorted(c.entity_id for c in result.changes) == ["P0001", "P0003"]
    assert "中学" in program_doc(sample_db, "P0003")["targets"]
    # an unknown id half-way: nothing of the batch is written
    with pytest.raises(NotFound):
        ops.set_target(sample_db, [ids[0], 99999], "高校", True)
    assert "高校" not in program_doc(sample_db, "P0001")["targets"]


def test_set_divisions_uses_master_list_and_suggests(sample_db):
    pid = program_id(sample_db, "P0003")
    ops.set_divisions(sample_db, pid, [("子育て支援部", "おやこ応援課"), ("子育て支援部", "子育て支援課")])
    assert program_doc(sample_db, "P0003")["divisions"] == [
        {"department": "子育て支援部", "division": "おやこ応援課"},
        {"department": "子育て支援部", "division": "子育て支援課"},
    ]
    with pytest.raises(InvalidInput, match="おやこ応援課"):
        ops.set_divisions(sample_db, pid, [("子育て支援部", "おやか応援課")])
    assert program_doc(sample_db, "P0003")["divisions"][0]["division"] == "おやこ応援課"


def test_relist_move_primary_and_remove(sample_db):
    pid = program_id(sample_db, "P0003")
    target = measure_id(sample_db, "就労支援")
    result = ops.add_placement(sample_db, pid, target, 0)
    doc = export_document(sample_db, 2024)
    job = doc["policies"][1]["stages"][1]["measures"][0]
    assert job["placements"][0] == {"program": "P0003", "relisted": True}
    assert result.changes[0].new["relisted"] is True

    ops.set_primary(sample_db, result.value)
    job = export_document(sample_db, 2024)["policies"][1]["stages"][1]["measures"][0]
    assert job["placements"][0] == {"program": "P0003", "relisted": False}
    with sample_db.read() as s:
        primaries = s.scalar(select(func.count()).where(Placement.program_id == pid, Placement.is_primary))
    assert primaries == 1

    with pytest.raises(InvalidInput, match="主な掲載先は削除できません"):
        ops.remove_placement(sample_db, result.value)
    old = placement_id(sample_db, "P0003", "遊びや体験")
    ops.remove_placement(sample_db, old)
    play = export_document(sample_db, 2024)["policies"][1]["stages"][0]["measures"][0]
    assert play["placements"] == [{"program": "P0001", "relisted": True}]


def test_reorder_and_move_between_measures(sample_db):
    p2 = placement_id(sample_db, "P0002", "権利の普及")
    ops.move_placement(sample_db, p2, 0)
    rights = export_document(sample_db, 2024)["policies"][0]["measures"][0]
    assert [p["program"] for p in rights["placements"]] == ["P0002", "P0001"]
    ops.move_placement(sample_db, p2, 1, measure_id(sample_db, "遊びや体験"))
    doc = export_document(sample_db, 2024)
    assert [p["program"] for p in doc["policies"][0]["measures"][0]["placements"]] == ["P0001"]
    assert [p["program"] for p in doc["policies"][1]["stages"][0]["measures"][0]["placements"]] == [
        "P0003",
        "P0002",
        "P0001",
    ]
    with pytest.raises(InvalidInput, match="すでに掲載"):
        ops.add_placement(sample_db, program_id(sample_db, "P0002"), measure_id(sample_db, "遊びや体験"))


def test_policy_nodes_add_rename_reorder(sample_db):
    with sample_db.read() as s:
        edition_id = s.scalar(select(PolicyNode.edition_id).limit(1))
    result = ops.add_node(sample_db, edition_id, None, "policy", "新しい基本施策", position=0)
    ops.update_node(sample_db, result.value, title="改めた基本施策", number=5)
    doc = export_document(sample_db, 2024)
    assert doc["policies"][0] == {"number": 5, "title": "改めた基本施策", "measures": []}
    ops.move_node(sample_db, result.value, 9)
    assert export_document(sample_db, 2024)["policies"][-1]["title"] == "改めた基本施策"
    with pytest.raises(InvalidInput):
        ops.add_node(sample_db, edition_id, measure_id(sample_db, "権利の普及"), "measure", "下に置けない")
    with pytest.raises(InvalidInput, match="掲載されているため"):
        ops.delete_node(sample_db, measure_id(sample_db, "権利の普及"))
    ops.delete_node(sample_db, result.value)
    assert len(export_document(sample_db, 2024)["policies"]) == 2


def test_create_and_delete_program_restores_exactly(sample_db):
    before = export_document(sample_db, 2024)
    result = ops.delete_program(sample_db, program_id(sample_db, "P0002"))
    snapshot = result.value
    assert all(p["id"] != "P0002" for p in export_document(sample_db, 2024)["programs"])
    placements = [(p["measure"], p["position"], p["primary"]) for p in snapshot.pop("placements")]
    ops.create_program(sample_db, _edition_id(sample_db), snapshot, placements)
    assert export_document(sample_db, 2024) == before


def test_new_program_gets_fresh_id(sample_db):
    result = ops.create_program(
        sample_db,
        _edition_id(sample_db),
        {"name": "新しい事業", "targets": ["幼児"]},
        [(measure_id(sample_db, "就労支援"), None, True)],
    )
    with sample_db.read() as s:
        assert s.get(Program, result.value).uid == "P0004"


def _edition_id(db):
    with db.read() as s:
        return s.scalar(select(Program.edition_id).limit(1))


def test_published_edition_refuses_every_write(sample_db):
    ops.publish(sample_db, 2024)
    pid = program_id(sample_db, "P0001")
    attempts = [
        lambda: ops.update_program(sample_db, pid, {"summary": "x"}),
        lambda: ops.set_target(sample_db, [pid], "中学", True),
        lambda: ops.set_divisions(sample_db, pid, []),
        lambda: ops.add_placement(sample_db, pid, measure_id(sample_db, "就労支援")),
        lambda: ops.move_placement(sample_db, placement_id(sample_db, "P0001", "権利の普及"), 1),
        lambda: ops.add_node(sample_db, _edition_id(sample_db), None, "policy", "x"),
        lambda: ops.delete_program(sample_db, pid),
        lambda: ops.delete_edition(sample_db, 2024),
    ]
    for attempt in attempts:
        with pytest.raises(ReadOnlyEdition, match="公開済み"):
            attempt()
    ops.unpublish(sample_db, 2024, "誤字の訂正")
    assert any(r[3] == "unpublish_reason" and r[5] == "誤字の訂正" for r in log_rows(sample_db))
    ops.update_program(sample_db, pid, {"summary": "x"})


def test_edition_create_and_delete(sample_db):
    ops.create_edition(sample_db, 2025)
    with pytest.raises(InvalidInput, match="すでにあります"):
        ops.create_edition(sample_db, 2025)
    ops.delete_edition(sample_db, 2024)
    with pytest.raises(NotFound, match="令和6年度"):
        export_document(sample_db, 2024)
    assert export_document(sample_db, 2025)["programs"] == []


# --- edition settings, publication, uncertain ticks ------------------------------------------


def _edition_log(db, field):

    with db.read() as session:
        return [
            (c.old, c.new, c.source)
            for c in session.scalars(
                select(ChangeLog).where(ChangeLog.entity == "edition", ChangeLog.field == field).order_by(ChangeLog.id)
            )
        ]


def test_edition_settings_are_written_and_logged(sample_db):
    result = ops.update_edition_settings(
        sample_db, 2024, {"issuer_department": " 子育て支援部 ", "issuer_division": "こども政策課"}, source="cli"
    )
    assert {c.field for c in result.changes} == {"issuer_department", "issuer_division"}
    assert export_document(sample_db, 2024)["issuer"] == {
        "city": "旭川市",
        "department": "子育て支援部",
        "division": "こども政策課",
    }
    assert _edition_log(sample_db, "issuer_department") == [(None, "子育て支援部", "cli")]
    ops.update_edition_settings(sample_db, 2024, {"issuer_division": ""})
    assert _edition_log(sample_db, "issuer_division")[-1][:2] == ("こども政策課", None)
    assert not ops.update_edition_settings(sample_db, 2024, {"issuer_department": "子育て支援部"})  # no change
    with pytest.raises(InvalidInput, match="空にできません"):
        ops.update_edition_settings(sample_db, 2024, {"issuer_city": " "})
    with pytest.raises(InvalidInput, match="設定"):
        ops.update_edition_settings(sample_db, 2024, {"title": "x"})


def test_publish_stores_the_date_and_the_snapshot_kept_on_unpublish(sample_db):
    import datetime

    from kodomo_desktop.core.snapshots import published_document

    assert published_document(sample_db, 2024) is None
    ops.publish(sample_db, 2024)
    today = datetime.date.today().isoformat()
    published = export_document(sample_db, 2024, dated=True)
    assert published["published_on"] == today
    assert published_document(sample_db, 2024) == published
    assert _edition_log(sample_db, "published_on") == [(None, today, "editor")]
    ops.unpublish(sample_db, 2024, "訂正")
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": "訂正した概要"})
    assert export_document(sample_db, 2024)["published_on"] == today  # the last publication stays
    assert published_document(sample_db, 2024) == published  # as it was published, not as it is now


def test_setting_a_target_confirms_its_uncertain_tick(sample_db):

    pid = program_id(sample_db, "P0001")
    with sample_db.write_session() as session:
        session.get(Program, pid).uncertain_targets = 0b1100_0000  # 18歳超, 親等
    assert export_document(sample_db, 2024)["programs"][0]["uncertain_targets"] == ["18歳超", "親等"]
    before = export_document(sample_db, 2024)["programs"][0]["targets"]
    ops.set_target(sample_db, [pid], "親等", "親等" in before)  # the same value: still a confirmation
    assert export_document(sample_db, 2024)["programs"][0]["uncertain_targets"] == ["18歳超"]
    ops.set_targets(sample_db, pid, [*before, "18歳超"] if "18歳超" not in before else before[:-1])
    assert "uncertain_targets" not in export_document(sample_db, 2024)["programs"][0]
    with sample_db.read() as session:
        logged = [
            (c.old, c.new) for c in session.scalars(select(ChangeLog).where(ChangeLog.field == "uncertain_targets"))
        ]
    assert logged == [(["18歳超", "親等"], ["18歳超"]), (["18歳超"], [])]
