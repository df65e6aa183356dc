"""Japanese era labels for fiscal years and dates, from one table.

The list counts 令和 from fiscal 2019 (平成31年度 is written 令和元年度 in this list's usage).
"""

from datetime import date

from kodomo_desktop.core.errors import InvalidInput

# (first western year of the era, era name), newest first
ERAS: tuple[tuple[int, str], ...] = (
    (2019, "令和"),
    (1989, "平成"),
    (1926, "昭和"),
)
# the first day of each era, for dates (a fiscal year is named by the era its April falls in)
ERA_STARTS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)


# Every fiscal year the program takes (import, new edition, rollover, the command line's
# --year/--from/--to) lies in this range: from the table's oldest era to a bound far past
# any plan this list serves. A year outside it is refused before anything is written.
FIRST_YEAR = ERAS[-1][0]
LAST_YEAR = 2100


def year_problem(value: object) -> str | None:
    """Why value is not a fiscal year the program takes (None when it is one)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"年度は整数（西暦）で指定してください（{_shown(value)} は整数ではありません）"
    if not FIRST_YEAR <= value <= LAST_YEAR:
        return f"年度 {_shown(value)} は範囲外です（{FIRST_YEAR}〜{LAST_YEAR} の西暦で指定してください）"
    return None


def check_year(value: object, where: str = "") -> int:
    """value as a fiscal year, or InvalidInput naming where it came from."""
    if (problem := year_problem(value)) is not None:
        raise InvalidInput(f"{where}: {problem}。" if where else f"{problem}。")
    assert isinstance(value, int)  # year_problem refused everything else
    return value


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, int) else str(value) if abs(value) < 10**30 else "（桁数の多い数）"
    return text if len(text) <= 40 else text[:40] + "…"


def era_year(fiscal_year: int) -> tuple[str, int]:
    if year_problem(fiscal_year) is None:
        for start, name in ERAS:
            if fiscal_year >= start:
                return name, fiscal_year - start + 1
    raise ValueError(f"{_shown(fiscal_year)}年度は対応する元号がありません")


def era_label(fiscal_year: int) -> str:
    """2024 -> '令和6年度', 2019 -> '令和元年度'.

    A year outside the range (an edition stored by an older version) is shown as such
    rather than raising: the list of editions must still open to let the user remove it."""
    if year_problem(fiscal_year) is not None:
        return f"（年度 {_shown(fiscal_year)} は範囲外）"
    name, n = era_year(fiscal_year)
    return f"{name}{'元' if n == 1 else n}年度"


def results_header(fiscal_year: int) -> str:
    """The 実績 column header used by the booklet and the Excel templates."""
    return f"実績 ({era_label(fiscal_year)})"


def era_date(day: date) -> str:
    """date(2025, 6, 30) -> '令和7年6月30日'; the first year of an era is 元年."""
    for start, name in ERA_STARTS:
        if day >= start:
            n = day.year - start.year + 1
            return f"{name}{'元' if n == 1 else n}年{day.month}月{day.day}日"
    raise ValueError(f"{day.isoformat()} は対応する元号がありません")
