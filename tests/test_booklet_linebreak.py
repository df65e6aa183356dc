"""Japanese line breaking of the booklet, on crafted text at every width."""

import pytest

from kodomo_desktop.booklet.linebreak import NO_END, NO_START, atoms, width_cache, wrap


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
