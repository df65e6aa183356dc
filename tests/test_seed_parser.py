"""The FY2024 edition built from the real source list, and every reconciliation decision."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from kodomo_desktop.core.divisions import format_divisions, parse_divisions
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.seed import SOURCE_LIST, SeedNote, format_report, parse_source
from kodomo_desktop.core.text import name_key, normalize_line

SCHEMA = Path(__file__).resolve().parents[1] / "kodomo_desktop/core/kodomo-edition-1.schema.json"


@pytest.fixture(scope="module")
def text() -> str:
    return SOURCE_LIST.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(text):
    return parse_source(text)


@pytest.fixture(scope="module")
def doc(result):
    return result.document


@pytest.fixture(scope="module")
def by_name(doc):
    return {p["name"]: p for p in doc["programs"]}


def measures(doc):
    for policy in doc["policies"]:
        for stage in policy.get("stages", [{"measures": policy.get("measures", [])}]):
            yield from stage["measures"]


def placements(doc):
    return [p for m in measures(doc) for p in m["placements"]]


def notes(result, code):
    return [n for n in result.notes if n.code == code]


def with_line(text: str, line: int, edit) -> str:
    lines = text.split("\n")
    lines[line - 1] = edit(lines[line - 1])
    return "\n".join(lines)


# --- the document ----------------------------------------------------------------------


def test_document_validates_against_the_schema(doc):
    Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(doc)


def test_edition_header(doc):
    assert doc["format"] == "kodomo-edition/1"
    assert doc["fiscal_year"] == 2024
    assert doc["title"] == "「旭川市こども計画」関連事業・取組一覧"
    assert doc["status"] == "draft"
    assert doc["targets"] == ["妊婦等", "乳児", "幼児", "小学", "中学", "高校", "18歳超", "親等"]


def test_counts_programs_placements_relisted(doc):
    assert len(doc["programs"]) == 124
    assert len(placements(doc)) == 194
    assert sum(p["relisted"] for p in placements(doc)) == 70


def test_every_program_has_exactly_one_primary_placement(doc):
    primaries = Counter(p["program"] for p in placements(doc) if not p["relisted"])
    assert primaries == Counter({p["id"]: 1 for p in doc["programs"]})


def test_ids_follow_first_appearance_and_programs_are_in_id_order(doc):
    first_seen = list(dict.fromkeys(p["program"] for p in placements(doc)))
    assert first_seen == [f"P{i:04d}" for i in range(1, 125)]
    assert [p["id"] for p in doc["programs"]] == first_seen
    assert doc["programs"][0]["name"] == "児童の権利に関する条約の普及啓発"


def test_policy_tree(doc):
    policies = doc["policies"]
    assert [p["number"] for p in policies] == [1, 2, 3, 4]
    assert [p["title"] for p in policies] == [
        "こども・若者が権利の主体として多様な価値観や個性を尊重され、自分らしく成長できるよう支える",
        "良好な成育環境を確保し、こども・若者の健やかな育ちを支える",
        "子育て当事者の視点を大切にし、安心して子育てを行えるよう支える",  # the 目次's wording
        "こどもや若者の成長を地域全体で支える体制の充実を図る",
    ]
    stages = policies[1]["stages"]
    assert "measures" not in policies[1]
    assert [s["title"] for s in stages] == [
        "ライフステージを通して",
        "こどもの誕生前から幼児期まで",
        "学童期・思春期",
        "青年期",
    ]
    assert [len(s["measures"]) for s in stages] == [6, 2, 7, 4]
    assert [len(policies[i]["measures"]) for i in (0, 2, 3)] == [2, 4, 1]
    assert all("stages" not in policies[i] for i in (0, 2, 3))
    for group in [
        policies[0]["measures"],
        *(s["measures"] for s in stages),
        policies[2]["measures"],
        policies[3]["measures"],
    ]:
        assert [m["number"] for m in group] == list(range(1, len(group) + 1))
    school = stages[2]["measures"]
    assert school[5]["title"] == "不登校のこどもへの支援"  # the 目次's wording
    assert stages[3]["measures"][0]["title"] == "高等教育等の修学支援、高等教育環境等の充実支援"
    assert [len(m["placements"]) for m in school] == [7, 4, 8, 3, 14, 5, 1]
    assert [len(m["placements"]) for m in policies[2]["measures"]] == [8, 17, 7, 6]


def test_placements_keep_source_order_and_mark_relisted(doc):
    bullying = doc["policies"][1]["stages"][2]["measures"][4]["placements"]
    ids = {p["id"]: p["name"] for p in doc["programs"]}
    assert [(ids[p["program"]], p["relisted"]) for p in bullying[:4]] == [
        ("いじめ防止対策「旭川モデル」", False),
        ("いじめ相談フォーム", False),
        ("子どもSOS電話相談", True),
        ("子どもSOS手紙相談", True),
    ]


# --- programs ------------------------------------------------------------------------------


def test_alias_is_split_from_the_name(by_name):
    center = by_name["北彩都子ども活動センター管理運営"]
    assert center["alias"] == "ASOBI~BA(あそびーば)"
    assert by_name["スマートウェルネス推進事業(あさひかわ健幸アプリ)"]["alias"] == "あさひかわ健幸ポイント事業"
    assert by_name["ちびっこ広場"]["alias"] is None
    assert not any("通称" in p["name"] for p in by_name.values())


def test_plain_program(by_name):
    p = by_name["児童の権利に関する条約の普及啓発"]
    assert p["id"] == "P0001"
    assert p["targets"] == ["妊婦等", "乳児", "幼児", "小学", "中学", "高校", "親等"]
    assert p["divisions"] == [{"department": "子育て支援部", "division": "子育て支援課"}]
    assert p["results"] == ""
    assert p["needs_review"] is False and p["review_notes"] == []


def test_html_summary_becomes_bulleted_lines(by_name):
    summary = by_name["人権教育に係る学習"]["summary"]
    assert summary.split("\n") == [
        "・「生命(いのち)の安全教育」(小学校第1学年、第3学年、第5学年及び中学校第1学年)",
        "・CAPあさひかわによる人権教育プログラム(小学校第3学年)",
        "・人権擁護委員協議会による人権教室(中学校第1学年)",
        "・「いじめ等から人権を守る教育」(中学校第3学年)",
        "・「SNSの適切な利用に係る学習」(小学校第2学年、第4学年、第6学年及び中学校第2学年)",
    ]
    results = by_name["女性相談つながりサポート事業(居場所づくり事業・LINE相談)"]["results"]
    assert results.split("\n") == [
        "【居場所づくり事業】",
        "参加者数 340人",
        "相談者数 50人",
        "【LINE相談】",
        "LINE相談者数 148人",
        "【窓口周知用の生理用品配布数】",
        "実績値 4,128個",
    ]
    assert not any("<" in p["summary"] + p["results"] for p in by_name.values())


def test_inline_bullets_in_results_become_lines(by_name):
    assert by_name["春日青少年の家運営管理"]["results"] == "利用者数\n・キャンプ 144人\n・日帰り 165人"
    assert by_name["人権教育に係る学習"]["results"] == "市立小・中学校全77校で実施"


def test_divisions(by_name):
    pairs = lambda name: [(d["department"], d["division"]) for d in by_name[name]["divisions"]]  # noqa: E731
    assert pairs("旭川市こども家庭センター") == [
        ("子育て支援部", "主幹付"),
        ("子育て支援部", "おやこ応援課"),
        ("子育て支援部", "子ども総合相談センター"),
    ]
    assert pairs("生活・学習Actサミット") == [("学校教育部", "主幹付")]
    assert pairs("明るい選挙啓発ポスターコンクール") == [("選挙管理委員会事務局", None)]
    assert pairs("家庭教育支援事業") == [("社会教育部", "社会教育課"), ("社会教育部", "公民館事業課")]


def test_division_typo_is_corrected_with_a_review_note(by_name):
    visit = by_name["こんにちは赤ちゃん訪問"]
    assert visit["divisions"] == [{"department": "子育て支援部", "division": "おやこ応援課"}]
    assert any("おやか応援課" in n for n in visit["review_notes"])
    assert visit["needs_review"] is False
    assert not any(d["division"] == "おやか応援課" for p in by_name.values() for d in p["divisions"])


def test_missing_division_is_taken_from_another_copy(result, by_name):
    (note,) = notes(result, "division_missing")
    assert note.line == 323 and "経済部 経済総務課" in note.message
    program = by_name["あさひかわ若者サポートステーション／あさひかわサポステ・プラス"]
    assert program["divisions"] == [{"department": "経済部", "division": "経済総務課"}]
    assert program["id"] == note.program


def test_name_variants_are_one_program(result, by_name):
    assert "旭川市子ども家庭センター" not in by_name
    assert "アセスメントツール「心と身体チェック」" not in by_name
    assert {n.line for n in notes(result, "name_variant")} == {193, 287, 298, 323}
    names = {
        normalize_line(re.sub("^【再掲】", "", f.split("\t")[0]))
        for f in _data_rows(SOURCE_LIST.read_text(encoding="utf-8"))
    }
    assert len(names) == 127 and len({name_key(n.split(" 通称")[0]) for n in names}) == 124


def test_copies_that_differ_keep_the_primary_and_need_review(result, by_name):
    center = by_name["旭川市こども家庭センター"]
    assert "高校" not in center["targets"]  # the primary (line 149); lines 193, 298, 377 tick 高校
    assert center["needs_review"] is True
    differ = [n for n in notes(result, "copies_differ") if n.program == center["id"]]
    assert {n.line for n in differ} == {193, 298, 377}
    assert all("高校" in n.message and "149行目" in n.message for n in differ)
    assert all(n.message in center["review_notes"] for n in differ)
    nursery = by_name["地域保育所管理運営"]
    assert nursery["targets"] == ["幼児", "親等"] and nursery["needs_review"] is True


def test_needs_review_exactly_where_the_data_leaves_a_question(by_name):
    flagged = {name for name, p in by_name.items() if p["needs_review"]}
    assert flagged == {
        "北彩都子ども活動センター管理運営",  # copies differ: targets, summary
        "健康・食育出前講座",  # copies differ: targets
        "母子家庭等日常生活支援事業",  # copies differ: summary
        "旭川市こども家庭センター",
        "地域保育所管理運営",
        "地域子育て支援センター",
        "いじめ防止・青少年育成サポーター制度",  # 9-slot table, unsettled; copies differ
        "非行防止活動",  # 9-slot table, unsettled
        "女性相談つながりサポート事業(居場所づくり事業・LINE相談)",  # 9-slot table, unsettled
        "旭川市医療的ケア児等総合相談室",  # the 7-slot table
        "特別支援保育事業",
        "愛育センター管理運営",
    }
    for p in by_name.values():
        assert not p["needs_review"] or p["review_notes"]


# --- target slots -----------------------------------------------------------------------------


def test_nine_slot_tables_are_resolved_per_table(result, by_name):
    nine = notes(result, "target_slots_9")
    tables = [n for n in nine if n.program is None]
    assert [n.line for n in tables] == [146, 155, 177, 278, 336, 386, 392, 401]
    # spurious empty column: agrees with the regular copies
    assert by_name["子育て世帯訪問支援事業"]["targets"] == ["乳児", "幼児", "小学", "中学", "高校", "親等"]
    assert by_name["乳幼児健康診査"]["targets"] == ["乳児", "幼児", "親等"]
    assert by_name["妊婦健康相談"]["targets"] == ["妊婦等"]
    # every row ticks the last two slots, the first seven are empty: 18歳超 and 親等
    women = by_name["女性デジタル人材・起業家育成事業"]
    assert women["targets"] == ["18歳超", "親等"] and women["needs_review"] is False
    # the regular copy (line 166) of a row in the いじめ防止 table shows slots 8 and 9 are 親等
    assert by_name["児童生徒向け啓発資料「STOPいじめ」"]["targets"] == ["小学", "中学"]
    unsettled = {n.line for n in nine if n.program}
    assert unsettled == {157, 158, 336}
    assert by_name["非行防止活動"]["targets"] == ["小学", "中学", "高校", "18歳超"]
    assert any("157行目" in n and "親等" in n for n in by_name["いじめ防止・青少年育成サポーター制度"]["review_notes"])


def test_seven_slot_table_misses_18_and_over(result, by_name):
    table, *rows = notes(result, "target_slots_7")
    assert table.line == 138 and "18歳超" in table.message
    assert [n.line for n in rows] == [138, 139, 140]
    assert by_name["特別支援保育事業"]["targets"] == ["幼児"]
    assert by_name["愛育センター管理運営"]["targets"] == ["乳児", "幼児", "親等"]
    assert by_name["旭川市医療的ケア児等総合相談室"]["targets"] == ["乳児", "幼児", "小学", "中学", "高校", "親等"]


# --- notes ----------------------------------------------------------------------------------


def test_each_kind_of_note_occurs_where_the_data_has_it(result):
    codes = Counter(n.code for n in result.notes)
    assert codes == {
        "summary": 1,
        "heading_differs": 2,
        "name_variant": 4,
        "copies_differ": 11,
        "target_slots_9": 11,
        "target_slots_7": 4,
        "division_typo": 15,
        "division_missing": 1,
        "trailing_field": 6,
        "html_converted": 4,
        "line_breaks_restored": 58,
    }
    assert {n.line for n in notes(result, "trailing_field")} == {273, 274, 275, 276, 277, 338}
    assert {n.line for n in notes(result, "html_converted")} == {57, 138, 336, 337}


def test_headings_that_differ_keep_the_table_of_contents(result):
    first, second = notes(result, "heading_differs")
    assert first.line == 291 and "不登校の子どもへの支援" in first.message and "不登校のこどもへの支援" in first.message
    assert second.line == 340 and "大切に、" in second.message


def test_notes_are_in_source_order_and_name_their_line(result):
    summary, *rest = result.notes
    assert (
        summary.code == "summary" and "124" in summary.message and "194" in summary.message and "70" in summary.message
    )
    assert [n.line for n in rest] == sorted(n.line for n in rest)
    for n in rest:
        assert f"{n.line}行目" in n.message or (n.code == "target_slots_9" and f"{n.line}〜" in n.message)


def test_report_groups_notes_by_kind(result):
    report = format_report(result.notes)
    assert "事業 124件、掲載 194件（うち【再掲】70件）" in report
    assert "■ 所管の誤記（15件）" in report
    assert "■ 対象欄が7つしかなかった表（4件）" in report
    assert report.index("■ 目次と本文で見出しが違う") < report.index("■ HTMLタグの変換")
    assert report.count("\n・") == len(result.notes) - 1
    assert "判断・注意事項はありません" in format_report([SeedNote("summary", "事業 1件")])


# --- 所管 -----------------------------------------------------------------------------------


def _data_rows(text: str) -> list[str]:
    return [
        line
        for line in text.split("\n")
        if len(line.split("\t")) >= 11 and line.split("\t")[0] and not line.startswith("事業・取組名称")
    ]


def test_every_division_text_round_trips_through_format_divisions(text):
    cells = []
    for row in _data_rows(text):
        f = row.split("\t")
        trailing = f[-1] == "" and f[-3] not in ("○", "")
        cells.append(f[-2] if trailing else f[-1])
    assert len(cells) == 194 and cells.count("") == 1
    squeeze = lambda s: re.sub(r"\s", "", s)  # noqa: E731
    for cell in filter(None, cells):
        assert squeeze(format_divisions(parse_divisions(cell))) == squeeze(cell), cell


def test_parse_divisions_refuses_text_without_a_department():
    with pytest.raises(ValueError):
        parse_divisions("おやこ応援課")


# --- anomalies (the real source, edited) --------------------------------------------------


def test_program_listed_only_as_relisted_gets_a_primary(text):
    result = parse_source(with_line(text, 56, lambda s: "【再掲】" + s))
    (note,) = notes(result, "primary_missing")
    program = next(p for p in result.document["programs"] if p["id"] == note.program)
    assert note.line == 56 and program["needs_review"] is True
    assert [p["relisted"] for p in placements(result.document) if p["program"] == note.program] == [False]


def test_program_listed_twice_without_relisted_keeps_the_first(text):
    result = parse_source(with_line(text, 162, lambda s: s.replace("【再掲】", "")))
    (note,) = notes(result, "primary_duplicate")
    assert note.line == 118 and "162行目" in note.message
    assert [p["relisted"] for p in placements(result.document) if p["program"] == note.program] == [False, True, True]


def test_missing_division_without_any_copy_needs_review(text):
    result = parse_source(with_line(text, 56, lambda s: s.rsplit("\t", 1)[0] + "\t"))
    (note,) = [n for n in notes(result, "division_missing") if n.line == 56]
    program = result.document["programs"][0]
    assert program["divisions"] == [] and program["needs_review"] is True and note.message in program["review_notes"]


def test_typo_without_evidence_is_kept_and_flagged(text):
    result = parse_source(text.replace("おやこ応援課", "おやか応援課"))
    assert all("正しい書き方が資料のどこにもない" in n.message for n in notes(result, "division_typo"))
    visit = next(p for p in result.document["programs"] if p["name"] == "こんにちは赤ちゃん訪問")
    assert visit["divisions"][0]["division"] == "おやか応援課" and visit["needs_review"] is True


def test_stray_header_lines_are_recognized(text):
    edited = with_line(text, 58, lambda s: "親等\n所 管\n\t\t対象\t\t\t実績")
    assert len(placements(parse_source(edited).document)) == 194


@pytest.mark.parametrize(
    "line, edit, message",
    [
        (57, lambda s: "迷子の行", "57行目"),
        (56, lambda s: s.replace("\t○\t", "\t△\t", 1), "△"),
        (9, lambda s: "目録", "目次"),
    ],
)
def test_unreadable_input_is_refused_with_the_line(text, line, edit, message):
    with pytest.raises(InvalidInput) as exc:
        parse_source(with_line(text, line, edit), "list.txt")
    assert "list.txt" in exc.value.message and message in exc.value.message


def test_flattened_line_breaks_are_restored_and_noted(by_name, result):
    """The extraction flattened each cell's line breaks to spaces; items and ※ notes get their own lines back."""
    program = next(p for p in by_name.values() if p["results"].startswith("【児童発達支援事業】"))
    assert program["results"].split("\n")[:3] == ["【児童発達支援事業】", "開所日数 233日", "延利用者数 8,737人"]
    assert "【保育所等訪問支援事業】\n契約者数 6件" in program["results"]
    notes = [n for n in result.notes if n.code == "line_breaks_restored" and n.program == program["id"]]
    assert notes and "改行を" in notes[0].message
    summary = next(p["summary"] for p in by_name.values() if "※令和8年度以降は" in p["summary"])
    assert "\n※令和8年度以降は" in summary and "\n※閉所した2施設" in summary


def test_uncertain_ticks_where_the_tables_or_the_copies_leave_them_open(by_name):
    uncertain = {name: p["uncertain_targets"] for name, p in by_name.items() if p.get("uncertain_targets")}
    # copies that differ on 対象: exactly the targets on which they differ
    assert uncertain["北彩都子ども活動センター管理運営"] == ["18歳超"]
    assert uncertain["健康・食育出前講座"] == ["18歳超", "親等"]
    assert uncertain["旭川市こども家庭センター"] == ["高校"]
    # an unsettled 9/7-slot row: the targets its possible readings disagree on
    assert uncertain["地域保育所管理運営"] == ["幼児"]
    # every program with uncertain ticks is one flagged for review, with a note saying why
    assert all(by_name[name]["needs_review"] for name in uncertain)
    assert len(uncertain) == 10
