"""Era labels: one table, right at the boundaries, and nowhere computed by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kodomo_desktop.core.era import era_label, era_year, results_header

PACKAGE = Path(__file__).resolve().parents[1] / "kodomo_desktop"


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2018, "平成30年度"),
        (2019, "令和元年度"),  # this list's usage: fiscal 2019 is 令和元年度, not 平成31年度
        (2020, "令和2年度"),
        (2024, "令和6年度"),
        (2025, "令和7年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
        (1926, "昭和元年度"),
    ],
)
def test_era_label_at_the_boundaries(year, label):
    assert era_label(year) == label


def test_era_year_gives_name_and_number():
    assert era_year(2024) == ("令和", 6)
    assert era_year(2019) == ("令和", 1)


def test_year_before_any_known_era_is_refused():
    with pytest.raises(ValueError, match="1925年度"):
        era_year(1925)


@pytest.mark.parametrize("year", [1925, 0, -1, 202, 2101, 99999, 10**5000], ids=lambda y: f"{y % 10**6}")
def test_era_label_shows_a_year_out_of_range_without_raising(year):
    # an edition an older version let in must still be listed, so that it can be removed
    assert "範囲外" in era_label(year)


def test_results_header_follows_the_edition():
    assert results_header(2024) == "実績 (令和6年度)"
    assert results_header(2025) == "実績 (令和7年度)"
    assert results_header(2019) == "実績 (令和元年度)"


# era arithmetic or assembly outside the table: 令和{n}, "令和" + ..., year - 2018, 1988 + n
SCATTERED_ERA = re.compile(r"(令和|平成|昭和)(\{|[\"']\s*\+)|[-+]\s*(2018|1988|1925)\b|\b(2018|1988|1925)\s*[-+]")


def test_no_era_arithmetic_outside_era_module():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "era.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SCATTERED_ERA.search(line)
    ]
    assert offenders == [], "era labels must come from core/era.py:\n" + "\n".join(offenders)
