"""The kodomo-edition/1 document: deterministic export, faithful import, bad documents refused."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kodomo_desktop.core.edition_sql import dump_document
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.interchange import (
    export_document,
    import_document,
    load_document,
    validate_document,
)
from kodomo_desktop.core.models import ChangeLog
from kodomo_desktop.core.opening import open_database
from kodomo_desktop.core.targets import TARGETS


def test_export_import_export_is_byte_identical(sample_db, tmp_path):
    first = dump_document(export_document(sample_db, 2024))
    other = open_database(str(tmp_path / "other.sqlite"), seed=False)
    import_document(other, json.loads(first), add_divisions=True)
    assert dump_document(export_document(other, 2024)) == first
    other.dispose()


def test_export_matches_what_was_imported(sample_db, sample_document):
    exported = export_document(sample_db, 2024)
    for program in exported["programs"]:
        assert program.pop("status") == "継続"
    assert exported == sample_document


def test_replace_needs_flag_and_published_cannot_be_replaced(sample_db, sample_document):
    with pytest.raises(InvalidInput, match="--replace"):
        import_document(sample_db, sample_document)
    sample_document["programs"][0]["name"] = "置き換えた名称"
    import_document(sample_db, sample_document, replace=True)
    assert export_document(sample_db, 2024)["programs"][0]["name"] == "置き換えた名称"
    sample_document["status"] = "published"
    import_document(sample_db, sample_document, replace=True)
    from kodomo_desktop.core.errors import ReadOnlyEdition

    with pytest.raises(ReadOnlyEdition):
        import_document(sample_db, sample_document, replace=True)


def _log_count(db):
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(ChangeLog))


@pytest.mark.parametrize(
    "breaker, message",
    [
        (lambda d: d.update(format="kodomo-edition/2"), "format"),
        (lambda d: d["programs"][0].update(targets=["大人"]), "programs/0/targets/0"),
        (lambda d: d["programs"][1].update(id="P0001"), "重複"),
        (
            lambda d: d["policies"][0]["measures"][0]["placements"].append({"program": "P9999", "relisted": True}),
            "P9999",
        ),
        (lambda d: d["policies"][1]["stages"][0]["measures"][0]["placements"][1].update(relisted=False), "2件"),
        (
            lambda d: d["policies"][0]["measures"][0]["placements"].append({"program": "P0001", "relisted": True}),
            "二度",
        ),
        (lambda d: d["programs"][0].pop("divisions"), "divisions"),
        (
            lambda d: d["programs"][0]["divisions"].append(dict(d["programs"][0]["divisions"][0])),
            r"programs/0/divisions: 所管に同じ部・課が重複",
        ),
        (lambda d: d["policies"][0].update(stages=[]), "両方"),
    ],
)
def test_bad_document_refused_and_nothing_changed(sample_db, sample_document, breaker, message):
    before = export_document(sample_db, 2024)
    log_before = _log_count(sample_db)
    breaker(sample_document)
    with pytest.raises(InvalidInput, match=message):
        import_document(sample_db, sample_document, replace=True)
    assert export_document(sample_db, 2024) == before
    assert _log_count(sample_db) == log_before


def test_failure_half_way_leaves_database_as_it_was(sample_db, sample_document, monkeypatch):
    from kodomo_desktop.core import interchange

    before = export_document(sample_db, 2024)
    log_before = _log_count(sample_db)
    calls = {"n": 0}
    real = interchange._write_placements

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(interchange, "_write_placements", failing)
    with pytest.raises(RuntimeError):
        import_document(sample_db, sample_document, replace=True)
    assert export_document(sample_db, 2024) == before
    assert _log_count(sample_db) == log_before


def test_load_document_names_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"bad\.json: JSON として読めません（1行2列"):
        load_document(bad)
    with pytest.raises(InvalidInput, match="見つかりません"):
        load_document(tmp_path / "missing.json")


# --- property: any valid edition survives export → import → export byte for byte ---

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
_name = _text.filter(lambda s: s.strip() != "").map(str.strip)


@st.composite
def editions(draw):
    n = draw(st.integers(1, 6))
    ids = [f"P{i:04d}" for i in range(1, n + 1)]
    departments = ["子育て支援部", "健康保健部", "選挙管理委員会事務局"]
    programs = [
        {
            "id": uid,
            "name": draw(_name),
            "alias": draw(st.none() | _name),
            "summary": draw(_text),
            "targets": [t for t in TARGETS if draw(st.booleans())],
            "results": draw(_text),
            "divisions": [
                {"department": dept, "division": div}
                for dept, div in draw(
                    st.lists(
                        st.tuples(st.sampled_from(departments), st.none() | st.sampled_from(["課A", "課B"])),
                        max_size=3,
                        unique=True,
                    )
                )
            ],
            "needs_review": draw(st.booleans()),
            "review_notes": draw(st.lists(_text, max_size=2)),
        }
        for uid in ids
    ]
    n_measures = draw(st.integers(1, 4))
    measures = [{"number": i + 1, "title": draw(_name), "placements": []} for i in range(n_measures)]
    for uid in ids:
        chosen = draw(st.lists(st.integers(0, n_measures - 1), min_size=1, max_size=n_measures, unique=True))
        for k, m in enumerate(chosen):
            measures[m]["placements"].append({"program": uid, "relisted": k > 0})
    split = draw(st.integers(0, n_measures))
    policies = [{"number": 1, "title": draw(_name), "measures": measures[:split]}]
    if draw(st.booleans()):
        policies.append(
            {"number": 2, "title": draw(_name), "stages": [{"title": draw(_name), "measures": measures[split:]}]}
        )
    else:
        policies.append({"number": 2, "title": draw(_name), "measures": measures[split:]})
    return {
        "format": "kodomo-edition/1",
        "fiscal_year": draw(st.integers(2019, 2040)),
        "title": draw(_name),
        "status": draw(st.sampled_from(["draft", "published"])),
        "targets": list(TARGETS),
        "policies": policies,
        "programs": programs,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=editions())
def test_round_trip_property(tmp_path_factory, doc):
    folder = tmp_path_factory.mktemp("prop")
    first_db = open_database(str(folder / "a.sqlite"), seed=False)
    second_db = open_database(str(folder / "b.sqlite"), seed=False)
    try:
        import_document(first_db, doc, add_divisions=True)
        first = dump_document(export_document(first_db, doc["fiscal_year"]))
        import_document(second_db, json.loads(first), add_divisions=True)
        assert dump_document(export_document(second_db, doc["fiscal_year"])) == first
    finally:
        first_db.dispose()
        second_db.dispose()


def test_optional_keys_round_trip(sample_db, tmp_path):
    """issuer, published_on and uncertain ticks travel; last_changed is the change log's last time."""
    from kodomo_desktop.core.operations.editions import update_edition_settings
    from kodomo_desktop.core.snapshots import published_document

    update_edition_settings(sample_db, 2024, {"issuer_department": "子育て支援部", "issuer_division": "こども政策課"})
    assert "last_changed" not in export_document(sample_db, 2024)  # only asked for: it is no content
    doc = export_document(sample_db, 2024, dated=True)
    assert doc["issuer"] == {"city": "旭川市", "department": "子育て支援部", "division": "こども政策課"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", doc["last_changed"])
    assert "published_on" not in doc and published_document(sample_db, 2024) is None
    doc["status"] = "published"
    doc["published_on"] = "2025-06-30"
    doc["programs"][0]["uncertain_targets"] = ["18歳超", "親等"]
    other = open_database(str(tmp_path / "other.sqlite"), seed=False)
    import_document(other, doc, add_divisions=True)
    again = export_document(other, 2024, dated=True)
    assert again["last_changed"] >= doc["last_changed"]  # the import is the edition's last change here
    assert {**again, "last_changed": doc["last_changed"]} == doc
    assert dump_document(export_document(other, 2024, dated=True)) == dump_document(again)  # deterministic
    assert published_document(other, 2024) == again  # an imported published edition is its own snapshot
    other.dispose()


def test_document_without_optional_keys_imports(sample_db, sample_document, tmp_path):
    for key in ("issuer", "published_on", "last_changed"):
        assert key not in sample_document
    other = open_database(str(tmp_path / "other.sqlite"), seed=False)
    import_document(other, sample_document, add_divisions=True)
    assert "issuer" not in export_document(other, 2024)
    other.dispose()


def test_bad_optional_keys_are_refused(sample_document):
    with pytest.raises(InvalidInput, match="published_on"):
        validate_document({**sample_document, "published_on": "30.6.2025"})
    with pytest.raises(InvalidInput, match="issuer"):
        validate_document({**sample_document, "issuer": {"department": "子育て支援部"}})
