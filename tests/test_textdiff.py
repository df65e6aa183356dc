"""Character-level differences: runs that spell both texts, readable runs, excerpts around each change."""

from __future__ import annotations

from itertools import pairwise

import pytest

from kodomo_desktop.core.textdiff import (
    DELETE,
    INSERT,
    KEEP,
    Run,
    as_json,
    edit_script,
    excerpt,
    marked,
    plain,
    side,
)

# 600 characters of a long 概要
LONG = ("子育て家庭が様々な支援を受けられるよう、相談・情報提供・交流の場を用意する。" * 20)[:600]

PAIRS = [
    ("", ""),
    ("", "新しい概要"),
    ("古い概要", ""),
    ("同じ", "同じ"),
    ("支援を行う。\n相談に応じる。", "支援を行い、\n相談にも応じる。"),
    (LONG, LONG + "等"),
    (LONG, "冒頭" + LONG[2:]),
    ("・相談\n・セミナー", "=相談のみ"),
]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_runs_spell_both_texts(old, new):
    script = edit_script(old, new)
    assert plain(side(script, DELETE)) == old and plain(side(script, INSERT)) == new
    assert all(run.text for run in script)
    # adjacent runs are of different kinds, and a change is deleted before it is inserted
    assert all(a.op != b.op for a, b in pairwise(script))
    assert not any(a.op == INSERT and b.op == DELETE for a, b in pairwise(script))


def test_one_character_at_the_end_of_a_long_text():
    script = edit_script(LONG, LONG + "等")
    assert script == [Run(KEEP, LONG), Run(INSERT, "等")]
    shown = marked(excerpt(script))
    assert shown == "…" + LONG[-20:] + "【+等】"
    assert as_json(script) == [{"op": "keep", "text": LONG}, {"op": "insert", "text": "等"}]


def test_a_change_in_the_middle_keeps_context_on_both_sides():
    new = LONG[:300] + "大きく" + LONG[300:]
    shown = marked(excerpt(edit_script(LONG, new), context=10))
    assert shown == "…" + LONG[290:300] + "【+大きく】" + LONG[300:310] + "…"


def test_a_short_text_is_shown_whole():
    assert (
        marked(excerpt(edit_script("妊婦等・乳児・親等", "妊婦等・乳児・18歳超・親等")))
        == "妊婦等・乳児・【+18歳超・】親等"
    )
    assert marked(excerpt(edit_script("同じ", "同じ"))) == "同じ"


def test_changed_line_breaks_show():
    assert marked(excerpt(edit_script("相談\n支援", "相談支援"))) == "相談【-⏎】支援"
    assert marked(excerpt(edit_script("相談支援", "相談\n支援"))) == "相談【+⏎】支援"
    # an unchanged line break shows as ⏎ too, so the excerpt stays on one line
    assert marked(excerpt(edit_script("相談\n支援", "相談\n支援する"))) == "相談⏎支援【+する】"


def test_a_single_kept_character_between_changes_joins_them():
    assert marked(edit_script("相談の支援", "交流の場")) == "【-相談の支援】【+交流の場】"
    # two kept characters are a word of their own
    assert marked(edit_script("電話相談窓口", "面接相談会場")) == "【-電話】【+面接】相談【-窓口】【+会場】"
