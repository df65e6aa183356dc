"""The printed booklet (PDF) of one edition, built with ReportLab Platypus from a kodomo-edition/1 document."""

from typing import Any

__all__ = ["BookletOptions", "BookletReport", "BuildCancelled", "build_booklet"]


def __getattr__(name: str) -> Any:
    # lazy, so that the CLI can register `booklet` without importing ReportLab
    if name == "build_booklet":
        from kodomo_desktop.booklet.build import build_booklet

        return build_booklet
    if name in __all__:
        from kodomo_desktop.booklet import options

        return getattr(options, name)
    raise AttributeError(name)
