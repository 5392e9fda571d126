"""Vague words in a goal ("better", "grow", "manager"), with the word forms and neighbours
that make a word vague or not; the key of each names its clarifying question (goal_check)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.phrases import found_all
from assistant.text.words import word_set

# Adjectives that turn an otherwise observable phrase into a judgement ("become a better manager").
EVALUATIVE = frozenset(found_all("evaluative"))

_ROLE_QUALIFIERS = word_set(
    """engineering product project program programme general account hiring line delivery
    release community"""
)
_POSSESSIVES = {"my", "our", "your", "his", "her", "their"}
_LEAD_ROLE_QUALIFIERS = word_set(
    """tech team project design eng engineering product squad workstream technical the a an"""
)


@dataclass(frozen=True)
class _Term:
    key: str
    pattern: re.Pattern[str]
    not_after: frozenset[str] = frozenset()  # skip when the previous word is one of these
    not_before: frozenset[str] = frozenset()  # skip when the next word is one of these
    only_before: frozenset[str] | None = None  # match only when followed by one of these/punct


def _t(
    key: str,
    regex: str,
    not_after: set[str] | None = None,
    not_before: set[str] | None = None,
    only_before: set[str] | None = None,
) -> _Term:
    return _Term(
        key,
        re.compile(rf"\b(?:{regex})\b", re.IGNORECASE),
        frozenset(not_after or ()),
        frozenset(not_before or ()),
        frozenset(only_before) if only_before is not None else None,
    )


_TERMS: list[_Term] = [
    _t("executive presence", r"executive\s+presence"),
    _t("more senior", r"more\s+senior"),
    _t("stand out", r"stand(?:s|ing)?[\s-]?out|standout"),
    _t("level up", r"level(?:s|led|ed|ling|ing)?[\s-]+up|next\s+level"),
    _t("manage", r"manag(?:e|es|ed|ing|ement|erial)"),
    # "my manager" is a person and "engineering manager" a role; "be a manager" is vague.
    _t("manage", r"managers?", not_after=_POSSESSIVES | _ROLE_QUALIFIERS),
    _t("better", r"better"),
    _t("good", r"good"),
    _t("great", r"great"),
    _t("successful", r"success(?:ful|fully)?"),
    _t("grow", r"grow(?:s|ing|n|th)?|grew"),
    _t("improve", r"improv(?:e|es|ed|ing|ement|ements)"),
    _t("leader", r"leaders?|leadership"),
    # Bare "lead" is only vague without an object ("learn to lead"); "lead the Q3 launch" is a
    # measurable outcome and "tech lead" is a role.
    _t(
        "leader",
        r"lead(?:ing)?",
        not_after=_LEAD_ROLE_QUALIFIERS,
        only_before={"more", "better", "well", "effectively", "people", "others", "by"},
    ),
    _t("confident", r"confiden(?:t|tly|ce)"),
    _t("visible", r"visib(?:le|ility)"),
    _t("impact", r"impact(?:s|ful)?"),
    _t("strategic", r"strategic(?:ally)?"),
    _t("influence", r"influen(?:ce|ces|cing|tial)"),
    _t(
        "network",
        r"network(?:s|ing)?",
        not_before={"engineer", "engineers", "engineering", "security", "protocol", "protocols"},
    ),
    _t(
        "develop",
        r"develop(?:s|ed|ing|ment)?",
        not_after={"software", "web", "app", "game", "mobile", "frontend", "backend", "business"},
        not_before={"a", "an", "the", "our", "this"},
    ),
    _t("skills", r"skills?|skill\s?set"),
    _t("career", r"careers?"),
    _t("balance", r"balance", not_before={"sheet", "sheets"}),
    # "Excel" is also a spreadsheet; only the verb use ("excel at", "excel.", "excelling").
    _t("excel", r"excel(?=\s+(?:at|in)\b|\s*(?:[.,;!?]|$))|excell(?:ing|ed)"),
    _t("effective", r"effective(?:ly|ness)?"),
    _t("communicate", r"communicat(?:e|es|ed|ing|ion|ions|or)"),
    _t("empower", r"empower(?:s|ed|ing|ment)?"),
]


_WORD_BEFORE = re.compile(r"([\w'’-]+)\s+$")
_WORD_AFTER = re.compile(r"\s+([\w'’-]+)")


def prev_word(text: str, start: int) -> str:
    m = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    return m.group(1).lower() if m else ""


def _next_word(text: str, end: int) -> str:
    m = _WORD_AFTER.match(text, end)
    return m.group(1).lower() if m else ""


def _followed_by_punct_or_end(text: str, end: int) -> bool:
    rest = text[end:].lstrip(" \t")
    return not rest or rest[0] in ".,;:!?\n)"


def vague_hits(text: str) -> list[tuple[int, int, str, str]]:
    """All vague-term matches as (start, end, key, surface), left to right, without overlaps."""
    hits = []
    for term in _TERMS:
        for m in term.pattern.finditer(text):
            if prev_word(text, m.start()) in term.not_after:
                continue
            following = _next_word(text, m.end())
            if following in term.not_before:
                continue
            if term.only_before is not None and not (
                following in term.only_before or _followed_by_punct_or_end(text, m.end())
            ):
                continue
            surface = " ".join(m.group(0).lower().split())
            hits.append((m.start(), m.end(), term.key, surface))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, str, str]] = []
    for hit in hits:
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    return kept


def vague_found(text: str) -> list[tuple[str, str]]:
    """(surface, key) for the first occurrence of each vague term, in order of appearance."""
    seen: set[str] = set()
    found = []
    for _, _, key, surface in vague_hits(text):
        if key not in seen:
            seen.add(key)
            found.append((surface, key))
    return found


def find_vague_terms(text: str) -> list[str]:
    """Vague words as written (lowercase), first occurrence of each term, in order."""
    return [surface for surface, _ in vague_found(text or "")]


def term_key(word: str) -> str | None:
    """The VAGUE_TERMS key for a word as reported in `vague_terms` ("manager" -> "manage")."""
    hits = vague_hits(word)
    return hits[0][2] if hits else None
