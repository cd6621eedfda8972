/* lessons site search: the ranking of `lessons search`, over the index that
 * lessons/mkdocs/search.py compiles. The numbers (field weights, BM25 constants,
 * typo factors, stop words) come from the index; the steps mirror
 * lessons/query/ranking.py, vocabulary.py and scoring.py. Plain ES2018, no build. */
(function () {
  "use strict";
  var SCRIPT = document.currentScript;
  var PORTER2 = window.lessonsPorter2 && window.lessonsPorter2.stem;
  var INDEX_URL = new URL("../search/lessons-index.json", SCRIPT ? SCRIPT.src : location.href).href;
  var A = "[\\p{L}\\p{N}\\p{M}]";
  var TOKEN = new RegExp(A + "+(?:['\u2019]" + A + "+)*(?:[-_./:]" + A + "+(?:['\u2019]" + A + "+)*)*", "gu");
  var ALNUM = new RegExp("^" + A + "+$", "u");
  var ALPHA = /^[\p{L}\p{M}]+$/u;
  var PART = /[-_./:]/;
  var FILTER = /(?:^|\s)(kind|cause|tag|service|severity|year|status):(\S+)/gi;
  var FIELDS = ["title", "summary", "labels", "text"];
  var SIGN = { exact: "=", prefix: "\u2026", fuzzy: "~" };
  var LIMIT = 10;
  var index = null;
  var loading = null;

  /* ---- the index ---- */
  function load() {
    if (!loading) {
      loading = fetch(INDEX_URL).then(function (r) {
        if (!r.ok) throw new Error("search index: HTTP " + r.status);
        return r.json();
      }).then(function (data) { index = prepare(data); return index; });
    }
    return loading;
  }

  function prepare(data) {
    var stems = new Map(), wordStem = new Map(), byLength = new Map(), all = [];
    Object.keys(data.stems).forEach(function (stem) {
      var item = data.stems[stem];
      stems.set(stem, item[0]);  // postings stay text until a query needs them (entries())
      var words = item[1] ? item[1].split(" ") : [];
      if (item.length < 3) words.push(stem);
      words.forEach(function (w) {
        wordStem.set(w, stem);
        all.push(w);
        if (ALPHA.test(w)) {
          var n = Array.from(w).length;
          if (!byLength.has(n)) byLength.set(n, []);
          byLength.get(n).push(w);
        }
      });
    });
    all.sort(byCodePoint);
    var rules = data.rules;
    return {
      docs: data.docs, avg: data.avg, rules: rules, stems: stems, parsed: new Map(), counts: new Map(),
      wordStem: wordStem, byLength: byLength, words: all, stop: new Set(rules.stopwords.split(" "))
    };
  }

  // A stem's postings as [document, [title, summary, labels, text]], parsed once.
  function entries(stem) {
    var found = index.parsed.get(stem);
    if (found) return found;
    var raw = index.stems.get(stem);
    found = [];
    if (raw) {
      raw.split(" ").forEach(function (entry) {
        var parts = entry.split(":"), c = parts[1].split(".").map(Number);
        // counts arrive as text, labels, summary, title; FIELDS order is the reverse
        found.push([parseInt(parts[0], 16), [c[3] || 0, c[2] || 0, c[1] || 0, c[0] || 0]]);
      });
    }
    index.parsed.set(stem, found);
    return found;
  }

  function byCodePoint(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function df(stem) {
    var n = index.counts.get(stem);
    if (n === undefined) {
      var raw = index.stems.get(stem);
      n = raw ? raw.split(" ").length : 0;
      index.counts.set(stem, n);
    }
    return n;
  }

  /* ---- words, as lessons/store/tokenize.py reads them ---- */
  function surfaceWords(text) {
    var out = [];
    (text.toLowerCase().match(TOKEN) || []).forEach(function (word) {
      if (ALNUM.test(word)) { out.push(word); return; }
      word = word.replace(/['\u2019]s$/, "").replace(/['\u2019]/g, "");
      if (PART.test(word)) {
        word = word.replace(/^[-_./:]+|[-_./:]+$/g, "");
        out.push(word);
        word.split(/[-_./:]/).forEach(function (p) { if (p) out.push(p); });
      } else if (word) {
        out.push(word);
      }
    });
    return out.filter(function (w) { return !index.stop.has(w) && (w.length > 1 || /^\d+$/.test(w)); });
  }

  // The index maps every indexed word to its Snowball stem; a word it never saw is
  // stemmed by porter2.js (vendor/porter2: the same algorithm as the Python stemmer,
  // but for the few exceptions Snowball added since, such as "emergency").
  function stemOf(word) {
    if (!ALPHA.test(word)) return word;
    if (index.wordStem.has(word)) return index.wordStem.get(word);
    return PORTER2 ? PORTER2(word) : word;
  }

  /* ---- typo tolerance, as lessons/query/vocabulary.py ---- */
  function osa(a, b, max) {
    // optimal string alignment: a swap of two neighbouring letters is one edit
    a = Array.from(a); b = Array.from(b);
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      var row = [i], low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
        row.push(d);
        if (d < low) low = d;
      }
      if (low > max) return max + 1;
      prev2 = prev; prev = row;
    }
    return prev[b.length];
  }

  function fuzzy(word) {
    var n = Array.from(word).length, max = n >= 9 ? 2 : 1, found = [];
    for (var len = n - max; len <= n + max; len++) {
      (index.byLength.get(len) || []).forEach(function (w) {
        var d = osa(word, w, max);
        if (d <= max) found.push([d, -df(index.wordStem.get(w)), w]);
      });
    }
    found.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1] || byCodePoint(x[2], y[2]); });
    var best = [], seen = new Set();
    found.forEach(function (f) {
      var stem = index.wordStem.get(f[2]);
      if (!seen.has(stem) && f[1]) {
        seen.add(stem);
        best.push({ query: word, stem: stem, word: f[2], how: "fuzzy", factor: index.rules.fuzzy[f[0]] });
      }
    });
    return best.slice(0, index.rules.expansions);
  }

  function expand(word, prefix) {
    var terms = [], exact = stemOf(word);
    if (df(exact)) terms.push({ query: word, stem: exact, word: word, how: "exact", factor: 1 });
    else if (ALPHA.test(word) && word.length >= 5) terms = terms.concat(fuzzy(word));
    if (prefix && word.length >= 2) {
      var words = index.words, lo = 0, hi = words.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (words[mid] <= word) lo = mid + 1; else hi = mid; }
      var completions = [];
      for (var k = lo; k < words.length && words[k].startsWith(word); k++) completions.push(words[k]);
      completions = completions.map(function (w) { return [w, index.wordStem.get(w)]; })
        .sort(function (x, y) { return df(y[1]) - df(x[1]) || byCodePoint(x[0], y[0]); }).slice(0, 40);
      var seen = new Set(terms.map(function (t) { return t.stem; }));
      completions.forEach(function (c) {
        if (!seen.has(c[1]) && seen.size < index.rules.expansions + 1) {
          seen.add(c[1]);
          terms.push({ query: word, stem: c[1], word: c[0], how: "prefix", factor: index.rules.prefix });
        }
      });
    }
    return terms;
  }

  /* ---- ranking, as lessons/query/scoring.py and ranking.py ---- */
  function bm25(term, n) {
    var r = index.rules, postings = entries(term.stem), out = [];
    var idf = Math.log(1 + (n - postings.length + 0.5) / (postings.length + 0.5));
    postings.forEach(function (e) {
      var lens = index.docs[e[0]][10], weighted = 0;
      for (var f = 0; f < 4; f++) {
        weighted += e[1][f] / (1 - r.b + r.b * lens[f] / index.avg[f]) * r.weights[f];
      }
      out.push([e[0], idf * term.factor * (r.k1 + 1) * weighted / (weighted + r.k1)]);
    });
    return out;
  }

  function parse(query) {
    var filters = {};
    var text = query.replace(FILTER, function (_, name, value) {
      (filters[name.toLowerCase()] = filters[name.toLowerCase()] || []).push(value.toLowerCase());
      return " ";
    });
    return { text: text, filters: filters };
  }

  function allowed(doc, f) {
    function any(name, values) {
      return !f[name] || values.some(function (v) { return f[name].indexOf(String(v).toLowerCase()) >= 0; });
    }
    var kind = f.kind ? f.kind.map(function (k) { return k.replace(/s$/, "").replace("-", ""); }) : null;
    return (!kind || kind.indexOf(doc[2]) >= 0) && any("cause", doc[7]) && any("tag", doc[8]) &&
      any("service", doc[9]) && any("status", [doc[5]]) &&
      (!f.severity || doc[4] !== null && f.severity.indexOf(String(doc[4]).replace(/^sev/i, "")) >= 0) &&
      (!f.year || doc[3] !== null && f.year.indexOf(doc[3].slice(0, 4)) >= 0);
  }

  function search(query, extra) {
    var parsed = parse(query), filters = parsed.filters;
    Object.keys(extra || {}).forEach(function (k) { if (extra[k]) filters[k] = [extra[k]]; });
    var seenWords = new Set(), words = [];
    surfaceWords(parsed.text.slice(0, 10000)).forEach(function (w) {
      if (!seenWords.has(w) && words.length < index.rules.maxWords) { seenWords.add(w); words.push(w); }
    });
    if (!words.length) return { words: words, results: [] };
    var typedLast = /[\p{L}\p{N}_]$/u.test(parsed.text);
    var n = index.docs.length, totals = new Float64Array(n), matched = new Float64Array(n), used = [];
    words.forEach(function (word, position) {
      var terms = expand(word, typedLast && position === words.length - 1);
      if (!terms.length) return;
      var best = new Float64Array(n);
      terms.forEach(function (t) {
        bm25(t, n).forEach(function (s) { if (s[1] > best[s[0]]) best[s[0]] = s[1]; });
      });
      used = used.concat(terms);
      for (var d = 0; d < n; d++) { totals[d] += best[d]; if (best[d] > 0) matched[d] += 1; }
    });
    var ranked = [];
    for (var d = 0; d < n; d++) {
      var score = totals[d] * Math.pow(matched[d] / words.length, 2);
      if (score > 0 && allowed(index.docs[d], filters)) ranked.push([score, d]);
    }
    ranked.sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
    return {
      words: words,
      results: ranked.slice(0, LIMIT).map(function (r) {
        return { doc: index.docs[r[1]], score: r[0], why: why(r[1], used), stems: new Set(used.map(function (t) { return t.stem; })) };
      })
    };
  }

  // One reason per query word and document word, in the most important field (ranking._why).
  function why(d, terms) {
    var byStem = new Map();
    terms.forEach(function (t) { if (!byStem.has(t.stem)) byStem.set(t.stem, []); byStem.get(t.stem).push(t); });
    var found = [];
    byStem.forEach(function (_, stem) {
      entries(stem).forEach(function (e) {
        if (e[0] === d) e[1].forEach(function (tf, f) { if (tf) found.push([f, stem]); });
      });
    });
    found.sort(function (x, y) { return x[0] - y[0] || byCodePoint(x[1], y[1]); });
    var all = [], keys = new Set();
    found.forEach(function (f) {
      byStem.get(f[1]).forEach(function (t) {
        var key = t.query + "\u0000" + t.word + "\u0000" + f[0];
        if (!keys.has(key)) { keys.add(key); all.push({ query: t.query, word: t.word, field: FIELDS[f[0]], how: t.how }); }
      });
    });
    var whole = all.filter(function (m) { return /[-_./:]/.test(m.query); }).map(function (m) { return m.query; });
    var parts = new Set();
    whole.forEach(function (w) { w.split(/[-_./:]/).forEach(function (p) { parts.add(p); }); });
    var out = [], pairs = new Set();
    all.forEach(function (m) {
      if (parts.has(m.query) && whole.indexOf(m.query) < 0) return;
      var pair = m.query + "\u0000" + m.word;
      if (!pairs.has(pair)) { pairs.add(pair); out.push(m.query + " " + SIGN[m.how] + " " + m.word + " (" + m.field + ")"); }
    });
    return out;
  }

  /* ---- the search dialog ---- */
  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';
  var ui = null;

  function element(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text) el.textContent = text;
    return el;
  }

  function option(select, value, text) { select.appendChild(element("option", { value: value }, text)); }

  function build() {
    var dialog = element("dialog", { class: "lessons-search-dialog", "aria-label": "Search the knowledge base" });
    var form = element("form", { role: "search", class: "lessons-search-form" });
    var input = element("input", {
      type: "search", name: "q", autocomplete: "off", spellcheck: "false", "aria-label": "Search the knowledge base",
      placeholder: "Have we seen this before?", "aria-describedby": "lessons-search-hint", "aria-controls": "lessons-search-results"
    });
    var close = element("button", { type: "button", class: "lessons-search-close", "aria-label": "Close search" }, "\u00d7");
    var row = element("div", { class: "lessons-search-filters" });
    var kind = element("select", { name: "kind", "aria-label": "Kind" });
    option(kind, "", "Everything"); option(kind, "postmortem", "Post-mortems"); option(kind, "practice", "Practices");
    var year = element("select", { name: "year", "aria-label": "Year" });
    option(year, "", "Any year");
    row.appendChild(kind); row.appendChild(year);
    var hint = element("p", { id: "lessons-search-hint", class: "lessons-search-hint" },
      "Typos are forgiven. Narrow with cause:, tag:, service:, severity: or year:, e.g. cause:rollback-failure");
    var status = element("p", { class: "lessons-search-status", role: "status", "aria-live": "polite" });
    var list = element("ol", { id: "lessons-search-results", class: "lessons-search-results" });
    form.appendChild(input); form.appendChild(close);
    dialog.appendChild(form); dialog.appendChild(row); dialog.appendChild(hint);
    dialog.appendChild(status); dialog.appendChild(list);
    document.body.appendChild(dialog);
    ui = { dialog: dialog, input: input, kind: kind, year: year, status: status, list: list };
    form.addEventListener("submit", function (e) { e.preventDefault(); var a = list.querySelector("a"); if (a) a.click(); });
    input.addEventListener("input", run);
    kind.addEventListener("change", run);
    year.addEventListener("change", run);
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener("keydown", arrows);
    list.addEventListener("click", function (e) { if (e.target.closest("a")) dialog.close(); });
    return ui;
  }

  function arrows(e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.from(ui.list.querySelectorAll("a"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    e.preventDefault();
    if (e.key === "ArrowDown") (links[at + 1] || links[0]).focus();
    else if (at <= 0) ui.input.focus();
    else links[at - 1].focus();
  }

  function open(query) {
    if (!ui || !document.body.contains(ui.dialog)) build();
    if (typeof query === "string") ui.input.value = query;
    if (!ui.dialog.open) ui.dialog.showModal();
    ui.input.focus();
    ui.status.textContent = index ? "" : "Loading the search index\u2026";
    load().then(function () { years(); run(); }, function (err) { ui.status.textContent = "Search is unavailable: " + err.message; });
  }

  function years() {
    if (ui.year.options.length > 1) return;
    var seen = new Set();
    index.docs.forEach(function (d) { if (d[3]) seen.add(d[3].slice(0, 4)); });
    Array.from(seen).sort().reverse().forEach(function (y) { option(ui.year, y, y); });
  }

  function run() {
    if (!index) return;
    var query = ui.input.value, list = ui.list;
    list.textContent = "";
    if (!query.trim()) { ui.status.textContent = ""; return; }
    var found = search(query, { kind: ui.kind.value, year: ui.year.value });
    ui.status.textContent = found.results.length ? found.results.length + (found.results.length === 1 ? " result" : " results")
      : "No matching post-mortems or practices";
    found.results.forEach(function (r) { list.appendChild(result(r)); });
  }

  function result(r) {
    var doc = r.doc, item = element("li", { class: "lessons-search-result" });
    var link = element("a", { href: new URL("../" + doc[0], SCRIPT ? SCRIPT.src : location.href).href });
    link.appendChild(element("span", { class: "lessons-search-title" }, doc[1]));
    var meta = [doc[2] === "practice" ? "practice" : "post-mortem"];
    if (doc[3]) meta.push(doc[3]);
    if (doc[4] !== null) meta.push("SEV" + doc[4]);
    link.appendChild(element("span", { class: "lessons-search-meta" }, meta.join(" \u00b7 ")));
    var snippet = element("span", { class: "lessons-search-snippet" });
    mark(snippet, doc[6], r.stems);
    link.appendChild(snippet);
    link.appendChild(element("span", { class: "lessons-search-why" }, "why: " + r.why.join("; ")));
    item.appendChild(link);
    return item;
  }

  // The summary as text nodes, matched words in <mark> (never innerHTML: content is text).
  function mark(target, text, stems) {
    var last = 0;
    text.replace(TOKEN, function (word, at) {
      if (stems.has(stemOf(word.toLowerCase()))) {
        target.appendChild(document.createTextNode(text.slice(last, at)));
        target.appendChild(element("mark", {}, word));
        last = at + word.length;
      }
      return word;
    });
    target.appendChild(document.createTextNode(text.slice(last)));
  }

  function attach() {
    var header = document.querySelector(".md-header__inner");
    if (document.querySelector(".lessons-search-open")) return;
    var button = element("button", {
      type: "button", class: "lessons-search-open" + (header ? " md-header__button md-icon" : " lessons-search-floating"),
      "aria-label": "Open search", "aria-keyshortcuts": "/", title: "Search (/)", "aria-haspopup": "dialog"
    });
    button.innerHTML = ICON;
    button.addEventListener("click", function () { open(); });
    button.addEventListener("pointerenter", load);
    if (header) header.insertBefore(button, header.querySelector(".md-header__source"));
    else document.body.insertBefore(button, document.body.firstChild);
    // The home page's form opens the dialog; focusing it starts loading the index.
    document.querySelectorAll("form.lessons-search").forEach(function (form) {
      var field = form.querySelector("input[name=q]");
      if (field) field.addEventListener("focus", load);
      form.addEventListener("submit", function (e) { e.preventDefault(); open(field ? field.value : ""); });
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) open(q);
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); open(); }
  });
  // Material's instant navigation swaps pages without reloading: attach on each one.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(attach);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attach);
  else attach();
  window.lessonsSearch = { load: load, search: function (q, f) { return search(q, f || {}); }, open: open };
})();
