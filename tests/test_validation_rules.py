"""Each validation rule: a case that must trigger it and a case that must not, on small documents."""

from __future__ import annotations

import copy

import pytest

from kodomo_desktop.core.divisions import MasterList
from kodomo_desktop.core.validation import (
    PageMetrics,
    Severity,
    Typesetting,
    all_rules,
    validate_view,
    view_from_document,
)
from tests.helpers import SAMPLE_DOCUMENT

MASTER = MasterList(
    (
        ("子育て支援部", "子育て支援課"),
        ("子育て支援部", "主幹付"),
        ("子育て支援部", "おやこ応援課"),
        ("選挙管理委員会事務局", None),
    ),
    frozenset({("子育て支援部", "こども家庭課")}),
)
# a typo that became an entry beside the entry it misspells (an import with --add-divisions)
TYPO = ("子育て支援部", "おやか応援課")
MASTER_WITH_TYPO = MasterList((*MASTER.active, TYPO), MASTER.inactive, {("子育て支援部", "おやこ応援課"): 12, TYPO: 1})
# two real divisions with alike names, each named by many programs
MASTER_ALIKE_AND_USED = MasterList(
    (*MASTER.active, ("子育て支援部", "子育て助成課")),
    MASTER.inactive,
    {("子育て支援部", "子育て支援課"): 18, ("子育て支援部", "子育て助成課"): 10},
)
# narrow enough that a few hundred characters of 概要 overflow a page
SMALL_PAGE = Typesetting(
    covers=lambda ch: ch != "髙",
    font_name="テスト書体",
    page=PageMetrics({"name": 80, "summary": 80, "results": 80, "divisions": 80}, 8, 11, 3, 200),
)


def base() -> dict:
    doc = copy.deepcopy(SAMPLE_DOCUMENT)
    # the sample ticks 妊婦等 with nothing in its text about pregnancy: a target suggestion
    program(doc, "P0001")["targets"] = ["乳児", "親等"]
    program(doc, "P0002").update(needs_review=False, review_notes=[])
    return doc


def program(doc: dict, uid: str) -> dict:
    return next(p for p in doc["programs"] if p["id"] == uid)


def measures(doc: dict) -> list[dict]:
    return [
        m for policy in doc["policies"] for group in policy.get("stages", [policy]) for m in group.get("measures", [])
    ]


def check(doc: dict, *, master: MasterList = MASTER, typesetting: Typesetting = SMALL_PAGE, publishing: bool = False):
    return validate_view(view_from_document(doc, master), typesetting, publishing=publishing)


def codes(findings) -> set[str]:
    return {f.code for f in findings}


def set_field(uid: str, **values):
    def edit(doc):
        program(doc, uid).update(values)

    return edit


def relist_all(doc):
    for m in measures(doc):
        for p in m["placements"]:
            p["relisted"] = True


def two_primaries(doc):
    measures(doc)[1]["placements"][1]["relisted"] = False  # P0001 is primary under the first measure too


def unlisted(doc):
    for m in measures(doc):
        m["placements"] = [p for p in m["placements"] if p["program"] != "P0003"]


def listed_twice(doc):
    measures(doc)[1]["placements"].append({"program": "P0003", "relisted": True})


def measure_without_number(doc):
    measures(doc)[0]["number"] = None


def duplicate_measure_number(doc):
    doc["policies"][0]["measures"].append({"number": 1, "title": "もう一つの個別施策", "placements": []})


def same_number_other_stage(doc):
    # 青年期 個別施策1 and ライフステージを通して 個別施策1 are not siblings
    doc["policies"][1]["stages"][1]["measures"][0]["number"] = 1


def ended_copy(doc):
    copy_ = dict(program(doc, "P0003"), id="P0009", name="ちびっこ広場", status="終了")
    doc["programs"].append(copy_)
    measures(doc)[1]["placements"].append({"program": "P0009", "relisted": False})


def live_copy(doc):
    ended_copy(doc)
    program(doc, "P0009")["status"] = "継続"
    program(doc, "P0009")["name"] = "ちびっこ 広場"  # spacing differs: still the same name


def nothing(doc):
    pass


def empty_results_but_one(doc):
    for p in doc["programs"][1:]:
        p["results"] = ""


# code -> (edit that triggers the rule, edit that must not, keyword arguments for check)
CASES = {
    "name.empty": (set_field("P0001", name=" "), set_field("P0001", name="新しい名称"), {}),
    "targets.none": (set_field("P0001", targets=[]), set_field("P0001", targets=["幼児"]), {}),
    "divisions.none": (set_field("P0001", divisions=[]), nothing, {}),
    "divisions.unknown": (
        set_field("P0001", divisions=[{"department": "子育て支援部", "division": "おやか応援課"}]),
        set_field("P0001", divisions=[{"department": "子育て支援部", "division": "おやこ応援課"}]),
        {},
    ),
    "divisions.inactive": (
        set_field("P0001", divisions=[{"department": "子育て支援部", "division": "こども家庭課"}]),
        nothing,
        {},
    ),
    "results.empty": (set_field("P0001", results=""), set_field("P0001", results="実施"), {}),
    "results.mostly_empty": (empty_results_but_one, nothing, {"publishing": True}),
    "divisions.near_duplicate": (nothing, nothing, {"master": MASTER_WITH_TYPO}),
    "summary.empty": (set_field("P0001", summary="\n"), nothing, {}),
    "placements.primary": (relist_all, nothing, {}),
    "placements.twice": (listed_twice, nothing, {}),
    "policy.number": (duplicate_measure_number, same_number_other_stage, {}),
    "name.duplicate": (live_copy, ended_copy, {}),
    "text.control": (set_field("P0001", summary="普及\u200b啓発\x07"), set_field("P0001", summary="普及\n啓発"), {}),
    "text.unprintable": (
        set_field("P0003", name="髙砂台ちびっこ広場"),
        set_field("P0003", name="高砂台ちびっこ広場"),
        {},
    ),
    "text.width": (set_field("P0002", results="相談 １,３６４人"), set_field("P0002", results="相談 1,364人"), {}),
    "results.year": (
        set_field("P0002", results="相談 1,364人（令和5年度）"),
        set_field("P0002", results="対象者数 28,689人(R6年度末) 公園数 438か所 (令和7年3月31日現在)"),
        {},
    ),
    "row.too_long": (set_field("P0001", summary="あ" * 400), set_field("P0001", summary="あ" * 100), {}),
    "review.flagged": (set_field("P0001", needs_review=True, review_notes=["所管を確認"]), nothing, {}),
    "targets.implied": (
        set_field("P0003", summary="妊婦と乳幼児の遊び場を設置する。"),
        set_field("P0003", summary="乳幼児の遊び場を設置する。"),
        {},
    ),
    "targets.unmentioned": (
        set_field("P0001", targets=["妊婦等", "乳児"]),
        set_field("P0001", targets=["妊婦等", "乳児"], summary="妊娠中の方と乳児の保護者に配布する。"),
        {},
    ),
}


def test_the_base_document_is_clean():
    assert check(base()) == []


def test_every_rule_has_cases():
    assert set(CASES) == set(all_rules())


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_triggers(code):
    trigger, _keep, kwargs = CASES[code]
    doc = base()
    trigger(doc)
    found = [f for f in check(doc, **kwargs) if f.code == code]
    assert found, f"{code} did not fire"
    rule = all_rules()[code]
    assert all(f.severity is rule.severity and f.message for f in found)
    # one finding per program, rule and field: what an acknowledgement is stored under
    assert len({f.key for f in found}) == len(found)


# where the quiet case differs in what is not the document
KEEP_ARGUMENTS = {"divisions.near_duplicate": {"master": MASTER_ALIKE_AND_USED}}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_keeps_quiet(code):
    _trigger, keep, kwargs = CASES[code]
    doc = base()
    keep(doc)
    assert code not in codes(check(doc, **KEEP_ARGUMENTS.get(code, kwargs)))


def test_unknown_division_suggests_the_closest_master_entries():
    doc = base()
    CASES["divisions.unknown"][0](doc)
    (finding,) = [f for f in check(doc) if f.code == "divisions.unknown"]
    assert "おやか応援課" in finding.message and "候補: 子育て支援部 おやこ応援課" in finding.message
    assert (finding.program, finding.field, finding.severity) == ("P0001", "divisions", Severity.ERROR)


def test_an_empty_result_is_a_warning_except_for_an_ended_program():
    doc = base()
    program(doc, "P0001")["results"] = ""
    (finding,) = [f for f in check(doc) if f.code == "results.empty"]
    assert (finding.program, finding.field, finding.severity) == ("P0001", "results", Severity.WARNING)
    program(doc, "P0001")["status"] = "終了"
    assert "results.empty" not in codes(check(doc))


def test_a_mostly_empty_edition_is_told_when_published_not_as_a_draft():
    doc = base()
    empty_results_but_one(doc)
    assert "results.mostly_empty" not in codes(check(doc))  # a draft after a rollover waits for returns
    doc["status"] = "published"
    (finding,) = [f for f in check(doc) if f.code == "results.mostly_empty"]
    assert "実績が空の事業が3件中2件（67%）" in finding.message and finding.program is None


def test_near_duplicate_entries_are_named_both():
    (finding,) = [f for f in check(base(), master=MASTER_WITH_TYPO) if f.code == "divisions.near_duplicate"]
    assert "「子育て支援部 おやこ応援課」（事業12件）" in finding.message
    assert "「子育て支援部 おやか応援課」（事業1件）" in finding.message
    assert finding.severity is Severity.INFO


def test_placement_problems_are_told_apart():
    messages = {}
    for name, edit in {"none": unlisted, "relisted": relist_all, "two": two_primaries}.items():
        doc = base()
        edit(doc)
        messages[name] = [f.message for f in check(doc) if f.code == "placements.primary"]
    assert "どの個別施策にも掲載されていません" in messages["none"][0]
    assert "すべて【再掲】" in " ".join(messages["relisted"])
    assert "2か所" in messages["two"][0] and "基本施策1 個別施策1" in messages["two"][0]


def test_measure_without_number_is_an_edition_finding():
    doc = base()
    measure_without_number(doc)
    (finding,) = [f for f in check(doc) if f.code == "policy.number"]
    assert finding.program is None and "番号がありません" in finding.message


def test_ended_programs_are_not_judged_as_printed_text():
    doc = base()
    ended_copy(doc)
    program(doc, "P0009").update(summary="", targets=[])
    assert not [f for f in check(doc) if f.program == "P0009"]


def test_font_and_page_checks_are_skipped_without_typesetting():
    doc = base()
    CASES["text.unprintable"][0](doc)
    CASES["row.too_long"][0](doc)
    unknown = Typesetting.unknown("テスト")
    assert not codes(check(doc, typesetting=unknown)) & {"text.unprintable", "row.too_long"}
    assert "テスト" in unknown.skipped[0]


def test_findings_come_worst_first_in_booklet_order():
    doc = base()
    set_field("P0003", summary="")(doc)  # warning, listed after P0001 in the booklet
    set_field("P0002", targets=[])(doc)  # error
    set_field("P0001", summary="")(doc)  # warning
    found = check(doc)
    assert [(f.code, f.program) for f in found] == [
        ("targets.none", "P0002"),
        ("summary.empty", "P0001"),
        ("summary.empty", "P0003"),
    ]


def test_fingerprint_follows_the_judged_text():
    doc = base()
    set_field("P0001", summary="")(doc)
    before = {f.key: f.fingerprint for f in check(doc)}
    set_field("P0001", results="別の実績")(doc)
    assert {f.key: f.fingerprint for f in check(doc)} == before
    set_field("P0001", summary=" ")(doc)
    assert {f.key: f.fingerprint for f in check(doc)} != before
