"""What a mentee's sentence does with the criticism or the ask, read from its grammar (spaCy)
rather than from listed phrases: disputing what they were told ("I don't think the length
was the problem", "The deck wasn't too long, because finance asked for the detail") and asking
for help with no task and no bounds ("Would you be able to help me with this?"). The words are
data: phrases/opinion_verbs.txt, assent_verbs.txt, general_asks.txt and
general_topics.txt."""

from __future__ import annotations

import re

from assistant.text.grammar import parse
from assistant.text.words import NUMBER_WORDS, TIME_UNITS, listed, words

_SELF = {"i", "we"}
_CAUSE = {"because", "since", "as"}
_MODAL_ASK = re.compile(
    r"^\W*(?:so\s+|and\s+|maybe\s+)?(?:would|could|can|will)\s+(?:you|we)\b", re.I
)
_HOPE = re.compile(
    r"\bI(?:'d| would) (?:love|like)\b|\bI was hoping\b|\bI(?:'m| am) hoping\b", re.I
)


def _negated(verb) -> bool:  # noqa: ANN001 (a spacy Token)
    return any(c.dep_ == "neg" for c in verb.children)


def _subject(verb):  # noqa: ANN001, ANN202 (spacy Tokens)
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _disputed_claim(verb) -> bool:  # noqa: ANN001 (a spacy Token)
    """ "(I don't) agree" of anything, or "(I don't) think" of a claim about something other
    than the speaker ("I don't think I explained it well" looks at themselves)."""
    lemma = verb.lemma_.lower()
    if lemma in listed("assent_verbs"):
        return True
    if lemma not in listed("opinion_verbs"):
        return False
    claims = [c for c in verb.children if c.dep_ == "ccomp"]
    return any((s := _subject(c)) is not None and s.lower_ not in _SELF for c in claims)


def disputes(sentence: str) -> bool:
    """The speaker disputes what they were told: "I don't think/agree …" of a claim, or a
    negated claim about something other than themselves with a reason given ("The changes
    weren't too big, because they were all related"). A fault owned ("I didn't send it in
    time") or a plain denial with no reason ("That's not what I meant") is not disputing."""
    doc = parse(sentence)
    caused = any(t.dep_ == "mark" and t.lower_ in _CAUSE for t in doc)
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX") or not _negated(verb):
            continue
        subject = _subject(verb)
        if subject is None:
            continue
        if subject.lower_ == "i" and _disputed_claim(verb):
            return True
        if caused and subject.lower_ not in _SELF and verb.dep_ in ("ROOT", "ccomp", "conj"):
            return True
    return False


def _bounded(sentence: str) -> bool:
    """A number, a number word or a unit of time: the request says how much or how long."""
    tokens = [w.lower() for w in words(sentence)]
    return any(
        t.isdigit() or t in NUMBER_WORDS or t in TIME_UNITS or t.rstrip("s") in TIME_UNITS
        for t in tokens
    )


def general_request(sentence: str) -> bool:
    """A request for help, mentoring, advice or a chat that names no task of its own and no
    length, frequency or date ("Would you be willing to help me with my career?")."""
    # "I'd love to …" asks something of them only when it names them ("I'd like to talk
    # about how we carry on" proposes a topic)
    hoped = _HOPE.search(sentence) and re.search(r"\byou(?:r)?\b", sentence, re.I)
    if not (_MODAL_ASK.search(sentence) or hoped) or _bounded(sentence):
        return False
    general = listed("general_asks")
    doc = parse(sentence)
    asked = [t for t in doc if t.pos_ in ("VERB", "NOUN") and t.lemma_.lower() in general]
    tasks = [
        t
        for t in doc
        if t.pos_ == "NOUN"
        and t.dep_ in ("dobj", "pobj")
        and t.lemma_.lower() not in general
        and t.lemma_.lower() not in listed("general_topics")
    ]
    return bool(asked) and not tasks
