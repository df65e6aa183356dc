"""Reading the source list: its table of contents, then its tables, row by row.

The source is a PDF extraction: a table of contents, then one table per 個別施策 with one
row per line and tab-separated cells (source-list/README.md). It has extraction artefacts
and the data problems of a hand-made booklet. Reading refuses what it cannot read and notes
what it skips; the copies of a program are reconciled afterwards (reconcile.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kodomo_desktop.core.divisions import parse_divisions
from kodomo_desktop.core.era import ERAS
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.seed.notes import Decisions
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import normalize_line, tick_value

SOURCE_NAME = "000_c34372a1bd31b2c1.txt"
# In a checkout or an sdist only: the app ships the edition built from the list, not the list.
SOURCE_LIST = Path(__file__).resolve().parents[3] / "source-list" / SOURCE_NAME

_HEADER_WORDS = {"事業・取組名称", "概要", "対象", "実績", "所管", *TARGETS}
_PARENTHESIZED = re.compile(r"[(（][^)）]*[)）]")
_ERA_YEAR = re.compile(r"(令和|平成|昭和)\s*(元|\d+)\s*年度")
_POLICY = re.compile(r"^■\s*基本施策\s*(\d+)\s+(.+)$")
_MEASURE = re.compile(r"^個別施策\s*(\d+)\s+(.+)$")
_STAGE = re.compile(r"^[(（](.+)[)）]$")
_TOC = re.compile(r"^目\s*次$")
_RELISTED = re.compile(r"^【再掲】\s*")
# The list writes 名称 通称:… ; (通称:…) and full-width colons are accepted as well.
_ALIAS = re.compile(r"^(?P<name>.+?)\s*(?:[(（]通称[:：]\s*(?P<a1>.+)[)）]|通称[:：]\s*(?P<a2>.+))$")


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


@dataclass
class Measure:
    doc: dict[str, Any]  # the measure in the edition document; its placements are added by reconcile
    policy: dict[str, Any]
    stage: str | None
    parent: str  # 基本施策2（学童期・思春期）
    where: str  # 基本施策2（学童期・思春期）の個別施策6「不登校のこどもへの支援」


@dataclass
class Row:
    line: int
    measure: Measure
    table: int  # line of the table's header
    relisted: bool
    name: str
    alias: str | None
    summary: str
    results: str
    division_text: str
    ticks: list[bool]
    program: str = ""
    targets: frozenset[str] = frozenset()
    # targets the source leaves open (a table whose target columns came out wrong)
    uncertain: frozenset[str] = frozenset()
    divisions: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.measure.where}の{self.line}行目"


@dataclass
class SourceList:
    name: str
    title: str
    policies: list[dict[str, Any]]  # the edition document's policy tree, from the table of contents
    measures: list[Measure]  # in the table of contents' order
    rows: list[Row]  # in source order
    years: set[int]  # the fiscal years the 実績 headings name: one in a consistent list


def source_error(source_name: str, line: int, message: str) -> InvalidInput:
    return InvalidInput(f"{source_name} {line}行目: {message}")


def read_source(text: str, source_name: str, decisions: Decisions) -> SourceList:
    return _Reader(text, source_name, decisions).read()


def read_divisions(source: SourceList) -> None:
    """Every row's 所管 text as (部, 課) pairs; a text that does not start with a department is refused."""
    for row in source.rows:
        try:
            row.divisions = parse_divisions(row.division_text)
        except ValueError as exc:
            raise source_error(source.name, row.line, str(exc)) from None


class _Reader:
    def __init__(self, text: str, source_name: str, decisions: Decisions):
        self.source = source_name
        self.decisions = decisions
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.title = ""
        self.policies: list[dict[str, Any]] = []
        self.measures: list[Measure] = []
        self.rows: list[Row] = []
        self.years: set[int] = set()

    def error(self, line: int, message: str) -> InvalidInput:
        return source_error(self.source, line, message)

    def read(self) -> SourceList:
        self.read_body(self.read_toc())
        return SourceList(self.source, self.title, self.policies, self.measures, self.rows, self.years)

    def heading(self, text: str) -> tuple[str, int | None, str] | None:
        for kind, pattern in (("policy", _POLICY), ("measure", _MEASURE)):
            if m := pattern.match(text):
                return kind, int(m[1]), m[2]
        if m := _STAGE.match(text):
            return "stage", None, m[1]
        return None

    def read_toc(self) -> int:
        """Build the policy tree from the table of contents; return the index where the body starts."""
        start = next((i for i, line in enumerate(self.lines) if _TOC.match(line.strip())), None)
        if start is None:
            raise self.error(1, "目次（「目 次」の行）が見つかりません")
        self.title = next(squeeze(line) for line in self.lines[:start] if line.strip())
        policy: dict[str, Any] | None = None
        for i in range(start + 1, len(self.lines)):
            fields = [f.strip() for f in self.lines[i].split("\t")]
            page = fields[-1].isdigit() and len(fields) > 1
            entry = self.heading(normalize_line(" ".join(fields[:-1] if page else fields)))
            if entry is None:
                if self.lines[i].strip():
                    raise self.error(i + 1, f"目次の行として読めません: {self.lines[i].strip()[:40]}")
                continue
            kind, number, title = entry
            if kind != "stage" and not page:
                return i  # the first heading without a page number is the body's
            if kind == "policy":
                policy = {"number": number, "title": title}
                self.policies.append(policy)
            elif policy is None:
                raise self.error(i + 1, "目次の基本施策より前に個別施策・ライフステージがあります")
            elif kind == "stage":
                policy.setdefault("stages", []).append({"title": title, "measures": []})
            else:
                stage = policy["stages"][-1] if "stages" in policy else None
                measure: dict[str, Any] = {"number": number, "title": title, "placements": []}
                (stage["measures"] if stage else policy.setdefault("measures", [])).append(measure)
                stage_title = stage["title"] if stage else None
                parent = f"基本施策{policy['number']}" + (f"（{stage_title}）" if stage else "")
                self.measures.append(
                    Measure(measure, policy, stage_title, parent, f"{parent}の個別施策{number}「{title}」")
                )
        raise self.error(len(self.lines), "目次の後に本文がありません")

    def check_heading(self, line: int, what: str, toc: str, body: str) -> None:
        # The table of contents' wording is kept: it is the one the printed booklet shows for
        # the whole plan, and neither variant in the FY2024 list is evidently wrong
        # (不登校のこども/子ども, 大切にし、/大切に、).
        if normalize_line(toc) != normalize_line(body):
            message = (
                f"{what}の見出しが目次と本文（{line}行目）で違います。"
                f"目次「{toc}」、本文「{body}」。目次の書き方を採用しました。"
            )
            self.decisions.note("heading_differs", message, line=line)

    def read_body(self, start: int) -> None:
        upcoming = iter(self.measures)
        following = next(upcoming, None)  # the next measure the body must reach
        measure: Measure | None = None
        table: int | None = None
        for i in range(start, len(self.lines)):
            line, raw = i + 1, self.lines[i]
            fields = [f.strip() for f in raw.split("\t")]
            if not raw.strip():
                continue
            if len(fields) == 1 and (entry := self.heading(normalize_line(raw))):
                kind, number, title = entry
                if following is None:
                    raise self.error(line, f"目次にない見出しです: {raw.strip()}")
                if kind == "policy":
                    if number != following.policy["number"]:
                        raise self.error(
                            line, f"基本施策{number}は目次の順序（基本施策{following.policy['number']}）と合いません"
                        )
                    self.check_heading(line, f"基本施策{number}", following.policy["title"], title)
                elif kind == "stage":
                    self.check_heading(
                        line, f"基本施策{following.policy['number']}のライフステージ", following.stage or "", title
                    )
                else:
                    if number != following.doc["number"]:
                        raise self.error(line, f"個別施策{number}は目次の順序（{following.where}）と合いません")
                    self.check_heading(line, f"{following.parent}の個別施策{number}", following.doc["title"], title)
                    measure, table, following = following, None, next(upcoming, None)
                continue
            if self.is_header(fields):
                if fields[0]:
                    table = line
                continue
            if measure is None or table is None:
                raise self.error(line, f"表の外にある行です: {raw.strip()[:40]}")
            self.rows.append(self.read_row(line, fields, measure, table))
        if following is not None:
            raise self.error(len(self.lines), f"本文に {following.where} がありません")

    def is_header(self, fields: list[str]) -> bool:
        """Column headings, wherever the extraction put them (所 管, 妊婦 等, a lone 親等 …)."""
        words = {squeeze(_PARENTHESIZED.sub("", f)) for f in fields} - {""}
        if not words or not words <= _HEADER_WORDS:
            return False
        for m in filter(None, map(_ERA_YEAR.search, fields)):  # 実績 (令和6年度)
            era_start = {name: start for start, name in ERAS}[m[1]]
            self.years.add(era_start + (1 if m[2] == "元" else int(m[2])) - 1)
        return True

    def read_row(self, line: int, fields: list[str], measure: Measure, table: int) -> Row:
        if len(fields) < 11 or not fields[0]:
            raise self.error(line, f"表の行として読めません（欄が{len(fields)}個）: {'｜'.join(fields)[:40]}")
        # 名称, 概要, the target slots, 実績, 所管 — plus sometimes an empty field at the end.
        # A row ends in 実績 then 所管, so an empty last field after two text cells is that stray
        # field, while an empty last field right after the target cells is a missing 所管.
        trailing = not fields[-1] and tick_value(fields[-3]) is None
        cells = fields[:-1] if trailing else fields
        slots = cells[2:-2]
        ticks = [tick_value(c) for c in slots]
        if None in ticks or len(slots) not in (7, 8, 9):
            bad = next((c for c, t in zip(slots, ticks, strict=False) if t is None), None)
            reason = f"対象欄「{bad}」が○でも空欄でもありません" if bad else f"対象欄が{len(slots)}個あります"
            raise self.error(line, f"{reason}（{fields[0]}）")
        name = normalize_line(cells[0])
        relisted = bool(_RELISTED.match(name))
        name = _RELISTED.sub("", name)
        if not name:
            raise self.error(line, "事業・取組名称がありません")
        alias = None
        if m := _ALIAS.match(name):
            name, alias = m["name"], m["a1"] or m["a2"]
        if trailing:
            message = f"{measure.where}の{line}行目「{name}」の行末に余分な空欄があったため、無視しました。"
            self.decisions.note("trailing_field", message, line=line)
        return Row(
            line=line,
            measure=measure,
            table=table,
            relisted=relisted,
            name=name,
            alias=alias,
            summary=cells[1],
            results=cells[-2],
            division_text=cells[-1],
            ticks=[bool(t) for t in ticks],
        )
