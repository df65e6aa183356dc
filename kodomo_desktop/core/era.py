"""Japanese era labels for fiscal years and dates, from one table.

The list counts 令和 from fiscal 2019 (平成31年度 is written 令和元年度 in this list's usage).
"""

from datetime import date

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


def era_year(fiscal_year: int) -> tuple[str, int]:
    for start, name in ERAS:
        if fiscal_year >= start:
            return name, fiscal_year - start + 1
    raise ValueError(f"{fiscal_year}年度は対応する元号がありません")


def era_label(fiscal_year: int) -> str:
    """2024 -> '令和6年度', 2019 -> '令和元年度'."""
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
