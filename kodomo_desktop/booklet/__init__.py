"""The printed booklet (PDF) of one edition, built with ReportLab Platypus from a kodomo-edition/1 document."""

from kodomo_desktop.booklet.build import build_booklet
from kodomo_desktop.booklet.options import BookletOptions, BookletReport, BuildCancelled

__all__ = ["BookletOptions", "BookletReport", "BuildCancelled", "build_booklet"]
