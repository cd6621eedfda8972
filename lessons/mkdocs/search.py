"""The site's search index: lessons' own index, compiled for the browser.

`lessons search` ranks with BM25F over stemmed words, with typo tolerance at the
vocabulary level (`query.vocabulary`, `query.scoring`, `query.ranking`). The site
searches with the same numbers: this module writes the index's documents, the
stems with their per-field counts, and the words each stem was written as, to one
JSON file, and ``assets/search.js`` ranks over it as `Searcher.search` does. The
rules the ranker needs (field weights, BM25 constants, typo factors, stop words)
are written into the file from the Python constants, so the two cannot drift.

Only post-mortems and practices are indexed, as `lessons search` has them: the
generated pages (lists, browse pages, insights, action items) and the sections the
plugin adds to a page (related incidents, practices) never enter the index.

The format (version 1)::

    {"version": 1, "rules": {...}, "avg": [title, summary, labels, text],
     "docs": [[url, title, kind, date, severity, status, summary, causes, tags,
               services, [len_title, len_summary, len_labels, len_text]], ...],
     "stems": {stem: [postings, words], ...}}

``postings`` is a string of entries ``doc:counts`` separated by spaces: ``doc`` the
document's position in ``docs`` (hexadecimal), ``counts`` the stem's occurrences in
text, labels, summary and title, in that order and without trailing zeros, joined
by ``.`` (most entries are a body count alone). ``words`` lists the lower-case
words, other than the stem itself, that the stem was indexed from; a third item ``0``
says that the stem itself is not one of them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from ..kb import KnowledgeBase
from ..model import Document
from ..query.scoring import B, K1, WEIGHTS
from ..query.vocabulary import FUZZY_FACTOR, MAX_EXPANSIONS, PREFIX_FACTOR
from ..store.tokenize import STOPWORDS
from .markup import page_url, source_uri

INDEX = "search/lessons-index.json"
"""Where the index is written in the site (and in an exported docs tree)."""
SCRIPT = "assets/lessons-search.js"
STYLE = "assets/lessons-search.css"
PORTER2 = "vendor/porter2/index.js"
"""porter2.js 1.1.0 (MIT, npm ``porter2``), shipped whole with its licence: the English
Snowball stemmer for the query words the index has never seen."""
FORMAT_VERSION = 1
MAX_QUERY_WORDS = 32
SUMMARY_CHARS = 300
"""A result's snippet is its summary, cut at a word near this length."""


def asset_text(name: str) -> str:
    """The text of a file shipped in ``lessons/mkdocs/assets/``."""
    from importlib.resources import files

    return files("lessons.mkdocs").joinpath("assets", *name.split("/")).read_text(encoding="utf-8")


def script() -> str:
    """The site's search script: porter2.js, made a global as the browser needs, then ours."""
    # porter2.js is a CommonJS module; the function gives it the `exports` it writes to.
    return ("(function (exports) {\n" + asset_text(PORTER2) + "\n})(window.lessonsPorter2 = {});\n"
            + asset_text("search.js"))


def rules() -> dict[str, object]:
    """The ranking constants of `lessons search`, for the browser's ranker."""
    return {
        "weights": list(WEIGHTS), "k1": K1, "b": B,
        "fuzzy": [1.0, FUZZY_FACTOR[1], FUZZY_FACTOR[2]], "prefix": PREFIX_FACTOR,
        "expansions": MAX_EXPANSIONS, "maxWords": MAX_QUERY_WORDS,
        "stopwords": " ".join(sorted(STOPWORDS)),
    }


def compile_index(kb: KnowledgeBase, url_of: Callable[[Document], str]) -> str:
    """The search index of a knowledge base as compact JSON.

    Args:
        url_of: the address of a document's page, relative to the site's root.
    """
    index = kb.index
    rows = index.conn.execute(
        "SELECT key, id, len_title, len_summary, len_labels, len_text FROM documents ORDER BY key").fetchall()
    by_id = {doc.id: doc for doc in kb}
    position: dict[int, int] = {}
    docs: list[list[object]] = []
    for key, doc_id, *lengths in rows:
        doc = by_id.get(doc_id)
        if doc is None:
            continue
        position[key] = len(docs)
        docs.append(_document(doc, url_of(doc), [int(n) for n in lengths]))
    postings: dict[str, list[str]] = {}
    for key in position:
        for stem, counts in index.terms(key).items():
            postings.setdefault(stem, []).append(f"{position[key]:x}:{_counts(counts)}")
    words: dict[str, list[str]] = {}
    for word, stem in index.conn.execute("SELECT word, stem FROM words ORDER BY word"):
        if stem in postings:
            words.setdefault(stem, []).append(word)
    stems: dict[str, list[object]] = {}
    for stem, entries in sorted(postings.items()):
        written = words.get(stem, [])
        others = " ".join(w for w in written if w != stem)
        # A third item, 0, says that the stem itself was never written as a word (so a
        # typo is not matched against it: typos match written words only).
        stems[stem] = [" ".join(entries), others] if stem in written else [" ".join(entries), others, 0]
    lengths = [row[2:] for row in rows if row[0] in position]
    count = max(len(lengths), 1)
    avg = [max(sum(n[i] for n in lengths) / count, 1.0) for i in range(4)]
    data = {"version": FORMAT_VERSION, "rules": rules(), "avg": avg, "docs": docs, "stems": stems}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _document(doc: Document, url: str, lengths: list[int]) -> list[object]:
    summary = doc.summary
    if not summary:
        section = doc.section("summary")
        summary = section.text if section else ""
    return [url, doc.title, doc.kind.value, doc.date.isoformat() if isinstance(doc.date, date) else None,
            doc.severity, doc.status.value, _cut(" ".join(summary.split()), SUMMARY_CHARS),
            list(doc.causes), list(doc.tags), list(doc.services), lengths]


def _counts(counts: tuple[int, ...]) -> str:
    """A stem's counts in text, labels, summary and title, without trailing zeros."""
    ordered = [counts[3], counts[2], counts[1], counts[0]]
    while len(ordered) > 1 and ordered[-1] == 0:
        ordered.pop()
    return ".".join(str(n) for n in ordered)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    end = text.rfind(" ", 0, limit)
    return text[:end if end > limit // 2 else limit].rstrip(" ,;:") + "…"


def site_search_files(kb: KnowledgeBase, files: Any, config: Any) -> dict[str, str]:
    """The index, script and stylesheet of the site search, by path in the site (for the plugin).

    Args:
        files: MkDocs' `Files` of the build, whose addresses are final (clean addresses
            included), so that a result links where the page is.
    """
    def url_of(doc: Document) -> str:
        found = files.get_file_from_path(source_uri(doc, kb))
        return str(found.url) if found is not None else page_url(source_uri(doc, kb),
                                                               directory_urls=config.use_directory_urls)

    return {SCRIPT: script(), STYLE: asset_text("search.css"), INDEX: compile_index(kb, url_of)}


def uses_site_search(config: Any, log: logging.Logger) -> None:
    """Add the search's script and stylesheet to a MkDocs configuration.

    The ``search`` plugin's index is downloaded on every first page and forgives no
    typo; with both, the theme would show two search boxes, so its listing is named.
    """
    if SCRIPT not in [str(s) for s in config.extra_javascript]:
        config.extra_javascript.append(SCRIPT)
    if STYLE not in config.extra_css:
        config.extra_css.append(STYLE)
    if any(name in config.plugins for name in ("search", "material/search")):
        log.info("lessons: the site has lessons' search; remove `search` from `plugins` in mkdocs.yml "
                 "(its index is downloaded on every page and forgives no typos)")

