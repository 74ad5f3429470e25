"""The HTML page: one self-contained file (its style inline, its figures inline as base64 PNG, no script, no
font or file fetched from anywhere) that any browser opens without a server, and prints. A title, the
contents (a link to each section and figure), then the sections, each of its blocks laid out in turn."""
import datetime
from html import escape

from .blocks import Cards, Cell, Facts, Figure, Paragraph, Table

STYLE = """
:root { color-scheme: light; --fg: #1b1f24; --muted: #59636e; --line: #d5dbe1; --band: #f4f6f8; --accent: #1f5fa8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: #fff;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial,
             sans-serif; }
header, nav, main, footer { max-width: 1340px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 22px; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .8rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.12rem; margin: 1.6rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 .4rem; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.subtitle { margin: 0; color: var(--muted); font-size: 1.02rem; }
nav { margin-top: 1rem; }
nav > ol { margin: 0; padding: .6rem 1rem .6rem 2.2rem; background: var(--band); border: 1px solid var(--line);
           border-radius: 6px; }
nav li { margin: .1rem 0; }
nav ol ol { display: flex; flex-wrap: wrap; gap: 0 1.3rem; list-style: none; margin: .1rem 0 .2rem; padding: 0;
            font-size: .9rem; }
nav ol ol li.with-figures { flex-basis: 100%; }
nav ol.figures { padding-left: 1.2rem; font-size: .86rem; }
section { scroll-margin-top: 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .7rem; margin: .6rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .55rem .8rem .6rem; background: var(--band); }
.card .label { display: block; color: var(--muted); font-size: .82rem; }
.card .value { display: block; font-size: 1.4rem; font-weight: 600; font-variant-numeric: tabular-nums;
               overflow-wrap: anywhere; }
.card .detail { display: block; color: var(--muted); font-size: .8rem; }
.table-wrap { overflow-x: auto; margin: .4rem 0 .3rem; max-width: 100%; }
table { border-collapse: collapse; font-size: .875rem; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; font-size: 1.05rem; padding: .2rem 0 .45rem;
          white-space: nowrap; }
th, td { padding: .32rem .65rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--band); border-bottom: 2px solid #b6bfc8; font-weight: 600; vertical-align: bottom;
           min-width: 5.5rem; }
tbody tr:nth-child(even) td, tbody tr:nth-child(even) th { background: #fafbfc; }
tr.run-start > * { border-top: 2px solid #b6bfc8; }
.num { text-align: right; white-space: nowrap; }
.text { text-align: left; }
tbody th { text-align: left; font-weight: 600; white-space: nowrap; }
tbody th .detail { white-space: normal; }
td.text { max-width: 24rem; }
.unit { display: block; font-weight: 400; color: var(--muted); font-size: .78rem; white-space: nowrap; }
.detail { display: block; color: var(--muted); font-size: .76rem; font-weight: 400; }
.table-note, p.note { color: var(--muted); font-size: .86rem; max-width: 62rem; margin: .3rem 0 1.3rem; }
.description { white-space: pre-line; max-width: 62rem; margin: .4rem 0 1rem; padding: .1rem 0 .1rem .9rem;
               border-left: 3px solid var(--accent); }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .2rem 1.2rem; margin: .6rem 0 1.4rem;
           font-size: .92rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
figure { margin: .3rem 0 2.2rem; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 3px; }
figcaption { color: var(--muted); font-size: .9rem; max-width: 62rem; margin: .4rem 0 0; }
footer { margin: 3rem auto 2rem; color: var(--muted); font-size: .82rem; border-top: 1px solid var(--line);
         padding-top: .6rem; }
@media print {
  nav { display: none; }
  figure, .table-wrap, .cards { break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
"""


def text(value):
    return escape(str(value), quote=True)


def cell_html(cell, tag, css, scope=""):
    cell = cell if isinstance(cell, Cell) else Cell(str(cell))
    detail = f'<span class="detail">{text(cell.detail)}</span>' if cell.detail else ""
    return f'<{tag} class="{css}"{scope}>{text(cell.text)}{detail}</{tag}>'


def table_html(table, key):
    css = ["num" if c.numeric else "text" for c in table.columns]
    css[0] = "text"
    head = "".join(f'<th scope="col" class="{k}">{text(c.title)}'
                   + (f'<span class="unit">{text(c.unit)}</span>' if c.unit else "") + "</th>"
                   for c, k in zip(table.columns, css))
    body = []
    previous = None
    for row in table.rows:
        name = row[0].text if isinstance(row[0], Cell) else str(row[0])
        same = table.grouped and name == previous
        first = cell_html(Cell("") if same else row[0], "th", css[0], ' scope="row"')
        cells = [first] + [cell_html(c, "td", k) for c, k in zip(row[1:], css[1:])]
        start = ' class="run-start"' if table.grouped and not same and previous is not None else ""
        body.append(f"<tr{start}>" + "".join(cells) + "</tr>")
        previous = name
    note = f'<p class="table-note">{text(table.note)}</p>' if table.note else ""
    return (f'<div class="table-wrap" id="{text(key)}"><table><caption>{text(table.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{note}")


def cards_html(cards):
    items = "".join(f'<div class="card"><span class="label">{text(c.label)}</span>'
                    f'<span class="value">{text(c.value)}</span>'
                    + (f'<span class="detail">{text(c.detail)}</span>' if c.detail else "") + "</div>"
                    for c in cards.cards)
    note = f'<p class="note">{text(cards.note)}</p>' if cards.note else ""
    return f'<div class="cards">{items}</div>{note}'


def facts_html(facts):
    items = "".join(f"<dt>{text(name)}</dt><dd>{text(value)}</dd>" for name, value in facts.items)
    return f'<dl class="facts">{items}</dl>'


def figure_html(figure, key, level):
    return (f'<figure id="{text(key)}" data-figure="{text(figure.name)}">'
            f"<h{level}>{text(figure.title)}</h{level}>"
            f'<img alt="{text(figure.title)}" width="{figure.width_px}" height="{figure.height_px}" '
            f'src="data:image/png;base64,{figure.png_base64}">'
            f"<figcaption>{text(figure.caption)}</figcaption></figure>")


def block_html(block, section, level):
    if isinstance(block, Table):
        return table_html(block, f"{section.key}-{block.key}")
    if isinstance(block, Cards):
        return cards_html(block)
    if isinstance(block, Facts):
        return facts_html(block)
    if isinstance(block, Figure):
        return figure_html(block, f"{section.key}-{block.name}", level)
    if isinstance(block, Paragraph):
        css = f' class="{block.kind}"' if block.kind else ""
        return f"<p{css}>{text(block.text)}</p>"
    raise TypeError(f"no HTML for {type(block).__name__}")


def section_html(section, level=2):
    inner = "".join(block_html(b, section, level + 1) for b in section.blocks)
    inner += "".join(section_html(s, level + 1) for s in section.subsections)
    return f'<section id="{text(section.key)}"><h{level}>{text(section.title)}</h{level}>{inner}</section>'


def contents_html(sections):
    """A link to each section, its subsections on a line below it, and its figures on a line of their own."""
    def entry(section):
        figures = [(f"{section.key}-{b.name}", b.title) for b in section.blocks if isinstance(b, Figure)]
        listed = "".join(f'<li><a href="#{text(key)}">{text(title)}</a></li>' for key, title in figures)
        inner = "".join(entry(s) for s in section.subsections)
        sub = (f'<ol class="figures">{listed}</ol>' if listed else "") + (f"<ol>{inner}</ol>" if inner else "")
        css = ' class="with-figures"' if listed else ""
        return f'<li{css}><a href="#{text(section.key)}">{text(section.title)}</a>{sub}</li>'

    return f'<nav aria-label="Contents"><ol>{"".join(entry(s) for s in sections)}</ol></nav>'


def page_html(report, written_by):
    """The whole page of a Report; `written_by` names the program in the footer."""
    now = datetime.datetime.now().astimezone()
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(report.title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{text(report.title)}</h1><p class=\"subtitle\">{text(report.subtitle)}</p></header>"
        f"{contents_html(report.sections)}"
        f"<main>{''.join(section_html(s) for s in report.sections)}</main>"
        f"<footer>Written by {text(written_by)} on {now:%Y-%m-%d %H:%M %Z}. Figures as plot_results.py draws "
        "them; the files' layout is in capsim's docs/output.md.</footer>"
        "</body></html>\n")
