"""The web edition's one style sheet, written beside the pages as style.css (no external request)."""

# Colours keep a contrast of at least 4.5:1 against their backgrounds (WCAG 1.4.3);
# the coverage shading is a background only, each cell still states its number.
CSS = """\
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; padding: 0 1rem 2rem; color: #1a1a1a; background: #fff; line-height: 1.7;
  font-family: "BIZ UDPGothic", "BIZ UDゴシック", "Hiragino Sans", "Yu Gothic", "Noto Sans CJK JP", "IPAexGothic",
    sans-serif;
  overflow-wrap: anywhere;
}
a { color: #0b4fa8; }
a:focus-visible, [tabindex]:focus-visible { outline: 3px solid #b34700; outline-offset: 2px; }
.vh {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
}
.skip { position: absolute; left: 1rem; top: -10rem; background: #fff; padding: 0.5rem 1rem; z-index: 10; }
.skip:focus { top: 0.5rem; }
header.site { border-bottom: 3px solid #2f5597; padding: 0.75rem 0 0.5rem; margin-bottom: 1rem; }
header.site p { margin: 0 0 0.25rem; font-weight: bold; }
nav.pages ul {
  list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem;
}
nav.pages a[aria-current="page"] { font-weight: bold; color: #1a1a1a; }
main { max-width: 110rem; margin: 0 auto; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; line-height: 1.4; margin: 1rem 0; }
main > h1.policy { background: #2f5597; color: #fff; padding: 0.5rem 0.75rem; font-size: 1.3rem; }
h2 { font-size: 1.2rem; line-height: 1.4; margin: 2rem 0 0.5rem; }
h3 { font-size: 1.1rem; line-height: 1.4; margin: 1.5rem 0 0.5rem; }
h2.stage { border-left: 6px solid #2f5597; padding-left: 0.5rem; }
.year, .issuer { font-size: 1.1rem; margin: 0.25rem 0; }
ol.toc, ol.toc ul { padding-left: 1.5rem; }
ol.toc > li { margin: 0.5rem 0; }
ol.toc li li { margin: 0.2rem 0; }
.empty { color: #444; }
table { border-collapse: collapse; width: 100%; margin: 0.25rem 0 1rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #6b6b6b; padding: 0.3rem 0.4rem; vertical-align: top; text-align: left; }
thead th { background: #dce5f2; vertical-align: middle; }
table.programs th.name { width: 16%; font-weight: bold; }
table.programs td.summary { width: 29%; }
table.programs td.results { width: 22%; }
table.programs td.divisions { width: 12%; }
table.programs .t { width: 2.6rem; text-align: center; vertical-align: middle; padding: 0.3rem 0.1rem; }
table.programs thead .t { font-size: 0.75rem; line-height: 1.2; }
.alias { display: block; font-weight: normal; }
.line { display: block; }
.word { display: inline-block; }
.scroll { overflow-x: auto; max-width: 100%; }
table.coverage { width: auto; min-width: 100%; }
table.coverage td { text-align: right; min-width: 2.6rem; }
table.coverage thead th { white-space: nowrap; }
/* the measure's name stays in view while the numbers scroll under it (a phone) */
table.coverage th[scope="row"] { min-width: 11rem; position: sticky; left: 0; background: #fff; }
table.coverage tbody th[scope="rowgroup"] { background: #eef1f6; }
table.coverage .c0 { background: #fff; color: #595959; }
table.coverage .c1 { background: #e3ecf8; }
table.coverage .c2 { background: #c6d8f0; }
table.coverage .c3 { background: #a9c4e8; }
table.coverage tfoot th, table.coverage tfoot td { font-weight: bold; border-top: 3px double #1a1a1a; }
footer.site { border-top: 1px solid #6b6b6b; margin-top: 2rem; padding-top: 0.5rem; }
footer.site p { margin: 0.5rem 0; }

/* a phone: each program becomes a card, each cell labelled; the ticked targets follow as chips */
@media screen and (max-width: 48rem) {
  body { padding: 0 0.75rem 2rem; }
  table.programs, table.programs tbody, table.programs tr, table.programs th, table.programs td {
    display: block; width: auto;
  }
  table.programs th.name, table.programs td.summary, table.programs td.results, table.programs td.divisions {
    width: auto;
  }
  table.programs thead {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%);
  }
  table.programs caption { display: block; }
  table.programs tr { border: 1px solid #6b6b6b; border-radius: 4px; margin: 0 0 0.75rem; padding: 0.5rem; }
  table.programs th, table.programs td { border: 0; padding: 0.2rem 0; }
  table.programs th.name { font-size: 1rem; border-bottom: 1px solid #c4c4c4; padding-bottom: 0.3rem; }
  table.programs td.summary::before, table.programs td.results::before, table.programs td.divisions::before {
    content: attr(data-label); display: block; font-weight: bold; font-size: 0.85rem; color: #2f5597;
  }
  table.programs td.t { display: inline-block; width: auto; margin: 0.2rem 0.3rem 0.2rem 0; padding: 0 0.5rem;
    border: 1px solid #2f5597; border-radius: 1rem; font-size: 0.85rem; }
  table.programs td.t.off { display: none; }
  table.programs td.t.on::after { content: attr(data-label); }
}

@media print {
  body { padding: 0; font-size: 9pt; line-height: 1.45; }
  .skip, nav.pages { display: none; }
  header.site { border-bottom: 1pt solid #000; }
  a { color: inherit; text-decoration: none; }
  main > h1.policy { background: none; color: #000; border: 2pt solid #000; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  th, td { border-color: #000; }
  thead th { background: none; }
  .scroll { overflow: visible; }
  table.coverage th[scope="row"] { position: static; }
}
"""
