"""The web edition of one edition: an index page and one page per 基本施策, with the booklet's content and order.

One page per 基本施策 rather than one page for the whole edition: the FY2024 edition prints 194 rows, a
page a phone reader scrolls through for minutes and a screen reader lists as one long run of tables; a
基本施策 is the unit the booklet also starts a page with. The index holds the contents (every 個別施策
linked) and the coverage table.

Every page is plain HTML and one local style sheet: no script, no external request. On a narrow screen a
program table turns into one card per program (each cell labelled by CSS), so that nothing scrolls
sideways; the coverage matrix, numbers only, scrolls inside a labelled region that takes the keyboard focus.

The output depends only on the document: the same document gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kodomo_desktop.booklet.typography import normalize
from kodomo_desktop.core.era import era_label, results_header
from kodomo_desktop.core.listing import without_ended
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.vocabulary import DEFAULT_CITY, MEASURE, POLICY, node_heading
from kodomo_desktop.web.style import CSS

if TYPE_CHECKING:
    from kodomo_desktop.core.coverage import Coverage

INDEX = "index.html"
STYLESHEET = "style.css"
GENERATOR = "kodomo-desktop web"  # in every page's <meta name="generator">: how a folder is known as ours
RELISTED = "【再掲】"
ALIAS = "通称:"
NO_RESULTS = "\u2015"  # 「―」, as the booklet prints an empty 実績
TICK = "○"
ON, OFF = "対象", "対象外"  # what a screen reader says for a target cell
EMPTY_MEASURE = "（掲載する事業・取組はありません）"


def page_name(policy_number: int) -> str:
    return f"policy-{policy_number}.html"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def lines(text: str) -> str:
    """Each stored line on its own line (a block span: in the cards and in print alike)."""
    return "".join(f'<span class="line">{esc(line)}</span>' for line in text.split("\n"))


@dataclass(frozen=True)
class Measure:
    key: str  # the anchor id, the booklet's bookmark key: p2-s1-m3
    heading: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Group:
    """A life stage of a 基本施策, or (title None) the measures of a 基本施策 without stages."""

    title: str | None
    measures: tuple[Measure, ...]


@dataclass(frozen=True)
class Policy:
    number: int
    heading: str
    groups: tuple[Group, ...]

    @property
    def page(self) -> str:
        return page_name(self.number)


def outline(document: dict[str, Any]) -> list[Policy]:
    """The policy tree in booklet order, with the booklet's heading texts and keys."""
    policies = []
    for policy in document["policies"]:
        key = f"p{policy['number']}"
        if policy.get("stages"):
            raw = [(f"{key}-s{i}", stage.get("title"), stage) for i, stage in enumerate(policy["stages"], 1)]
        else:
            raw = [(key, None, policy)]
        groups = tuple(
            Group(
                title,
                tuple(
                    Measure(
                        f"{group_key}-m{m['number']}",
                        f"{node_heading(MEASURE, m['number'])}\u3000{normalize(m['title'])}",
                        m,
                    )
                    for m in group.get("measures") or []
                ),
            )
            for group_key, title, group in raw
        )
        heading = f"{node_heading(POLICY, policy['number'])}\u3000{normalize(policy['title'])}"
        policies.append(Policy(policy["number"], heading, groups))
    return policies


def build_site(document: dict[str, Any], out_dir: str | Path) -> list[str]:
    """Write the site into out_dir (created if missing); the names written, index first."""
    site = Site(without_ended(document))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {INDEX: site.index(), **{p.page: site.policy_page(p) for p in site.policies}, STYLESHEET: CSS}
    for name, text in files.items():
        (out / name).write_bytes(text.encode("utf-8"))
    return list(files)


class Site:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.programs = {p["id"]: p for p in document["programs"]}
        self.policies = outline(document)
        self.title = normalize(document["title"])
        self.year = era_label(document["fiscal_year"])
        # program id -> (page, measure key, position): the row that carries id="P0001", the primary
        # listing (a program placed only as 【再掲】: its first placement)
        self.anchors: dict[str, tuple[str, str, int]] = {}
        primary: dict[str, tuple[str, str, int]] = {}
        for policy, measure, i, placement in self._placements():
            where = (policy.page, measure.key, i)
            self.anchors.setdefault(placement["program"], where)
            if not placement["relisted"]:
                primary.setdefault(placement["program"], where)
        self.anchors.update(primary)

    def _placements(self) -> Iterator[tuple[Policy, Measure, int, dict[str, Any]]]:
        for policy in self.policies:
            for group in policy.groups:
                for measure in group.measures:
                    for i, placement in enumerate(measure.data["placements"]):
                        yield policy, measure, i, placement

    # --- pages ----------------------------------------------------------------------------

    def page(self, title: str, body: str) -> str:
        return (
            "<!DOCTYPE html>\n"
            '<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="{GENERATOR}">\n'
            f"<title>{esc(title)}</title>\n"
            f'<link rel="stylesheet" href="{STYLESHEET}">\n'
            "</head>\n<body>\n"
            '<a class="skip" href="#main">本文へ移動</a>\n'
            f"{body}"
            f'<footer class="site">\n<p>{esc(self.title)}（{esc(self.year)}）\u3000発行\u3000{esc(self.issuer())}</p>\n'
            "</footer>\n</body>\n</html>\n"
        )

    def issuer(self) -> str:
        issuer = self.document.get("issuer") or {"city": DEFAULT_CITY}
        return " ".join(issuer[key] for key in ("city", "department", "division") if issuer.get(key))

    def index(self) -> str:
        parts = [
            '<main id="main" tabindex="-1">\n',
            f"<h1>{esc(self.title)}</h1>\n",
            f'<p class="year">{esc(self.year)}（{self.document["fiscal_year"]}年度）</p>\n',
        ]
        if self.document.get("issuer"):
            parts.append(f'<p class="issuer">発行\u3000{esc(self.issuer())}</p>\n')
        parts.append('<nav aria-labelledby="toc-title">\n<h2 id="toc-title">目次</h2>\n<ol class="toc">\n')
        for policy in self.policies:
            parts.append(f'<li><a href="{policy.page}">{esc(policy.heading)}</a>')
            inner = []
            for group in policy.groups:
                links = "".join(
                    f'<li><a href="{policy.page}#{m.key}">{esc(m.heading)}</a></li>\n' for m in group.measures
                )
                if group.title is None:
                    inner.append(links)
                else:
                    inner.append(f"<li>（{esc(normalize(group.title))}）\n<ul>\n{links}</ul></li>\n")
            if any(inner):
                parts.append(f"\n<ul>\n{''.join(inner)}</ul>")
            parts.append("</li>\n")
        parts.append("</ol>\n</nav>\n")
        parts.append(self.coverage_section())
        parts.append("</main>\n")
        return self.page(f"{self.title}（{self.year}）", "".join(parts))

    def policy_page(self, policy: Policy) -> str:
        nav = [f'<li><a href="{INDEX}">目次</a></li>']
        for other in self.policies:
            current = ' aria-current="page"' if other is policy else ""
            nav.append(f'<li><a href="{other.page}"{current}>{esc(node_heading(POLICY, other.number))}</a></li>')
        parts = [
            '<header class="site">\n',
            f'<p><a href="{INDEX}">{esc(self.title)}</a>\u3000<span class="word">{esc(self.year)}</span></p>\n',
            f'<nav class="pages" aria-label="ページ">\n<ul>{"".join(nav)}</ul>\n</nav>\n',
            "</header>\n",
            '<main id="main" tabindex="-1">\n',
            f'<h1 class="policy">{esc(policy.heading)}</h1>\n',
        ]
        for group in policy.groups:
            # headings never skip a level: a measure is h3 under a life stage (h2), else h2
            level = 2
            if group.title is not None:
                parts.append(f'<h2 class="stage">（{esc(normalize(group.title))}）</h2>\n')
                level = 3
            parts.extend(self.measure(policy, measure, level) for measure in group.measures)
        parts.append("</main>\n")
        return self.page(f"{policy.heading} | {self.title}（{self.year}）", "".join(parts))

    # --- a 個別施策 -------------------------------------------------------------------------

    def measure(self, policy: Policy, measure: Measure, level: int) -> str:
        heading = f'<h{level} id="{measure.key}">{esc(measure.heading)}</h{level}>\n'
        placements = measure.data["placements"]
        if not placements:
            return f'{heading}<p class="empty">{EMPTY_MEASURE}</p>\n'
        head = "".join(
            [
                '<th scope="col" class="name">事業・取組名称</th>',
                '<th scope="col" class="summary">概要</th>',
                *(f'<th scope="col" class="t">{esc(t)}</th>' for t in TARGETS),
                f'<th scope="col" class="results">{esc(results_header(self.document["fiscal_year"]))}</th>',
                '<th scope="col" class="divisions">所管</th>',
            ]
        )
        rows = "".join(
            self.row((policy.page, measure.key, i), p["program"], p["relisted"]) for i, p in enumerate(placements)
        )
        return (
            f"{heading}"
            f'<table class="programs">\n<caption>{esc(measure.heading)}の事業・取組（{len(placements)}件）</caption>\n'
            f"<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
        )

    def row(self, where: tuple[str, str, int], program_id: str, relisted: bool) -> str:
        """where: (page, measure key, position) of this placement."""
        program = self.programs[program_id]
        name = esc(normalize(program["name"]))
        home = self.anchors[program_id]
        anchored = home == where
        if relisted and not anchored:
            href = f"#{program_id}" if home[0] == where[0] else f"{home[0]}#{program_id}"
            name = f'<a href="{href}">{RELISTED}{name}</a>'
        elif relisted:
            name = RELISTED + name
        if program.get("alias"):
            name += f'<span class="alias">{ALIAS}{esc(normalize(program["alias"]))}</span>'
        targets = set(program["targets"])
        on = f'<span aria-hidden="true">{TICK}</span><span class="vh">{ON}</span>'
        off = f'<span class="vh">{OFF}</span>'
        ticks = "".join(
            f'<td class="t on" data-label="{esc(t)}">{on}</td>'
            if t in targets
            else f'<td class="t off" data-label="{esc(t)}">{off}</td>'
            for t in TARGETS
        )
        results = normalize(program.get("results") or "")
        if results.strip():
            results_cell = lines(results)
        else:
            results_cell = f'<span aria-hidden="true">{NO_RESULTS}</span><span class="vh">記載なし</span>'
        # one division a line; a name breaks only where it alone is wider than the column
        divisions = "".join(
            '<span class="line">'
            + " ".join(f'<span class="word">{esc(normalize(n))}</span>' for n in (d["department"], d["division"]) if n)
            + "</span>"
            for d in program["divisions"]
        )
        row_id = f' id="{program_id}"' if anchored else ""
        results_label = esc(results_header(self.document["fiscal_year"]))
        return (
            f'<tr{row_id}><th scope="row" class="name">{name}</th>'
            f'<td class="summary" data-label="概要">{lines(normalize(program.get("summary") or ""))}</td>'
            f"{ticks}"
            f'<td class="results" data-label="{results_label}">{results_cell}</td>'
            f'<td class="divisions" data-label="所管">{divisions}</td></tr>\n'
        )

    # --- coverage -------------------------------------------------------------------------

    def coverage_section(self) -> str:
        # imported here: the coverage module is core's, and only the index page needs it
        from kodomo_desktop.core.coverage import coverage

        return coverage_table(coverage(self.document), self.policies)


def coverage_table(cov: Coverage, policies: list[Policy]) -> str:
    """The coverage matrix as a table: one row group per 基本施策 (and life stage), totals in the footer."""
    headings = {p.number: p.heading for p in policies}
    head = "".join(
        [
            '<th scope="col">個別施策</th>',
            *(f'<th scope="col">{esc(t)}</th>' for t in cov.targets),
            '<th scope="col">事業数</th>',
        ]
    )
    width = len(cov.targets) + 2
    groups: list[str] = []
    current: tuple[int, str | None] | None = None
    for row in cov.rows:
        if (row.policy, row.stage) != current:
            current = (row.policy, row.stage)
            if groups:
                groups.append("</tbody>\n")
            label = headings.get(row.policy, node_heading(POLICY, row.policy))
            if row.stage is not None:
                label += f"（{normalize(row.stage)}）"
            groups.append(f'<tbody>\n<tr><th scope="rowgroup" colspan="{width}">{esc(label)}</th></tr>\n')
        cells = "".join(f'<td class="{shade(n)}">{n}</td>' for n in row.counts)
        title = f"{node_heading(MEASURE, row.measure)}\u3000{normalize(row.title)}"
        groups.append(f'<tr><th scope="row">{esc(title)}</th>{cells}<td>{row.programs}</td></tr>\n')
    if groups:
        groups.append("</tbody>\n")
    totals = "".join(f"<td>{n}</td>" for n in cov.totals)
    return (
        '<section aria-labelledby="coverage-title">\n'
        '<h2 id="coverage-title">対象別の事業・取組数</h2>\n'
        "<p>個別施策ごとに、各対象に届く事業・取組の数です。"
        "ひとつの事業・取組は、掲載されている個別施策ごとに1回数えます（【再掲】を含む）。"
        "色が濃いほど数が多いことを示します。</p>\n"
        '<div class="scroll" role="region" aria-labelledby="coverage-caption" tabindex="0">\n'
        '<table class="coverage">\n<caption id="coverage-caption">個別施策×対象の事業・取組数</caption>\n'
        f"<thead>\n<tr>{head}</tr>\n</thead>\n{''.join(groups)}"
        f'<tfoot>\n<tr><th scope="row">合計</th>{totals}<td>{cov.programs}</td></tr>\n</tfoot>\n'
        "</table>\n</div>\n</section>\n"
    )


def shade(count: int) -> str:
    """The cell's shading band: none, 1–2, 3–5, 6 or more."""
    return "c0" if count == 0 else "c1" if count < 3 else "c2" if count < 6 else "c3"
