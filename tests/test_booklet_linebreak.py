"""Japanese line breaking of the booklet, on crafted text at every width."""

import pytest

from kodomo_desktop.booklet.linebreak import NO_END, NO_START, atoms, paragraph_lines, phrases, width_cache, wrap
from kodomo_desktop.booklet.story import printed


def measure_of(size=8.0):
    # a fixed-pitch measure: full-width characters one em, ASCII half
    return width_cache(lambda ch, font, size: size if ord(ch) > 0x7F else size / 2, "fake", size)


CRAFTED = (
    "来場者数 104,400人（R6年度末）。「ReportLab」は、ちょっとした『テスト』です！"
    "新生児聴覚検査は1,364人が受検し、ファミリーサポートセンター【再掲】々〃ゃ。"
    "詳しくは子育てガイドブックを参照（令和7年3月31日現在）。"
)
UNBREAKABLE = ("104,400人", "1,364人", "ReportLab", "R6年")


# from the widest unbreakable piece (「ReportLab」, 52 pt) to one line
@pytest.mark.parametrize("width", [w / 2 for w in range(104, 1000, 3)])
def test_no_forbidden_line_start_or_end_and_no_split_words(width):
    measure = measure_of()
    lines = [line for _, line in wrap(CRAFTED, width, measure)]
    assert "".join(lines).replace(" ", "") == CRAFTED.replace(" ", "")
    for i, line in enumerate(lines):
        assert line, lines
        if i:
            assert line[0] not in NO_START and not line[0].isspace(), (width, lines)
        if i < len(lines) - 1:
            assert line[-1] not in NO_END, (width, lines)
    for word in UNBREAKABLE:
        if measure(word) <= width:
            assert any(word in line for line in lines), (word, width, lines)


def test_lines_fit_their_width():
    measure = measure_of()
    for width in (40, 77, 120, 260):
        for indent, line in wrap(CRAFTED, width, measure):
            assert indent + measure(line) <= width + 1e-9


def test_breaks_kept_and_bullets_hang():
    measure = measure_of()
    text = "対象\n・前期 4～7か月児の保護者を対象とした離乳食教室の説明\n※10か月児健診のみ委託での実施"
    lines = wrap(text, 80, measure)
    assert lines[0] == (0.0, "対象")
    assert lines[1][0] == 0.0 and lines[1][1].startswith("・前期")
    bullet_continuation = [indent for indent, line in lines[2:] if not line.startswith("※")]
    assert bullet_continuation and all(
        indent == measure("・") + 0 or indent == measure("・ ") for indent in bullet_continuation
    )
    note = next(i for i, (_, line) in enumerate(lines) if line.startswith("※"))
    assert lines[note + 1][0] == measure("※")


def test_fixed_hang_puts_title_under_title():
    measure = measure_of()
    lines = wrap("個別施策1\u3000こどもの誕生前から幼児期までのこどもの成長の保障と遊びの充実", 120, measure, hang=48)
    assert lines[0][0] == 0 and all(indent == 48 for indent, _ in lines[1:])


def test_atoms_glue_kinsoku_and_numbers():
    assert atoms("「あ」、い") == ["「あ」、", "い"]
    assert atoms("計 1,364人です") == ["計", " ", "1,364人", "で", "す"]
    assert "ReportLab" in atoms("はReportLabで")


def test_overlong_word_is_cut_rather_than_overflowing():
    measure = measure_of()
    url = "https://www.city.asahikawa.hokkaido.jp/kodomo/index.html"
    lines = wrap(f"参照 {url}", 40, measure)
    assert all(measure(line) <= 40 for _, line in lines)
    assert "".join(line for _, line in lines) == f"参照{url}"


def test_empty_text_is_one_empty_line():
    assert wrap("", 50, measure_of()) == [(0.0, "")]


def lines_of(text, width, **options):
    return [line for _, line in wrap(text, width, measure_of(), **options)]


# the examples, at every width from the widest unbreakable piece to one line
@pytest.mark.parametrize("width", range(40, 200, 2))
def test_number_with_unit_date_and_katakana_word_stay_whole(width):
    measure = measure_of()
    texts = {
        "開所日数 233日 延利用者数 8,737人 契約者数 6件": ("233日", "8,737人", "開所日数", "延利用者数", "契約者数"),
        "委託料 10,535千円 その他管理費": ("10,535千円", "委託料"),
        "1歳6か月児健康診査の参加者数": ("1歳6か月児",),
        "令和7年3月31日現在の状況": ("令和7年3月31日",),
        "R7.4.1から実施": ("R7.4.1",),
        "子育て応援リーフレット作成プロジェクト": ("リーフレット", "プロジェクト"),
    }
    for text, whole in texts.items():
        lines = lines_of(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for word in whole:
            if measure(word) <= width:
                assert any(word in line for line in lines), (word, width, lines)


def test_phrases_cover_the_paragraph_and_keep_atoms_whole():
    text = "【児童発達支援事業】 開所日数 233日 延利用者数 8,737人（令和7年3月31日現在）"
    parts = phrases(text)
    assert "".join(t for t, _ in parts) == text
    assert {"233日", "8,737人", "（令和7年3月31日"} <= set(atoms(text))  # an opening bracket holds on
    assert [t for t, _ in parts if t.strip()][:3] == ["【児童発達支援事業】", "開所日数", "233日"]
    # BudouX cuts 「は｜しっくす」; a short quotation stays one phrase
    assert any(t.startswith("「はしっくす」") for t, _ in phrases("学生自主組織「はしっくす」と共同で実施する。"))


def test_phrase_boundaries_before_atoms():
    # a column of 10 characters: 「開所日｜数」 and 「契｜約者数」 were the old breaks
    assert lines_of("【児童発達支援事業】 開所日数 233日 延利用者数 8,737人", 80) == [
        "【児童発達支援事業】",
        "開所日数 233日",
        "延利用者数 8,737人",
    ]
    # 「令和7年3月｜31日現在」 was the old break; a phrase too long for the line breaks around the date
    assert lines_of("令和7年3月31日現在", 64) == ["令和7年3月31日", "現在"]


def test_divisions_one_a_line_whole():
    program = {
        "divisions": [
            {"department": "子育て支援部", "division": "主幹付"},
            {"department": "子育て支援部", "division": "おやこ応援課"},
            {"department": "社会教育部", "division": "公民館事業課"},
        ]
    }
    text = printed(program, "divisions")
    assert text == "子育て支援部主幹付、\nおやこ応援課\n社会教育部\n公民館事業課"
    measure = measure_of()
    widest = max(measure(line) for line in text.split("\n"))
    for width in range(int(widest), 200):
        assert lines_of(text, width) == text.split("\n")
    # a name wider than the column breaks at a phrase, never 「お｜やこ応援課」
    assert lines_of("子育て支援部主幹付、おやこ応援課", 120) == ["子育て支援部主幹付、", "おやこ応援課"]


def test_short_last_line_is_rebalanced_without_an_extra_line():
    measure = measure_of()
    name = "子育て援助活動支援事業(ファミリーサポートセンター事業)"
    for width in range(96, 240, 2):
        plain = paragraph_lines(name, width, measure, 0.0, balance=False)
        lines = paragraph_lines(name, width, measure, 0.0)
        assert len(lines) == len(plain)
        if len(plain) > 1 and len(plain[-1].strip()) <= 2:
            assert len(lines[-1]) > 2, (width, plain, lines)
    # not at the price of breaking a word or a date
    assert paragraph_lines("令和7年3月31日現在", 64, measure, 0.0) == ["令和7年3月31日", "現在"]
    assert paragraph_lines("事業", 80, measure, 0.0) == ["事業"]
