"""Text helpers of the outreach rubric: sentence and clause bounds, evidence phrases, pronouns."""

from __future__ import annotations

import re

from assistant.text.sentences import split
from assistant.text.words import NO_TOPIC, TIME_UNITS, word_set

EVIDENCE_WORDS = 12  # longest evidence phrase, in words


def rx(pattern: str) -> re.Pattern[str]:
    """Compile case-insensitively; a straight apostrophe in the pattern also matches a curly one."""
    return re.compile(pattern.replace("'", "['’]"), re.IGNORECASE)


WORD = re.compile(r"\S*\w\S*")
# Where a clause stops: sentence end, semicolon, comma, colon, dash, newline, "and I ...".
CLAUSE_END = rx(
    r"[.!?;,:](?=\s|$)|\n|\s[—–-]\s|\s\("
    r"|\s(?:and|but|so|because|while|which|since)\s+(?:I|I'm|I've|I'd|you|you're|we|it|this|that)\b"
)
TOKEN = re.compile(r"[a-z0-9][a-z0-9+#’'-]*", re.IGNORECASE)


# Pronouns, compared after curly apostrophes are straightened (see words_before).
FIRST_PERSON = word_set("i i'm i've i'd i'll me my myself")
SECOND_PERSON = word_set("you you're you've you'd you'll your yours")
OTHER_PERSON = SECOND_PERSON | word_set("he she they he's she's they're his her their we we're")


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end (exclusive, before the terminal punctuation) of the sentence holding pos
    (a position between two sentences belongs to the next one)."""
    start = 0
    for sentence in split(text):
        if sentence.end <= pos and sentence.complete:
            start = sentence.end
        else:
            return start, sentence.body_end
    return start, len(text)


def clause_end(text: str, pos: int) -> int:
    m = CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


def trim_span(text: str, start: int, end: int, max_words: int = EVIDENCE_WORDS) -> str:
    """The verbatim text[start:end], stripped and cut to at most max_words words."""
    words = list(WORD.finditer(text, start, end))
    if len(words) > max_words:
        words = words[:max_words]
        while len(words) > 3 and words[-1].group(0).lower() in STOP:
            words.pop()  # not "... a UX research role within the"
        end = words[-1].end()
    return text[start:end].strip().rstrip(",;:—–-").strip()


def phrase(text: str, m: re.Match[str]) -> str:
    """Evidence for a match: from the match start to the end of its clause (at least the match)."""
    end = max(m.end(), clause_end(text, m.end()))
    return trim_span(text, m.start(), end)


def words_before(text: str, pos: int) -> list[str]:
    start, _ = sentence_bounds(text, pos)
    return [w.lower().replace("’", "'").strip('.,;:!?"()') for w in text[start:pos].split()]


def last_subject_is_other(text: str, pos: int) -> bool:
    """True when the nearest pronoun before pos, in the same sentence, is not first person."""
    for word in reversed(words_before(text, pos)):
        if word in FIRST_PERSON:
            return False
        if word in OTHER_PERSON:
            return True
    return False


def earliest(matches: list[tuple[int, str]]) -> str | None:
    """The phrase found first in the text (ties: the first pattern listed)."""
    return min(matches, key=lambda pair: pair[0])[1] if matches else None


# Words that carry no goal or topic of their own.
STOP = NO_TOPIC | TIME_UNITS
