"""Text normalization: each rule with a case that triggers it and one that must be left alone."""

from __future__ import annotations

import pytest

from kodomo_desktop.core.text import html_to_text, name_key, normalize_line, normalize_text, search_key, tick_value


class TestNormalizeText:
    def test_empty_and_none(self):
        assert normalize_text(None) == ""
        assert normalize_text("") == ""

    @pytest.mark.parametrize("brk", ["\r\n", "\r", "\u2028", "\u2029", "\u0085"])
    def test_line_breaks_become_newline(self, brk):
        assert normalize_text(f"一行目{brk}二行目") == "一行目\n二行目"

    def test_invisible_characters_are_removed(self):
        assert normalize_text("\ufeff子育て\u200b支援\u200c課\u200d\u2060\u00ad") == "子育て支援課"

    def test_control_characters_are_removed_and_tab_is_a_space(self):
        assert normalize_text("実施\x00回数\x07\t3回\x7f\x9f") == "実施回数 3回"

    def test_unicode_spaces_become_one_ascii_space(self):
        assert normalize_text("設置数\u3000\u3000 18か所\u00a0(R6)") == "設置数 18か所 (R6)"

    def test_each_line_is_stripped_and_spaces_collapse(self):
        assert normalize_text("  a   b  \n   c ") == "a b\nc"

    def test_leading_and_trailing_blank_lines_are_dropped(self):
        assert normalize_text("\n \n本文\n\n") == "本文"

    def test_up_to_two_blank_lines_stay_more_collapse_to_two(self):
        assert normalize_text("a\n\nb\n\n\nc") == "a\n\nb\n\n\nc"
        assert normalize_text("a\n\n\n\n\n\nb") == "a\n\n\nb"

    def test_full_width_letters_and_digits_become_half_width(self):
        assert normalize_text("ＳＯＳの出し方教育 ４校５回 ｓｎｓ") == "SOSの出し方教育 4校5回 sns"

    def test_half_width_katakana_becomes_full_width_with_sound_marks(self):
        assert normalize_text("ｶﾞｲﾄﾞﾌﾞｯｸ ﾊﾟﾝﾌﾚｯﾄ｡｢ﾃｽﾄ｣") == "ガイドブック パンフレット。「テスト」"

    def test_lone_sound_mark_stays_visible(self):
        assert normalize_text("ﾞ") == "゛"

    @pytest.mark.parametrize(
        "kept",
        [
            "①②",
            "30㎡",
            "5月～11月",
            "※R7.4月末実績",
            "「もりもりパーク」",
            "（令和6年度）",
            "(令和6年度)",
            "0123",
            "ASOBI~BA",
            "！？",
        ],
    )
    def test_other_characters_are_kept_as_written(self, kept):
        assert normalize_text(kept) == kept


def test_normalize_line_joins_lines_with_a_space():
    assert normalize_line("子育て支援部\r\n子育て支援課") == "子育て支援部 子育て支援課"
    assert normalize_line("\n 名称 \n\n") == "名称"
    assert normalize_line(None) == ""


class TestSearchKey:
    def test_ignores_width_case_kana_and_spaces(self):
        assert search_key("ＳＯＳ　カタカナ ｶﾀｶﾅ") == search_key("sos かたかな かたかな") == "sosかたかなかたかな"

    def test_nfkc_applies_to_compatibility_characters(self):
        assert search_key("①㎡（）") == "1m2()"

    def test_different_words_stay_different(self):
        assert search_key("子ども") != search_key("こども")
        assert search_key("電話相談") != search_key("手紙相談")

    def test_none_and_empty(self):
        assert search_key(None) == search_key("") == ""


class TestNameKey:
    @pytest.mark.parametrize(
        "a, b",
        [
            ("旭川市こども家庭センター", "旭川市子ども家庭センター"),
            ("放課後子供教室", "放課後こども教室"),
            ("アセスメントツール「心と身体のチェック」", "アセスメントツール「心と身体チェック」"),
            (
                "あさひかわ若者サポートステーション／あさひかわサポステ・プラス",
                "あさひかわ若者サポートステーション/あさひかわサポステ・プラス",
            ),
            ("こども向け屋内遊戯場「もりもりパーク」", "こども向け屋内遊戯場 もりもりパーク"),
        ],
    )
    def test_spelling_variants_are_equal(self, a, b):
        assert name_key(a) == name_key(b)

    @pytest.mark.parametrize(
        "a, b",
        [
            ("縁結びネットワーク活動促進費(あさひかわ縁結びネットワーク)", "縁結びネットワーク活動促進費(縁結び特典)"),
            ("子育て短期支援事業(ショートステイ)", "子育て短期支援事業(トワイライトステイ)"),
            ("子どもSOS電話相談", "子どもSOS手紙相談"),
            ("公園施設管理運営", "公園プール施設管理運営"),
            ("母子家庭等自立支援給付金", "母子家庭等就業・自立支援センター事業"),
        ],
    )
    def test_different_programs_stay_apart(self, a, b):
        assert name_key(a) != name_key(b)

    def test_no_inside_hiragana_words_is_kept(self):
        assert name_key("うぶごえへの贈りもの").endswith("もの")
        assert name_key("うぶごえへの贈りもの") != name_key("うぶごえへ贈りもの")


class TestTickValue:
    @pytest.mark.parametrize(
        "value",
        [
            "○",
            "〇",
            "◯",
            "⭕",
            "⭕\ufe0f",
            "●",
            "◎",
            "✓",
            "✔",
            "✔\ufe0f",
            "レ",
            "ﾚ",
            "1",
            "１",
            "TRUE",
            "true",
            "True",
            " ○ ",
            "\u200b○\u3000",
            1,
            True,
        ],
    )
    def test_ticked(self, value):
        assert tick_value(value) is True

    @pytest.mark.parametrize(
        "value", ["", "  ", None, "×", "x", "X", "ｘ", "✕", "-", "－", "ー", "0", "０", "FALSE", "false", 0, False]
    )
    def test_not_ticked(self, value):
        assert tick_value(value) is False

    @pytest.mark.parametrize("value", ["△", "済", "2", 2, "○○", "はい", 0.5, object()])
    def test_anything_else_is_an_error_for_the_caller(self, value):
        assert tick_value(value) is None


class TestHtmlToText:
    def test_list_items_become_bulleted_lines(self):
        assert html_to_text("<ul style='x'><li>一</li><li>二</li></ul>") == "・一\n・二"

    def test_an_item_already_starting_with_a_bullet_is_not_doubled(self):
        assert html_to_text("<ul><li>・一</li><li> ・二</li></ul>") == "・一\n・二"

    def test_paragraphs_and_br_are_lines_and_entities_are_unescaped(self):
        assert html_to_text("<p>【A】 1人</p> <p>【B】 2&amp;3<br>4&lt;5</p>") == "【A】 1人\n【B】 2&3\n4<5"

    def test_source_ul_with_inline_bullets(self):
        cell = (
            '<ul style="list-style-type: none"> ・「生命(いのち)の安全教育」(小学校第1学年)'
            " ・CAPあさひかわによる人権教育プログラム "
        )
        assert (
            html_to_text(cell) == "・「生命(いのち)の安全教育」(小学校第1学年)\n・CAPあさひかわによる人権教育プログラム"
        )

    def test_inline_bullets_split_when_the_cell_starts_with_one(self):
        assert html_to_text("・窓口 1,447件") == "・窓口 1,447件"
        assert html_to_text("・窓口 1件 ・電話 6件") == "・窓口 1件\n・電話 6件"

    def test_inline_bullets_split_when_there_are_two_or_more(self):
        assert html_to_text("利用者数 ・キャンプ 144人 ・日帰り 165人") == "利用者数\n・キャンプ 144人\n・日帰り 165人"

    def test_a_single_inline_bullet_is_not_clearly_a_list(self):
        assert html_to_text("参加者 ・レク講習会 51人") == "参加者 ・レク講習会 51人"

    def test_middle_dot_between_words_is_not_a_bullet(self):
        text = "市立小・中学校全77校で実施 研修・会議室 ・小学校 52校 ・中学校 27校"
        assert html_to_text(text) == "市立小・中学校全77校で実施 研修・会議室\n・小学校 52校\n・中学校 27校"

    def test_plain_text_is_normalized(self):
        assert html_to_text("ＡＢＣ　１２３\r\nｶﾅ") == "ABC 123\nカナ"
        assert html_to_text(None) == ""
