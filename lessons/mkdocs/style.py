"""The stylesheet the plugin adds to the site (``assets/lessons.css``).

Every colour comes from Material's own variables (with fallbacks for MkDocs' own
themes), and the plugin's variables are set on every element that carries a colour
scheme, not on ``:root`` only: Material sets its dark (``slate``) values on
``[data-md-color-scheme="slate"]``, and a custom property is resolved where it is
declared, so one set on ``:root`` would keep the light values under a dark page.

Text contrast is at least 4.5:1 in both schemes (WCAG AA): badge colours are dark
enough for white text, and labels use the body text colour, told apart by weight.
Two rules lift parts of Material's own frame (its tabs and footer) that fall short with
the palette `lessons init` writes.
Under 45em (Material's phone breakpoint) the generated tables become one card per
row, each cell labelled with its column (``data-label``, added by the plugin).
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^<>]*>")  # stops at the next "<": linear on text full of them


def label_table_cells(page: str) -> str:
    """Each body cell of a generated page's tables with its column's name (``data-label``).

    On a phone the stylesheet shows a table as one card per row, and a cell's label is
    what tells "2 h" under Duration from "2" under Incidents. Plain string scanning
    (no backtracking pattern), so a page of any size costs one pass.
    """
    out: list[str] = []
    position = 0
    while (start := page.find("<table>", position)) != -1:
        end = page.find("</table>", start)
        if end == -1:
            break
        out += [page[position:start], _label_table(page[start:end])]
        position = end
    return "".join(out) + page[position:]


def _label_table(table: str) -> str:
    """One ``<table>…`` (without its closing tag) with labelled body cells."""
    head, found, body = table.partition("</thead>")
    if not found:
        return table
    names = []
    for cell in head.partition("<thead>")[2].split("<th")[1:]:  # after "<thead>", itself a "<th…"
        inner = cell.partition(">")[2].partition("</th>")[0]
        names.append(html.escape(html.unescape(_TAG.sub("", inner)).strip(), quote=True))
    rows = body.split("<tr>")
    for number, row in enumerate(rows[1:], start=1):
        cells = row.split("<td")
        rows[number] = cells[0] + "".join(
            f'<td data-label="{names[k] if k < len(names) else ""}"{cell}' for k, cell in enumerate(cells[1:]))
    return head + found + "<tr>".join(rows)


_TASK_BOX = re.compile(r'<input type="checkbox" disabled(?:="")?( checked(?:="")?)?>')


def label_task_checkboxes(page: str) -> str:
    """Each task-list checkbox named "done" or "open" (pymdownx.tasklist writes them without a label)."""
    return _TASK_BOX.sub(lambda m: f'<input type="checkbox" disabled{m.group(1) or ""} '
                         f'aria-label="{"done" if m.group(1) else "open"}">', page)


STYLESHEET = """\
:root, [data-md-color-scheme] {
  --lessons-accent: var(--md-primary-fg-color, #3f51b5);
  --lessons-link: var(--md-typeset-a-color, #3f51b5);
  --lessons-text: var(--md-typeset-color, var(--md-default-fg-color, #222));
  --lessons-muted: var(--md-default-fg-color--light, #595959);
  --lessons-line: var(--md-default-fg-color--lightest, rgba(0, 0, 0, .12));
  --lessons-surface: var(--md-code-bg-color, rgba(127, 127, 127, .07));
  --lessons-page: var(--md-default-bg-color, #fff);
}

/* Links in running text are underlined: told apart from the text by more than colour (WCAG 1.4.1). */
.md-typeset :is(p, li, dd, td) > a:not([class]) {
  text-decoration: underline;
  text-decoration-thickness: from-font;
  text-underline-offset: .15em;
}

/* The metadata card on a post-mortem page */
dl.lessons-card {
  display: grid;
  grid-template-columns: max-content 1fr;
  gap: .35em 1.2em;
  margin: 0 0 1.6em;
  padding: .9em 1.2em;
  border: 1px solid var(--lessons-line);
  border-left: 4px solid var(--lessons-accent);
  border-radius: 6px;
  background: var(--lessons-surface);
  color: var(--lessons-text);
  font-size: .85em;
}
dl.lessons-card dt { margin: 0; font-weight: 700; color: var(--lessons-text); }
dl.lessons-card dd { margin: 0; overflow-wrap: anywhere; }
/* On the card's surface the theme's link colour can fall under 4.5:1 (indigo on slate): text colour, underlined. */
dl.lessons-card dd > a:not(.lessons-sev) { color: var(--lessons-text); text-decoration: underline; }
.lessons-tags { display: inline-flex; flex-wrap: wrap; gap: .3em; margin: 0; padding: 0; list-style: none; }
.md-typeset .lessons-tags li { margin: 0; }
.lessons-tags a {
  display: inline-block;
  padding: 0 .5em;
  border: 1px solid var(--lessons-line);
  border-radius: 1em;
  background: var(--lessons-page);
}
@media (max-width: 40em) {
  dl.lessons-card { grid-template-columns: 1fr; }
  dl.lessons-card dd { margin-bottom: .4em; }
}

/* Severity badges: white text on at least 5:1, in either scheme */
a.lessons-sev {
  display: inline-block;
  padding: 0 .55em;
  border-radius: 1em;
  font-size: .8em;
  font-weight: 700;
  line-height: 1.6;
  letter-spacing: .02em;
  color: #fff !important;
  background: #546e7a;
  text-decoration: none;
  white-space: nowrap;
}
a.lessons-sev-0 { background: #6a1b9a; }
a.lessons-sev-1 { background: #b71c1c; }
a.lessons-sev-2 { background: #b34700; }
a.lessons-sev-3 { background: #f9a825; color: #222 !important; }
a.lessons-sev-4 { background: #2e7d32; }
a.lessons-sev-5 { background: #1565c0; }

/* Home page */
.lessons-stats {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(6.5em, 1fr));
  gap: .8em;
  margin: 1.4em 0;
}
.lessons-stats a {
  display: block;
  padding: .8em 1em;
  border: 1px solid var(--lessons-line);
  border-radius: 8px;
  background: var(--lessons-surface);
  color: var(--lessons-text) !important;
  text-decoration: none;
  font-size: .85em;
  transition: border-color .15s, transform .15s;
}
.lessons-stats a:hover { border-color: var(--lessons-accent); transform: translateY(-1px); }
.lessons-stats strong {
  display: block;
  font-size: 2em;
  line-height: 1.15;
  color: var(--lessons-link);
}
form.lessons-search { display: flex; gap: .5em; margin: 1.2em 0 2em; }
form.lessons-search input {
  flex: 1;
  min-width: 0;
  padding: .65em .9em;
  font: inherit;
  font-size: .9em;
  color: var(--lessons-text);
  background: var(--lessons-surface);
  border: 1px solid var(--md-default-fg-color--lighter, #8a8a8a);
  border-radius: 6px;
}
form.lessons-search input::placeholder { color: var(--lessons-muted); opacity: 1; }
form.lessons-search input:focus { outline: 2px solid var(--lessons-accent); outline-offset: 1px; }
form.lessons-search button {
  padding: .6em 1.2em;
  font: inherit;
  font-size: .85em;
  font-weight: 600;
  color: var(--md-primary-bg-color, #fff);
  background: var(--lessons-accent);
  border: 0;
  border-radius: 6px;
  cursor: pointer;
}

/* Action items */
.lessons-overdue, .lessons-state {
  display: inline-block;
  margin-left: .3em;
  padding: 0 .5em;
  border-radius: 1em;
  font-size: .8em;
  font-weight: 700;
  white-space: nowrap;
}
.lessons-overdue { color: #fff; background: #b71c1c; }
.lessons-state { border: 1px solid currentColor; }
.lessons-state-open { color: var(--lessons-text); }
.lessons-state-done { color: var(--lessons-text); opacity: 1; }
.lessons-filter { display: flex; flex-wrap: wrap; gap: .4em 1em; align-items: center; margin: 1em 0; }
.lessons-filter label { display: inline-flex; gap: .3em; align-items: center; cursor: pointer; }
/* The status filter: the radio buttons choose which rows show, no script needed. */
.md-typeset:has(#lessons-show-open:checked) tr:has(.lessons-state-done),
.md-typeset:has(#lessons-show-done:checked) tr:has(.lessons-state-open),
.md-typeset:has(#lessons-show-open:checked) .lessons-group:not(.lessons-has-open),
.md-typeset:has(#lessons-show-done:checked) .lessons-group:not(.lessons-has-done) { display: none; }

/* Practices: the full list of incidents behind a disclosure */
details.lessons-more > summary { cursor: pointer; }

/* Tables the plugin generates (their cells carry data-label): one card per row on a phone */
@media (max-width: 44.9375em) {
  .md-typeset__scrollwrap:has(td[data-label]) { margin: 0; overflow: visible; }
  .md-typeset__table:has(td[data-label]) { display: block; padding: 0; }
  .md-typeset table:has(td[data-label]), table:has(td[data-label]) :is(thead, tbody, tr, td) {
    display: block;
    width: auto;
  }
  .md-typeset table:not([class]):has(td[data-label]) { border: 0; font-size: .75rem; }
  table:has(td[data-label]) thead {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  }
  .md-typeset table:has(td[data-label]) tr {
    margin: 0 0 .8em;
    padding: .5em .8em;
    border: 1px solid var(--lessons-line);
    border-radius: 6px;
  }
  .md-typeset table:not([class]):has(td[data-label]) td { padding: .15em 0; border: 0; overflow-wrap: anywhere; }
  td[data-label]::before { content: attr(data-label) ": "; font-weight: 700; }
  td[data-label=""]::before { content: none; }
}

/* Material's own frame, where the default palette (white on indigo) falls short of 4.5:1: the
   tabs it is not on are dimmed to 70% white (4.3:1; 80% is 5.0:1), and the footer's "Made with"
   line is 45% white on near-black (4.47:1). The tab a reader is on stays at full white. */
.md-tabs__link { opacity: .8; }
.md-copyright { color: var(--md-footer-fg-color--light, rgba(255, 255, 255, .7)); }

/* Insights charts: a wide drawing, and a narrow one with the same text size for phones */
.lessons-chart { margin: 1em 0 .5em; color: var(--lessons-text); }
/* Material centres a figure and shrinks it to its content: a chart takes the column's width. */
.md-typeset figure.lessons-chart { display: block; width: auto; max-width: 100%; margin: 1em 0 2em; }
.md-typeset figure.lessons-chart figcaption { max-width: none; margin: .4em 0; font-style: normal; }
.lessons-chart svg { display: block; width: 100%; height: auto; }
.lessons-chart svg a:focus { outline: 2px solid var(--lessons-accent); }
.lessons-chart-narrow { display: none; }
@media (max-width: 44.9375em) {
  .lessons-chart-wide { display: none; }
  .lessons-chart-narrow { display: block; }
}
"""
