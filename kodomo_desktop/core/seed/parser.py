"""The FY2024 edition (kodomo-edition/1) from the source list, the text of the printed booklet.

The source is a PDF extraction: a table of contents, then one table per 個別施策 with one
row per line and tab-separated cells (shared/seed/README.md). It has extraction artefacts
and the data problems of a hand-made booklet. Nothing is fixed silently: every decision is
a SeedNote, and a decision about a program is also written into its review_notes, with
needs_review where the data does not settle the question.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kodomo_desktop.core.divisions import format_divisions, parse_divisions
from kodomo_desktop.core.era import ERAS
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import html_to_text, name_key, normalize_line, tick_value

SOURCE_NAME = "000_c34372a1bd31b2c1.txt"


@dataclass(frozen=True)
class SeedNote:
    code: str  # machine code, one of NOTE_KINDS
    message: str  # Japanese, names the program or heading and the source line(s)
    program: str | None = None  # program id when the note concerns a program
    line: int | None = None  # 1-based source line


@dataclass(frozen=True)
class SeedResult:
    document: dict  # a kodomo-edition/1 document
    notes: list[SeedNote]  # the summary first, then every decision in source order


# Report order and headings.
NOTE_KINDS: dict[str, str] = {
    "summary": "読み込んだ件数",
    "heading_differs": "目次と本文で見出しが違う",
    "primary_missing": "【再掲】のない掲載箇所がない事業",
    "primary_duplicate": "【再掲】のない掲載箇所が2つ以上ある事業",
    "name_variant": "掲載箇所によって名称の書き方が違う事業",
    "copies_differ": "掲載箇所によって内容が違う事業",
    "target_slots_9": "対象欄が9つに分かれていた表",
    "target_slots_7": "対象欄が7つしかなかった表",
    "division_typo": "所管の誤記",
    "division_missing": "所管の記載漏れ",
    "trailing_field": "行末の余分な空欄",
    "html_converted": "HTMLタグの変換",
}

# Known misspellings of divisions -> the master spelling. A correction is applied only when
# the master spelling also occurs in the source (evidence), never by similarity.
DIVISION_TYPOS: dict[str, str] = {
    "おやか応援課": "おやこ応援課",  # 子育て支援部; "おやか" is no word, おやこ = 親子
}

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
_TAG = re.compile(r"<\s*/?[a-zA-Z][^>]*>")


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _compare_key(s: str) -> str:
    """Copies are compared ignoring width and spacing: the extraction flattened line breaks to spaces."""
    return _squeeze(unicodedata.normalize("NFKC", s))


def _labels(targets: Iterable[str]) -> str:
    return "・".join(t for t in TARGETS if t in set(targets)) or "なし"


def _lines(lines: Sequence[int]) -> str:
    return f"{lines[0]}行目" if len(lines) == 1 else f"{lines[0]}〜{lines[-1]}行目"


@dataclass
class _Measure:
    doc: dict
    policy: dict
    stage: str | None
    parent: str  # 基本施策2（学童期・思春期）
    where: str  # 基本施策2（学童期・思春期）の個別施策6「不登校のこどもへの支援」


@dataclass
class _Row:
    line: int
    measure: _Measure
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
    divisions: list[tuple[str, str | None]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.measure.where}の{self.line}行目"


class _Parser:
    def __init__(self, text: str, source_name: str):
        self.source = source_name
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.notes: list[SeedNote] = []
        self.review: dict[str, list[str]] = defaultdict(list)
        self.flagged: set[str] = set()
        self.policies: list[dict] = []
        self.measures: list[_Measure] = []
        self.rows: list[_Row] = []
        self.years: set[int] = set()

    def error(self, line: int, message: str) -> InvalidInput:
        return InvalidInput(f"{self.source} {line}行目: {message}")

    def note(self, code: str, message: str, program: str | None = None, line: int | None = None, *, review=None):
        """Record a decision; review=False/True also writes it into the program's review_notes (True: needs_review)."""
        self.notes.append(SeedNote(code, message, program, line))
        if program and review is not None:
            self.review[program].append(message)
            if review:
                self.flagged.add(program)

    # --- structure ------------------------------------------------------------------

    def run(self) -> SeedResult:
        body = self.read_toc()
        self.read_body(body)
        programs = self.group_programs()
        self.resolve_target_slots()
        self.resolve_divisions(programs)
        documents = [self.program_document(pid, rows) for pid, rows in programs.items()]
        if len(self.years) != 1:
            raise self.error(1, f"表の見出しの実績の年度が{len(self.years)}通りあります（1つのはず）")
        relisted = sum(p["relisted"] for m in self.measures for p in m.doc["placements"])
        summary = SeedNote(
            "summary",
            f"{self.source} から事業 {len(programs)}件、掲載 {len(self.rows)}件（うち【再掲】{relisted}件）を読み込みました。",
        )
        notes = [summary, *sorted(self.notes, key=lambda n: n.line or 0)]
        document = {
            "format": "kodomo-edition/1",
            "fiscal_year": self.years.pop(),
            "title": self.title,
            "status": "draft",
            "targets": list(TARGETS),
            "policies": self.policies,
            "programs": documents,
        }
        return SeedResult(document, notes)

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
        self.title = next(_squeeze(line) for line in self.lines[:start] if line.strip())
        policy = None
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
                measure = {"number": number, "title": title, "placements": []}
                (stage["measures"] if stage else policy.setdefault("measures", [])).append(measure)
                stage_title = stage["title"] if stage else None
                parent = f"基本施策{policy['number']}" + (f"（{stage_title}）" if stage else "")
                self.measures.append(
                    _Measure(measure, policy, stage_title, parent, f"{parent}の個別施策{number}「{title}」")
                )
        raise self.error(len(self.lines), "目次の後に本文がありません")

    def check_heading(self, line: int, what: str, toc: str, body: str):
        # The table of contents' wording is kept: it is the one the printed booklet shows for
        # the whole plan, and neither variant in the FY2024 list is evidently wrong
        # (不登校のこども/子ども, 大切にし、/大切に、).
        if normalize_line(toc) != normalize_line(body):
            self.note(
                "heading_differs",
                f"{what}の見出しが目次と本文（{line}行目）で違います。目次「{toc}」、本文「{body}」。目次の書き方を採用しました。",
                line=line,
            )

    def read_body(self, start: int):
        upcoming = iter(self.measures)
        following = next(upcoming, None)  # the next measure the body must reach
        measure, table = None, None
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
        words = {_squeeze(_PARENTHESIZED.sub("", f)) for f in fields} - {""}
        if not words or not words <= _HEADER_WORDS:
            return False
        for m in filter(None, map(_ERA_YEAR.search, fields)):  # 実績 (令和6年度)
            era_start = {name: start for start, name in ERAS}[m[1]]
            self.years.add(era_start + (1 if m[2] == "元" else int(m[2])) - 1)
        return True

    def read_row(self, line: int, fields: list[str], measure: _Measure, table: int) -> _Row:
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
        row = _Row(
            line, measure, table, relisted, name, alias,
            summary=cells[1], results=cells[-2], division_text=cells[-1], ticks=ticks,
        )  # fmt: skip
        if trailing:
            self.notes.append(
                SeedNote(
                    "trailing_field",
                    f"{measure.where}の{line}行目「{name}」の行末に余分な空欄があったため、無視しました。",
                    line=line,
                )
            )
        return row

    # --- programs -----------------------------------------------------------------

    def group_programs(self) -> dict[str, list[_Row]]:
        """One program per name (spelling variants folded by name_key); ids by first appearance."""
        by_key: dict[str, list[_Row]] = {}
        for row in self.rows:
            by_key.setdefault(name_key(row.name), []).append(row)
        programs: dict[str, list[_Row]] = {}
        for n, rows in enumerate(by_key.values(), 1):
            pid = f"P{n:04d}"
            for row in rows:
                row.program = pid
            primaries = [r for r in rows if not r.relisted]
            if not primaries:
                self.note(
                    "primary_missing",
                    f"「{rows[0].name}」はどの掲載箇所にも【再掲】が付いています。最初に載っている{rows[0].label}を主な掲載箇所（【再掲】なし）としました。",
                    pid, rows[0].line, review=True,
                )  # fmt: skip
            elif len(primaries) > 1:
                lines = "、".join(r.label for r in primaries)
                self.note(
                    "primary_duplicate",
                    f"「{rows[0].name}」は【再掲】なしで{len(primaries)}か所に載っています（{lines}）。最初の{primaries[0].label}を主な掲載箇所とし、ほかは【再掲】として扱います。",
                    pid, primaries[0].line, review=True,
                )  # fmt: skip
            primary = (primaries or rows)[0]
            programs[pid] = [primary] + [r for r in rows if r is not primary]
            for row in rows:
                if fields := "と".join(
                    f for f, cell in (("概要", row.summary), ("実績", row.results)) if _TAG.search(cell)
                ):
                    message = f"{row.label}「{row.name}」の{fields}にあるHTMLタグ（<ul>、<p> など）を、改行と「・」の箇条書きに変換しました。"
                    self.note("html_converted", message, pid, row.line)
        for row in self.rows:
            row.measure.doc["placements"].append(
                {"program": row.program, "relisted": row is not programs[row.program][0]}
            )
        return programs

    def resolve_target_slots(self):
        regular = defaultdict(set)  # program -> targets read from 8-slot rows
        irregular = defaultdict(list)  # (table, slot count) -> rows
        for row in self.rows:
            if len(row.ticks) == 8:
                row.targets = frozenset(t for t, ticked in zip(TARGETS, row.ticks, strict=False) if ticked)
                regular[row.program].add(row.targets)
            else:
                irregular[row.table, len(row.ticks)].append(row)
        for rows in irregular.values():
            _SlotTable(rows, regular).resolve(self)

    def resolve_divisions(self, programs: dict[str, list[_Row]]):
        for row in self.rows:
            try:
                row.divisions = parse_divisions(row.division_text)
            except ValueError as exc:
                raise self.error(row.line, str(exc)) from None
        written = {pair for row in self.rows for pair in row.divisions}
        for row in self.rows:
            for i, (department, division) in enumerate(row.divisions):
                fixed = DIVISION_TYPOS.get(division)
                if fixed is None:
                    continue
                if (department, fixed) in written:
                    row.divisions[i] = (department, fixed)
                    message = f"{row.label}「{row.name}」の所管「{division}」は「{fixed}」の誤記と判断して直しました（「{fixed}」は他の行に正しく書かれています）。"
                    self.note("division_typo", message, row.program, row.line, review=False)
                else:
                    message = f"{row.label}「{row.name}」の所管「{division}」は「{fixed}」の誤記と思われますが、正しい書き方が資料のどこにもないため、そのままにしました。確認してください。"
                    self.note("division_typo", message, row.program, row.line, review=True)
        for pid, rows in programs.items():
            for row in rows:
                if row.divisions:
                    continue
                source = next((r for r in rows if r.divisions), None)
                if source:
                    row.divisions = source.divisions
                    message = f"{row.label}「{row.name}」には所管が書かれていません。同じ事業が載っている{source.label}の所管「{format_divisions(source.divisions)}」を使います。"
                    self.note("division_missing", message, pid, row.line, review=False)
                else:
                    message = f"{row.label}「{row.name}」には所管が書かれておらず、ほかの掲載箇所にもありません。所管を入力してください。"
                    self.note("division_missing", message, pid, row.line, review=True)

    def program_document(self, pid: str, rows: list[_Row]) -> dict:
        primary = rows[0]
        summary, results = html_to_text(primary.summary), html_to_text(primary.results)
        for copy in rows[1:]:
            full = (copy.name, copy.alias)
            if full != (primary.name, primary.alias):
                message = (
                    f"{copy.label}では名称が「{_full_name(*full)}」と書かれていますが、"
                    f"{primary.label}の「{_full_name(primary.name, primary.alias)}」と同じ事業として扱い、主な掲載箇所（【再掲】のない方）の書き方を採用しました。"
                )
                self.note("name_variant", message, pid, copy.line, review=False)
            differences = []
            if copy.targets != primary.targets:
                differences.append(
                    f"対象（{copy.line}行目「{_labels(copy.targets)}」、主な掲載箇所「{_labels(primary.targets)}」）"
                )
            for what, mine, theirs in (
                ("概要", html_to_text(copy.summary), summary),
                ("実績", html_to_text(copy.results), results),
            ):
                if _compare_key(mine) != _compare_key(theirs):
                    a, b = _excerpts(_compare_key(mine), _compare_key(theirs))
                    differences.append(f"{what}（{copy.line}行目「{a}」、主な掲載箇所「{b}」）")
            if copy.divisions != primary.divisions:
                differences.append(
                    f"所管（{copy.line}行目「{format_divisions(copy.divisions)}」、主な掲載箇所「{format_divisions(primary.divisions)}」）"
                )
            if differences:
                message = (
                    f"「{primary.name}」は、主な掲載箇所（【再掲】のない方）の{primary.label}と、{copy.label}とで"
                    f"次の点が違います: {'、'.join(differences)}。主な掲載箇所の内容を採用しました。どちらが正しいか確認してください。"
                )
                self.note("copies_differ", message, pid, copy.line, review=True)
        return {
            "id": pid,
            "name": primary.name,
            "alias": primary.alias,
            "summary": summary,
            "targets": [t for t in TARGETS if t in primary.targets],
            "results": results,
            "divisions": [{"department": d, "division": v} for d, v in primary.divisions],
            "needs_review": pid in self.flagged,
            "review_notes": self.review.get(pid, []),
        }


def _full_name(name: str, alias: str | None) -> str:
    return f"{name} 通称:{alias}" if alias else name


def _excerpts(a: str, b: str, context: int = 8, width: int = 30) -> tuple[str, str]:
    """The stretch where two texts differ, with a little context on both sides."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1

    def cut(s: str) -> str:
        lo, hi = max(0, start - context), min(len(s), len(s) - end + context, max(0, start - context) + width)
        return ("…" if lo else "") + s[lo:hi] + ("…" if hi < len(s) else "")

    return cut(a), cut(b)


# --- target slots -----------------------------------------------------------------------

# Words in a program's name and summary that name a target group: weak evidence for reading
# a broken table, used only after the copies and the empty columns.
_MENTIONS = {
    "妊婦等": "妊婦|妊産婦|妊娠",
    "乳児": "乳児|乳幼児|赤ちゃん|新生児",
    "幼児": "幼児|乳幼児|保育所|幼稚園|こども園|未就学",
    "小学": "小学|小中",
    "中学": "中学",
    "高校": "高校|高等学校",
    "18歳超": "大学|成人|若者|若年",
    "親等": "保護者|家族|父母|親",
}


class _SlotTable:
    """Rows of one table whose target cells came out as 9 or 7 slots instead of 8.

    A reading assigns a target to every slot. With 9 slots the extraction split one column
    in two, so two neighbouring slots read as the same target (a spurious empty column is
    the case where one of them is always empty); with 7 slots it lost one column, so one
    target has no slot. Every such reading is a candidate; the evidence, strongest first:
      1. the same program's targets in the regular (8-slot) tables;
      2. the split column has a half that is empty in every row (9 slots);
      3. the program's own text names the targets (保護者, 妊婦, 高校 …);
      4. a single ○ is not counted in both halves of a split column;
      5. a program's age groups do not skip one in the middle.
    Only 1 and 2 settle a row; a row whose targets still depend on the reading after them
    is flagged needs_review, with the readings it could have.
    """

    EVIDENCE = (
        "同じ事業の他の掲載箇所の対象と合う",
        "分かれた欄の片方がどの行でも空欄",
        "概要に書かれた対象（保護者、妊婦、高校など）と合う",
        "1つの○を2つの欄で二重に数えない",
        "年齢の区分が途中で抜けない",
    )

    def __init__(self, rows: list[_Row], regular: dict[str, set[frozenset[str]]]):
        self.rows, self.regular = rows, regular
        self.n = len(rows[0].ticks)
        if self.n == 9:  # target k read from slots k and k+1
            self.readings = [TARGETS[: k + 1] + TARGETS[k:] for k in range(8)]
        else:  # target k has no slot
            self.readings = [TARGETS[:k] + TARGETS[k + 1 :] for k in range(8)]
        self.empty = {i for i in range(self.n) if not any(r.ticks[i] for r in rows)}

    def targets(self, row: _Row, reading) -> frozenset[str]:
        return frozenset(t for t, ticked in zip(reading, row.ticks, strict=False) if ticked)

    def split(self, reading) -> list[int]:
        return [i for i in range(self.n) if reading.count(reading[i]) > 1]

    def scores(self, reading) -> tuple[int, ...]:
        read = [self.targets(row, reading) for row in self.rows]
        halves = self.split(reading)
        return (
            sum(t in self.regular[row.program] for row, t in zip(self.rows, read, strict=False)),
            any(i in self.empty for i in halves),
            sum(
                bool(re.search(_MENTIONS[t], row.name + row.summary))
                for row, ts in zip(self.rows, read, strict=False)
                for t in ts
            ),
            -sum(bool(halves) and all(row.ticks[i] for i in halves) for row in self.rows),
            -sum(_has_gap(ts) for ts in read),
        )

    def outcome(self, readings) -> set[tuple[frozenset[str], ...]]:
        return {tuple(self.targets(row, r) for row in self.rows) for r in readings}

    def resolve(self, parser: _Parser):
        candidates, reasons, settled = list(self.readings), [], None
        for i, why in enumerate(self.EVIDENCE):
            best = max(self.scores(r)[i] for r in candidates)
            kept = [r for r in candidates if self.scores(r)[i] == best]
            if len(self.outcome(kept)) < len(self.outcome(candidates)):
                reasons.append(why)
            candidates = kept
            if i == 1:
                settled = candidates
        chosen = candidates[0]
        for row in self.rows:
            row.targets = self.targets(row, chosen)
        how = self.describe(chosen, [c for c in candidates if self.outcome([c]) == self.outcome([chosen])])
        unsettled = [r for r in self.rows if len({self.targets(r, c) for c in settled}) > 1]
        first = self.rows[0]
        because = f"根拠: {'、'.join(reasons)}" if reasons else "どの読み方でも各行の対象は同じです"
        message = (
            f"{first.measure.where}の表（{_lines([r.line for r in self.rows])}）は、原資料のテキストでは対象欄が8つではなく{self.n}つ"
            f"{'に分かれていました' if self.n == 9 else 'しかありませんでした'}。{how}読みました（{because}）。"
        )
        if unsettled:
            names = "、".join(f"{r.line}行目「{r.name}」" for r in unsettled)
            message += f"ただし{names}は読み方によって対象が変わり、確定できないため要確認としました。"
        code = f"target_slots_{self.n}"
        parser.note(code, message, line=first.line)
        for row in unsettled:
            options = sorted({_labels(self.targets(row, c)) for c in settled})
            doubt = f"対象が「{'」か「'.join(options)}」か" if len(options) <= 3 else "読み方によって対象が変わり、"
            parser.note(
                code,
                f"{row.label}「{row.name}」は対象欄の数が合わない表にあり、{doubt}確定できません。"
                f"{how}読んだ結果の「{_labels(row.targets)}」で取り込みました。対象を確認してください。",
                row.program, row.line, review=True,
            )  # fmt: skip

    def describe(self, chosen, same) -> str:
        """How the chosen reading reads the table, ready for 読みました; `same`: readings with the same result."""
        if self.n == 7:
            missing = next(t for t in TARGETS if t not in chosen)
            return f"「{missing}」の欄が抜けているものとして、左から順に「{'・'.join(chosen)}」の欄と"
        empties = sorted({i + 1 for reading in same for i in self.split(reading) if i in self.empty})
        if empties:
            which = f"{empties[0]}番目" if len(empties) == 1 else f"{empties[0]}〜{empties[-1]}番目のどれか"
            return f"どの行でも空欄の余分な欄（左から{which}）を除いて"
        splits = sorted({tuple(self.split(reading)) for reading in same})
        if len(splits) == 1:
            a, b = splits[0]
            return f"左から{a + 1}番目と{b + 1}番目の欄を1つの「{chosen[a]}」欄として"
        return f"左から{splits[0][0] + 1}〜{splits[-1][1] + 1}番目のどこかで1つの欄が2つに分かれたもの（どこでも結果は同じ）として"


def _has_gap(targets: frozenset[str]) -> bool:
    ages = [i for i, t in enumerate(TARGETS[:-1]) if t in targets]  # 親等 is not an age group
    return bool(ages) and ages[-1] - ages[0] + 1 != len(ages)


def parse_source(text: str, source_name: str = SOURCE_NAME) -> SeedResult:
    """The source list's text -> the edition document and every reconciliation decision."""
    return _Parser(text, source_name).run()


def format_report(notes: Sequence[SeedNote]) -> str:
    """The reconciliation report in Japanese: the summary line, then the notes grouped by kind."""
    by_code: dict[str, list[SeedNote]] = defaultdict(list)
    for note in notes:
        by_code[note.code].append(note)
    out = ["原資料の取り込み報告", ""] + [note.message for note in by_code.pop("summary", [])]
    kinds = list(dict.fromkeys(code for code in [*NOTE_KINDS, *sorted(by_code)] if code in by_code))
    counts = "、".join(f"{NOTE_KINDS.get(code, code)} {len(by_code[code])}件" for code in kinds)
    out.append(
        f"判断・注意事項は{sum(len(by_code[code]) for code in kinds)}件です（{counts}）。"
        if kinds
        else "判断・注意事項はありません。"
    )
    for code in kinds:
        out += ["", f"■ {NOTE_KINDS.get(code, code)}（{len(by_code[code])}件）"]
        out += [f"・{note.message}" for note in by_code[code]]
    return "\n".join(out) + "\n"
