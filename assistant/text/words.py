"""Words of a text: lower-cased tokens, light stems, stopwords and content words (sentences are
in sentences.py)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.IGNORECASE)


PHRASES = Path(__file__).parent / "phrases"


def word_set(spaced: str) -> frozenset[str]:
    """The words of a whitespace-separated list, as a set (word lists written as prose)."""
    return frozenset(spaced.split())


@cache
def lines(name: str) -> tuple[str, ...]:
    """The entries of the data file phrases/`name`.txt (one a line; `#` starts a comment line)."""
    text = (PHRASES / f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and line[0] != "#")


@cache
def listed(name: str) -> frozenset[str]:
    """The words of list `name`, lower-cased; "i'm" is listed with a curly apostrophe too."""
    return frozenset(
        w for line in lines(name) for w in (line.lower(), line.lower().replace("'", "’"))
    )


def alternation(name: str) -> str:
    """A regex group matching any entry of list `name`, longest first: a space in an entry
    matches any whitespace, `*` one word ("head of *")."""
    entries = sorted(lines(name), key=len, reverse=True)
    parts = [re.escape(e).replace(r"\ ", r"\s+").replace(r"\*", r"[\w-]+") for e in entries]
    return "(?:" + "|".join(parts) + ")"


# Words that carry no topic: left out of the BM25 index and of content words.
STOPWORDS = listed("stopwords")
NO_TOPIC = STOPWORDS | listed("no_topic")  # nor of a goal or a quoted phrase
TIME_UNITS = listed("time_units")  # "3 weeks", "3 times": never what a goal counts
# Numbers written as words, with their value.
NUMBER_WORDS: dict[str, int] = {w: int(v) for w, v in (line.split() for line in lines("numbers"))}


PERSON_LEADS = listed("person_leads")  # "my", "the", "each" …: before a person's role


def person_lead(phrase: str) -> str:
    """The word that opens a phrase naming a person ("my" of "My team lead"), or ''."""
    first = (phrase.split() or [""])[0].lower()
    return first if first in PERSON_LEADS else ""


def role_of(phrase: str) -> str:
    """A phrase naming a person without its opening word, lower-cased ("team lead" of "My
    team lead")."""
    phrase = " ".join(phrase.split()).lower()
    lead = person_lead(phrase)
    return phrase[len(lead) :].strip() if lead else phrase


def has_number(text: str) -> bool:
    """The text names a number, in digits or as a word ("3", "three")."""
    return bool(re.search(r"\d", text) or NUMBER_WORDS.keys() & set(words(text)))


def counts(text: str) -> set[tuple[int, str]]:
    """What the text counts, as (number, stem of the word after it): "apply to five roles" →
    {(5, "role")}; a number followed by a stopword or another number counts nothing."""
    tokens = words(text)
    found = set()
    for number, after in zip(tokens, tokens[1:], strict=False):
        value = int(number) if number.isdigit() else NUMBER_WORDS.get(number)
        if value is not None and after.isalpha() and after not in STOPWORDS:
            found.add((value, stem(after)))
    return found


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


def coverage(a: str, b: str) -> float:
    """Share of the content words of `b` that `a` also has (0..1): how much of `b` is in `a`
    ("How can I start building the dashboards?" covers little of a long goal about them)."""
    wa, wb = content_words(a), content_words(b)
    return len(wa & wb) / len(wb) if wb else 0.0
