"""Words of a text: lower-cased tokens, light stems, stopwords and content words (sentences are
in sentences.py)."""

from __future__ import annotations

import re

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)


def word_set(spaced: str) -> frozenset[str]:
    """The words of a whitespace-separated list, as a set (word lists written as prose)."""
    return frozenset(spaced.split())


# Words that carry no topic: left out of the BM25 index and of content words.
STOPWORDS = word_set(
    """a an and are as at be but by can could do does did for from had has have how i if in
    into is it its me my of on or our so than that the their them then there these they this
    to too us was we were what when where which who why will with would you your i'm i've
    it's don't should just about get any some more very really want need"""
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens ("I'm" stays one token)."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def stem(word: str) -> str:
    """A light suffix stripper: enough to match mentor/mentors, follow/following, ask/asked."""
    word = word.lower()
    for suffix in ("ingly", "edly", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stemmed = word[: -len(suffix)]
            return stemmed + "y" if suffix in ("ies", "ied") else stemmed
    return word


def content_words(text: str) -> set[str]:
    """Stems of the words that carry meaning (no stopwords, no one-letter tokens)."""
    return {stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


def overlap(a: str, b: str) -> float:
    """Share of the content words of the shorter text that the other one also has (0..1)."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))
