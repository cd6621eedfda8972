"""Every finding code `lessons` emits: its usual level, what it checks, how to fix or silence it.

Call sites write the code as a string (``Problem(path, line, "unknown-cause", …)``);
this table is where each one is explained. `tests/test_codes.py` walks the package
for codes written at call sites and fails on one that is missing here, and
`docs/FORMAT.md` lists them all (tested against `RULES`). `lessons check --explain
CODE` prints an entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Level

__all__ = ["RULES", "Rule", "explain", "rule"]

_SILENCE = ("Silence it with `{code} = \"off\"` under `[rules]` in lessons.toml, or in one file "
            "with `<!-- lessons-disable {code} -->`.")


@dataclass(frozen=True, slots=True)
class Rule:
    """One finding code."""

    code: str
    """The stable identifier printed with the finding (``unknown-cause``)."""
    level: Level
    """The level it is reported at unless the settings say otherwise."""
    checks: str
    """One line: what the rule checks."""
    fix: str
    """How to fix what it reports (and, for an adjustable rule, how to silence it)."""
    adjustable: bool = True
    """False for findings about files that could not be read at all, ids that clash,
    script in content and broken settings: turning those off would hide content
    silently, so the settings cannot change them."""


def _fixed(code: str, level: Level, checks: str, fix: str) -> Rule:
    return Rule(code, level, checks, fix, adjustable=False)


_E, _W, _I = Level.ERROR, Level.WARNING, Level.INFO

_ALL = (
    # Reading a file at all (the file is left out of the knowledge base).
    _fixed("parse-error", _E, "A file could not be read as a document.", "Correct the file at the line named."),
    _fixed("unreadable", _E, "The file cannot be opened (permissions, a vanished file).",
           "Make the file readable by the user running lessons."),
    _fixed("binary", _E, "The file holds NUL bytes: it is binary, not Markdown.",
           "Remove it from the content folder, or convert it with `lessons import`."),
    _fixed("encoding", _E, "The file is not UTF-8.", "Re-save the file as UTF-8."),
    _fixed("empty-file", _E, "A file in postmortems/ or practices/ is empty.",
           "Write the document (`lessons new postmortem \"Title\"`) or delete the file."),
    _fixed("file-too-large", _E, "The file is larger than 2 MB.",
           "Remove the pasted log or binary; link to it instead."),
    _fixed("front-matter-unclosed", _E, "Front matter opened with `---` on line 1 is never closed.",
           "Add a `---` line after the last front-matter key."),
    _fixed("yaml", _E, "The front matter is not valid YAML.", "Correct the YAML at the line and column named."),
    _fixed("front-matter-not-mapping", _E, "The front matter is not a mapping of keys to values.",
           "Write front matter as `key: value` lines."),
    _fixed("key-not-string", _E, "A front-matter key that YAML reads as something else (`on:` is true).",
           "Quote the key (`\"on\": …`)."),
    _fixed("duplicate-key", _E, "A front-matter key written twice (also in another spelling).",
           "Keep one of the two lines."),
    _fixed("yaml-alias", _E, "YAML anchors and aliases in front matter (they can blow up in size).",
           "Write the value out instead of `*alias`."),
    # Fields.
    Rule("missing-field", _E, "A required field is missing: title and date for a post-mortem (error); "
         "`prevents:` for a published practice (warning).",
         "Add the field to the front matter (or a `# Title` heading, a `**Date:**` line)."),
    Rule("invalid-field", _E, "A field's value has the wrong type or is not one of the allowed values.",
         "Write the value the message expects."),
    Rule("invalid-date", _E, "A date or date-time that cannot be read or is ambiguous (a due date: warning).",
         "Write dates as 2024-03-16 and times as 2024-03-16T07:00Z."),
    Rule("invalid-id", _E, "An `id:` that is not lower-case letters, digits and hyphens.",
         "Write the id like 2024-03-16-payments-outage."),
    Rule("unknown-key", _W, "A front-matter key lessons does not know (with the closest known key).",
         "Correct the spelling, or remove the key."),
    Rule("ignored-key", _W, "A key that is another name for a field that is written too.", "Keep one of the two."),
    Rule("yaml-tag", _W, "A YAML tag other than the plain types (`!!binary`, `!!set`, `!custom`): the value is "
         "read as plain text, list or mapping.", "Remove the tag."),
    Rule("yaml-depth", _W, "Lists or mappings in front matter nested more than 16 deep: the deeper part is not read.",
         "Nest the value less."),
    # Structure.
    Rule("not-a-heading", _W, "`##` followed by a non-breaking space, which Markdown does not read as a heading.",
         "Replace the non-breaking space with a plain space."),
    Rule("nesting-too-deep", _W, "Lists or quotes nested deeper than lessons reads.", "Nest them less."),
    Rule("file-name-id", _I, "A file name that is not itself an id (spaces, capitals): the id is made from it.",
         "Nothing is wrong; rename the file to the id, or set `id:`, if you want the two to match."),
    Rule("missing-section", _W, "A published post-mortem lacks a required section (by default Summary, Impact, "
         "Contributing factors, Resolution; `[rules.missing-section] sections` chooses).",
         "Add the section, set `status: draft`, or list the sections your team requires in lessons.toml."),
    Rule("action-item-owner", _W, "An action item of a published post-mortem has no owner.",
         "Add `— owner: team` to the item."),
    Rule("overdue-action", _W, "An open action item past its due date.", "Close it (`- [x]`) or move its due date."),
    Rule("not-an-action", _W, "An action item that is a note: nothing was published (\"No follow-up actions have "
         "been made public\") or there is nothing to do (\"None\").",
         "Write the note as a sentence under the section instead of a list item."),
    Rule("site-url-placeholder", _I, "`site_url` in mkdocs.yml is still the placeholder `lessons init` wrote.",
         "Write the address where the site is published."),
    # Ids and links.
    _fixed("duplicate-id", _E, "Two documents (or two causes in taxonomy.yml) with the same id; the second is "
           "left out.", "Give one of them another `id:` (two file names may make the same id)."),
    Rule("unknown-cause", _E, "A cause in `causes:` or `prevents:` that taxonomy.yml does not list.",
         "Use an id from taxonomy.yml (the message names the closest), or add the cause there."),
    Rule("unknown-related", _E, "A `related:` id that no document has.", "Use the id or file name of a document."),
    Rule("related-self", _W, "A document listed in its own `related:`.", "Remove it from the list."),
    Rule("broken-link", _E, "A link to a file that does not exist.", "Correct the link's path."),
    Rule("site-link", _W, "A link written as a site address (`../2024-05-02-edge/`), which works on the site only.",
         "Link the Markdown file (`2024-05-02-edge.md`)."),
    Rule("invalid-source", _W, "A `sources:` entry that is not an http(s) address.", "Write the full address."),
    _fixed("unsafe-html", _E, "Raw HTML that could run script: `<script>`, `<iframe>`, `on*=` handlers, "
           "`javascript:` URLs.", "Remove the HTML; write Markdown instead."),
    # Dates.
    Rule("future-date", _E, "A post-mortem date, or a start, detection or resolution time, in the future.",
         "Correct the date (or check with `--today`)."),
    Rule("impossible-date", _E, "Times out of order: resolved before started, detected before started.",
         "Correct the times."),
    Rule("date-mismatch", _W, "`started` is more than a day away from `date`.",
         "Set `date:` to the day the incident began."),
    Rule("impossible-year", _W, "A date with a year of five digits or more (`20202-01-16`), or a timeline "
         "entry more than 50 years from the document's date.", "Correct the year; the row is read once it is."),
    Rule("possible-duplicate", _W, "A post-mortem that reads like another one.",
         "Link the two with `related:`, merge them, or raise `--duplicate-threshold`."),
    Rule("recurrence", _W, "A post-mortem shares a cause and a service with an earlier one within the window "
         "(365 days; `[rules.recurrence] days`); information when the later one is itself older than the window.",
         "Read the earlier incident's action items: did they hold? Say so in the post-mortem, and add what "
         "will stop a third time."),
    # Advice (`lessons advise`).
    Rule("suggested-causes", _I, "A post-mortem without `causes:`: the taxonomy causes its text suggests, with "
         "why (shared words, similar incidents), once five or more other post-mortems name theirs.",
         "Nothing is wrong; add the causes that fit to `causes:` when they are known."),
    Rule("missing-checklist", _I, "A published practice with `prevents:` but no Checklist section, which "
         "`lessons advise` quotes on pull requests.", "Add `## Checklist` with the practice's checks as `- …` items."),
    Rule("checklist-item", _W, "A Checklist section with text that is not a list item, or with no items.",
         "Write each check as a list item (`- …`); move other text to another section."),
    # The content folder.
    _fixed("symlink-outside", _W, "A symlink pointing outside the content folder (ignored).",
           "Copy the file into the content folder instead."),
    _fixed("broken-symlink", _W, "A symlink pointing to nothing (ignored).", "Remove or repair the link."),
    _fixed("symlink-loop", _W, "A symlink that loops back to itself (ignored).", "Remove or repair the link."),
    _fixed("symlinked-folder", _W, "A folder in the content folder is a symlink (not followed).",
           "Move or copy the files into the content folder."),
    _fixed("unreadable-folder", _W, "A folder in the content folder cannot be read (ignored).",
           "Give the user running lessons permission to read it."),
    _fixed("file-name-encoding", _W, "A file or folder name is not UTF-8, so it cannot be indexed (ignored).",
           "Rename it; the finding shows the name with \ufffd where the bytes could not be read."),
    _fixed("not-a-file", _W, "A FIFO, device or socket is named like a Markdown file (never read).",
           "Remove it from the content folder."),
    Rule("no-documents", _E, "Markdown files were found but not one post-mortem or practice.",
         "Give each file a title and a date (front matter, a `# Title`, a `**Date:**` line) or put "
         "the post-mortems in a postmortems/ folder, where every file is one."),
    Rule("few-documents", _W, "Far more plain pages than post-mortems and practices.",
         "See the reasons given for the example files; move post-mortems into postmortems/."),
    Rule("unread-file", _W, "A file in the content folder that is not Markdown (.docx, .html, .txt, no "
         "extension), which lessons does not read.",
         "Convert .docx and .html with `lessons import`; rename plain text to .md; or move it out."),
    _fixed("taxonomy", _E, "taxonomy.yml is not a `causes:` list of {id, title, description}.",
           "Correct taxonomy.yml at the line named."),
    _fixed("settings", _E, "lessons.toml (or `[tool.lessons]`) names an unknown rule, level or key, or a "
           "`lessons-disable` comment an unknown rule.",
           "Correct the settings file at the line named (the message names the closest rule)."),
)

RULES: dict[str, Rule] = {entry.code: entry for entry in _ALL}
"""Every code, by name."""

LEVEL_NAMES = ("off", "info", "warning", "error")
"""What the settings may set a rule to."""


def rule(code: str) -> Rule | None:
    """The rule with this code, or None."""
    return RULES.get(code)


def explain(code: str) -> str:
    """What `lessons check --explain CODE` prints."""
    entry = RULES[code]
    lines = [f"{entry.code} ({entry.level.value})", "", entry.checks, "", f"Fix: {entry.fix}"]
    if entry.adjustable:
        lines.append(_SILENCE.format(code=entry.code))
    else:
        lines.append("This finding cannot be switched off: it means content would be left out or unsafe.")
    return "\n".join(lines)
