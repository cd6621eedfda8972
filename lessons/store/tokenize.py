"""Words for search: lower-cased, stemmed, identifiers kept whole.

``us-east-1``, ``ORA-00060``, ``node.js`` and ``503`` are indexed whole *and*
by their parts, so both ``ora-00060`` and ``ora 00060`` find them. Words are
stemmed with the Snowball English stemmer so ``payments`` finds ``payment``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:[-_./:][^\W_]+(?:['’][^\W_]+)*)*")
_APOSTROPHE_S = re.compile(r"['’]s$")
_PART = re.compile(r"[-_./:]")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

STOPWORDS = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
    "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself",
    "yourselves", "s", "t",
})


def surface_words(text: str) -> list[str]:
    """The words of a text as written (lower case), compounds followed by their parts."""
    out: list[str] = []
    if "\x1b" in text:
        text = _ANSI.sub(" ", text)  # colour codes from an alert pasted out of a terminal
    append = out.append
    for word in _TOKEN.findall(text.lower()):
        if not word.isalnum():  # the cheap test for the common case: a plain word
            out.extend(_token_words(word))
        elif word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            append(word)
    return out


def lower_chunks(text: str) -> list[str]:
    """A text in lower case, cut at white space: `surface_words` is the words of each chunk in turn.

    No token spans white space, so the words of the chunks (`chunk_words`) are the text's.
    Indexing looks each distinct chunk up once, and most are words already seen
    ("database", "database,"): splitting in C spares running the token pattern over
    the whole text.
    """
    if "\x1b" in text:
        text = _ANSI.sub(" ", text)
    return text.lower().split()


def chunk_words(chunk: str) -> tuple[tuple[str, str], ...]:
    """The words `surface_words` makes of one chunk of `lower_chunks`, each with its stem."""
    return tuple(pair for token in _TOKEN.findall(chunk) for pair in token_stems(token))


@lru_cache(maxsize=200_000)
def token_stems(token: str) -> tuple[tuple[str, str], ...]:
    """The words `surface_words` makes of one token, each with its stem (none for a stopword)."""
    if not token.isalnum():
        return tuple((word, stem(word)) for word in _token_words(token))
    if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
        return ()
    return ((token, stem(token)),)


@lru_cache(maxsize=50_000)
def _token_words(token: str) -> tuple[str, ...]:
    """The words `surface_words` makes of one token that is not a plain word (``us-east-1``, ``don't``)."""
    word = _APOSTROPHE_S.sub("", token).replace("’", "").replace("'", "")
    if _PART.search(word):
        word = word.strip("-_./:")
        words = [word, *(part for part in _PART.split(word) if part)]
    else:
        words = [word] if word else []
    return tuple(w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit()))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The search key of a word: its Snowball stem; identifiers and numbers as they are."""
    if not word.isalpha():
        return word
    stemmed: str = _stemmer().stemWord(word)
    return stemmed


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer("english")


def is_identifier(word: str) -> bool:
    """Words with digits or joiners (``s3``, ``503``, ``us-east-1``) only match exactly."""
    return not word.isalpha()
