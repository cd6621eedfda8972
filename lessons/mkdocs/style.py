"""The stylesheet the plugin adds to the site (``assets/lessons.css``).

It uses Material's colour variables when they exist, with fallbacks for MkDocs'
own themes, so cards and badges read in light and dark palettes.
"""

from __future__ import annotations

STYLESHEET = """\
:root {
  --lessons-accent: var(--md-primary-fg-color, #3f51b5);
  --lessons-muted: var(--md-default-fg-color--light, #6b6b6b);
  --lessons-line: var(--md-default-fg-color--lightest, rgba(0, 0, 0, .12));
  --lessons-surface: var(--md-code-bg-color, rgba(127, 127, 127, .07));
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
  font-size: .85em;
}
dl.lessons-card dt { margin: 0; font-weight: 600; color: var(--lessons-muted); }
dl.lessons-card dd { margin: 0; }
@media (max-width: 40em) {
  dl.lessons-card { grid-template-columns: 1fr; }
  dl.lessons-card dd { margin-bottom: .4em; }
}

/* Severity badges */
a.lessons-sev {
  display: inline-block;
  padding: 0 .55em;
  border-radius: 1em;
  font-size: .8em;
  font-weight: 700;
  line-height: 1.6;
  letter-spacing: .02em;
  color: #fff !important;
  background: #78909c;
  text-decoration: none;
  white-space: nowrap;
}
a.lessons-sev-0 { background: #7b1fa2; }
a.lessons-sev-1 { background: #c62828; }
a.lessons-sev-2 { background: #ef6c00; }
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
  color: inherit !important;
  text-decoration: none;
  font-size: .85em;
  transition: border-color .15s, transform .15s;
}
.lessons-stats a:hover { border-color: var(--lessons-accent); transform: translateY(-1px); }
.lessons-stats strong {
  display: block;
  font-size: 2em;
  line-height: 1.15;
  color: var(--lessons-accent);
}
form.lessons-search { display: flex; gap: .5em; margin: 1.2em 0 2em; }
form.lessons-search input {
  flex: 1;
  min-width: 0;
  padding: .65em .9em;
  font: inherit;
  font-size: .9em;
  color: inherit;
  background: var(--lessons-surface);
  border: 1px solid var(--lessons-line);
  border-radius: 6px;
}
form.lessons-search input:focus { outline: 2px solid var(--lessons-accent); outline-offset: 1px; }
form.lessons-search button {
  padding: .6em 1.2em;
  font: inherit;
  font-size: .85em;
  font-weight: 600;
  color: #fff;
  background: var(--lessons-accent);
  border: 0;
  border-radius: 6px;
  cursor: pointer;
}

/* Action items */
.lessons-overdue {
  display: inline-block;
  margin-left: .3em;
  padding: 0 .5em;
  border-radius: 1em;
  font-size: .8em;
  font-weight: 700;
  color: #fff;
  background: #c62828;
}

/* Insights charts */
.lessons-chart { margin: 1em 0 2em; color: var(--md-default-fg-color, #333); }
.lessons-chart svg { display: block; width: 100%; height: auto; }
"""
