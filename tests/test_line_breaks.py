"""Restoring the line breaks that extraction flattened in the source list: each rule on a real FY2024 cell,
the real cells whose spaces must stay, and the two properties (idempotent, only spaces change)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kodomo_desktop.core.seed.line_breaks import Field, restore_breaks


def restored(text: str, field: Field = "results") -> str:
    return restore_breaks(text, field).text


class TestBothFields:
    @pytest.mark.parametrize("field", ["summary", "results"])
    def test_heading_starts_a_line_and_stands_alone(self, field):
        text = (
            "【子宮がん検診】 R7.4.1現在20歳以上(偶数年齢)の女性(市民)に対し、検査料の一部を助成している。"
            "検査内容は頸部細胞診 【ピロリ菌検査】 R7.4.1現在20歳の市民に対し、血液検査料の一部を助成している。"
        )
        assert restored(text, field).split("\n") == [
            "【子宮がん検診】",
            "R7.4.1現在20歳以上(偶数年齢)の女性(市民)に対し、検査料の一部を助成している。検査内容は頸部細胞診",
            "【ピロリ菌検査】",
            "R7.4.1現在20歳の市民に対し、血液検査料の一部を助成している。",
        ]

    def test_heading_with_brackets_and_comma(self):
        assert restored("【水縁日(8/18)】 来場者数 1,264人 【あったかいね、あさひかわ(12/15)】 来場者数 308人") == (
            "【水縁日(8/18)】\n来場者数 1,264人\n【あったかいね、あさひかわ(12/15)】\n来場者数 308人"
        )

    def test_heading_inside_a_line_is_not_a_heading(self):
        assert restored("事業名【再掲】 ほか", "summary") == "事業名【再掲】 ほか"

    def test_each_note_starts_a_line(self):
        text = (
            "施設の適切な維持管理を行う。 ※令和8年度以降は直営による運営を検討中 "
            "※閉所した2施設(さくら、豊里)について、令和7年度中の解体を検討中"
        )
        assert restored(text, "summary").split("\n") == [
            "施設の適切な維持管理を行う。",
            "※令和8年度以降は直営による運営を検討中",
            "※閉所した2施設(さくら、豊里)について、令和7年度中の解体を検討中",
        ]

    def test_bullet_starts_a_line_but_not_a_middle_dot(self):
        assert restored("開催回数 ・基本研修 2回", "summary") == "開催回数\n・基本研修 2回"
        assert restored("市立小・中学校全77校で実施", "summary") == "市立小・中学校全77校で実施"

    @pytest.mark.parametrize("mark", list("■□●○◆◇"))
    def test_marks_start_a_line(self, mark):
        assert restored(f"概要 {mark}相談", "summary") == f"概要\n{mark}相談"

    def test_numbering_starts_a_line_and_keeps_its_space(self):
        text = (
            "以下の対象者に受診料の一部を助成している。 (1) 令和7年度に、満20歳・30歳に達する者"
            " (2) 母子健康手帳交付から1年以内の妊産婦"
        )
        assert restored(text, "summary").split("\n") == [
            "以下の対象者に受診料の一部を助成している。",
            "(1) 令和7年度に、満20歳・30歳に達する者",
            "(2) 母子健康手帳交付から1年以内の妊産婦",
        ]

    @pytest.mark.parametrize("number", ["（２）", "②", "2.", "2．"])
    def test_other_numberings(self, number):
        assert restored(f"対象者 {number} 妊産婦", "summary") == f"対象者\n{number} 妊産婦"

    def test_a_decimal_is_not_a_numbering(self):
        assert restored("延長 19.4km", "summary") == "延長 19.4km"

    def test_sentence_end_ends_a_paragraph(self):
        text = "母親の心身のケア、育児に関する助言等を行う。 また、令和7年度より助産師によるグリーフケアを実施する。"
        assert restored(text, "summary") == (
            "母親の心身のケア、育児に関する助言等を行う。\nまた、令和7年度より助産師によるグリーフケアを実施する。"
        )

    def test_colon_label_starts_a_line(self):
        text = "・後期 8か月～1歳児の保護者 内容:栄養士講話、調理デモンストレーション及び試食"
        assert restored(text, "summary") == (
            "・後期 8か月～1歳児の保護者\n内容:栄養士講話、調理デモンストレーション及び試食"
        )

    def test_existing_breaks_are_kept_and_spaces_inside_bullets_stay(self):
        text = "支援を行う。 対象\n・前期 4～7か月児の保護者\n・後期 8か月～1歳児の保護者"
        assert restored(text, "summary") == "支援を行う。\n対象\n・前期 4～7か月児の保護者\n・後期 8か月～1歳児の保護者"


class TestResults:
    @pytest.mark.parametrize(
        ("flat", "lines"),
        [
            (
                "【児童発達支援事業】 開所日数 233日 延利用者数 8,737人 【保育所等訪問支援事業】 契約者数 6件",
                [
                    "【児童発達支援事業】",
                    "開所日数 233日",
                    "延利用者数 8,737人",
                    "【保育所等訪問支援事業】",
                    "契約者数 6件",
                ],
            ),
            (
                "運営施設数 9か所(うち2か所休所) 利用児童数 23人(R6.4.1現在) 委託料 10,535千円 "
                "その他管理費(保全、雪下ろし) 573千円",
                [
                    "運営施設数 9か所(うち2か所休所)",
                    "利用児童数 23人(R6.4.1現在)",
                    "委託料 10,535千円",
                    "その他管理費(保全、雪下ろし) 573千円",
                ],
            ),
            (
                "申込者 602人(当選362人) 来場者 328人 出展者 24企業(26ブース)",
                ["申込者 602人(当選362人)", "来場者 328人", "出展者 24企業(26ブース)"],
            ),
            ("事業数 77 回数 248 人数 4,167", ["事業数 77", "回数 248", "人数 4,167"]),
            (
                "学校対象事業利用数 458人/年 市民対象事業利用数 394人/年",
                ["学校対象事業利用数 458人/年", "市民対象事業利用数 394人/年"],
            ),
            ("施設数 4施設 令和6年度利用者数 28,540人/年", ["施設数 4施設", "令和6年度利用者数 28,540人/年"]),
            ("利用世帯 27世帯 利用延べ回数 427回", ["利用世帯 27世帯", "利用延べ回数 427回"]),
            ("認定企業 6社 表彰企業 3社", ["認定企業 6社", "表彰企業 3社"]),
            (
                "緊急支援チーム学校訪問 延べ52校 学校いじめ対策組織会議職員派遣 延べ55校",
                ["緊急支援チーム学校訪問 延べ52校", "学校いじめ対策組織会議職員派遣 延べ55校"],
            ),
            (
                "奨学金貸付け 37,680千円/148人 入学仕度金貸付け 36,300千円/91人",
                ["奨学金貸付け 37,680千円/148人", "入学仕度金貸付け 36,300千円/91人"],
            ),
            ("実施回数 33回 来所状況 実203/延べ300", ["実施回数 33回", "来所状況 実203/延べ300"]),
            (
                "・17か所(民設民営) 入会児童数 2,957人 ※児童数は公設の児童クラブに入会する者のみの数(R6.5.1現在)",
                [
                    "・17か所(民設民営)",
                    "入会児童数 2,957人",
                    "※児童数は公設の児童クラブに入会する者のみの数(R6.5.1現在)",
                ],
            ),
        ],
    )
    def test_after_figure_a_label_starts_the_next_item(self, flat, lines):
        assert restored(flat).split("\n") == lines

    @pytest.mark.parametrize(
        ("flat", "lines"),
        [
            ("1校にエゾヤマザクラ2本を植栽 支出額 204,600円", ["1校にエゾヤマザクラ2本を植栽", "支出額 204,600円"]),
            ("24回実施 受講者延べ人数 241人", ["24回実施", "受講者延べ人数 241人"]),
            (
                "4か月児健診 1,403人 10か月児健診 1,358人 1歳6か月児健診 1,603人",
                ["4か月児健診 1,403人", "10か月児健診 1,358人", "1歳6か月児健診 1,603人"],
            ),
        ],
    )
    def test_a_label_before_a_figure_starts_an_item(self, flat, lines):
        assert restored(flat).split("\n") == lines

    @pytest.mark.parametrize(
        "text",
        [
            "開所日数 233日",  # label and its figure
            "応募件数 7件 (大賞1件、奨励賞4件)",  # a figure and its note
            "公園数 438か所 (令和7年3月31日現在)",
            "平均8,753PV/月 (R7.3月末現在)",
            "4校 402名",  # two figures of one item
            "利用人数(6館合計) 104,471人",  # a label with a note, then its figure
            "相談試行実績(R6.7月～9月) 32人",
            "申請件数 実89/延べ121",
            "給付型奨学金(大学等) 49,100千円/ 入学準備金123人+奨学金3人",  # after a slash: the same figure
            "6月、11月及び2月の「いじめ把握のためのアンケート調査」後に実施する教育相談 前後各1回(年間計6回)",
            "子育て支援ナビゲーター 2名配置",
            "利用件数 8,753 PV",  # a unit after its figure
            "延長 19.4 km",
            "ASOBI BA",  # Latin words
            "通称 ASOBI BA(あそびーば)",
            "令和7年 3月31日現在",  # a date
            "5月 ~ 10月",
        ],
    )
    def test_real_spaces_stay(self, text):
        result = restore_breaks(text, "results")
        assert result.text == text
        assert result.breaks == 0
        assert result.spaces == text.count(" ")

    def test_results_rules_do_not_apply_to_summary(self):
        assert restored("開所日数 233日 延利用者数 8,737人", "summary") == "開所日数 233日 延利用者数 8,737人"


class TestCounts:
    def test_breaks_spaces_and_rules_are_counted(self):
        result = restore_breaks("出産応援ギフト 1,334件 子育て応援ギフト 1,424件 ※R7は流産等で給付金を支給", "results")
        assert result.breaks == 2
        assert result.spaces == 2
        assert result.by_rule == {"after_figure": 1, "note": 1}

    def test_a_run_of_spaces_becomes_one_break_and_edge_spaces_stay(self):
        result = restore_breaks(" 実施回数 3回   参加人数 63人 ", "results")
        assert result.text == " 実施回数 3回\n参加人数 63人 "
        assert (result.breaks, result.spaces) == (1, 4)

    def test_empty(self):
        result = restore_breaks("", "results")
        assert (result.text, result.breaks, result.spaces) == ("", 0, 0)


_PIECES = [
    " ", " ", "  ", "\u3000", "\n", "【", "】", "【事業】", "※", "・", "■", "○", "(", ")", "（", "）", "(1)", "①",
    "1.", "。", "、", ":", "内容:", "/", "~", "～", "0", "1", "23", "4,167", "19.4", "人", "件", "か所", "千円",
    "日", "名", "PV", "/年", "開所日数", "延利用者数", "実", "延べ", "あ", "ASOBI", "BA", "令和7年", "3月",
]  # fmt: skip
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
_FIELDS = st.sampled_from(["summary", "results"])


def _only_spaces_replaced(original: str) -> re.Pattern[str]:
    """Matches the original with any of its space runs replaced by one newline, nothing else changed."""
    parts = re.split("([ \u3000]+)", original)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?:{re.escape(p)}|\n)" for i, p in enumerate(parts)), re.DOTALL
    )


@settings(max_examples=400, deadline=None)
@given(_TEXTS, _FIELDS)
def test_restoring_twice_changes_nothing(text, field):
    once = restore_breaks(text, field)
    twice = restore_breaks(once.text, field)
    assert twice.text == once.text
    assert twice.breaks == 0


@settings(max_examples=400, deadline=None)
@given(_TEXTS, _FIELDS)
def test_only_spaces_become_newlines(text, field):
    result = restore_breaks(text, field)
    assert _only_spaces_replaced(text).fullmatch(result.text)
    assert result.text.count("\n") == text.count("\n") + result.breaks
    assert result.breaks + result.spaces == len(re.findall("[ \u3000]+", text))
    assert result.text.split() == text.split()
