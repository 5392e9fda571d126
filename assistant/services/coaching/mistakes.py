"""What the mentee said that a coach would flag, decided sentence by sentence from the
transcript: defending, disagreeing, running oneself down, over-apologising, a vague ask, a
monologue; and what they left out (thanks, a next step). Not answering the question asked is
not detected: neither word overlap nor sentence embeddings told it apart on the test set.
The phrase lists are data (assistant/text/phrases/), one meaning per list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.services.ask import Turn
from assistant.services.coaching.conversation_signals import sentence_texts
from assistant.services.coaching.outreach_rubric import has_bounded_ask
from assistant.text.dates import deadline_date
from assistant.text.phrases import count, found
from assistant.text.words import words

MONOLOGUE_WORDS = 40


@dataclass
class Finding:
    kind: str  # a key of the checklist's `mistakes`
    sentence: str  # verbatim, as the mentee said it ("" for an omission)
    turn: int  # index of the mentee's turn (-1 for an omission)


def sentence_mistakes(sentence: str) -> list[str]:
    """The kinds of mistake one sentence shows, most telling first."""
    kinds = []
    if found("disagreeing", sentence):
        kinds.append("disagreeing")
    if found("justifying", sentence):
        kinds.append("defending")
    named_time = has_bounded_ask(sentence) or deadline_date(sentence) is not None
    if found("vague_ask", sentence) and not named_time:
        kinds.append("vague_ask")
    if found("self_deprecating", sentence):
        kinds.append("self_deprecating")
    if count("apologies", sentence) >= 2 or (
        found("apologies", sentence) and found("trivial_imposition", sentence)
    ):
        kinds.append("apologising")
    if len(words(sentence)) >= MONOLOGUE_WORDS:
        kinds.append("monologue")
    return kinds


def find_mistakes(transcript: list[Turn]) -> list[Finding]:
    """Every flagged sentence of the mentee's turns, in order, one kind each (the first)."""
    findings = []
    mentee_turn = -1
    for turn in transcript:
        if turn.role != "user":
            continue
        mentee_turn += 1
        for sentence in sentence_texts(turn.content):
            kinds = sentence_mistakes(sentence)
            if kinds:
                findings.append(Finding(kinds[0], sentence, mentee_turn))
    return findings


def omissions(transcript: list[Turn]) -> list[str]:
    """What the mentee never did: thank them, propose a next step."""
    said = " ".join(t.content for t in transcript if t.role == "user")
    missing = []
    if not re.search(r"\b(?:thank|thanks|appreciate|grateful)\b", said, re.I):
        missing.append("no_thanks")
    if not re.search(
        r"\b(?:I'll|I will|I'm going to|let me|shall I|could we|can we|next (?:week|time|month)|"
        r"send|follow up|book|schedule)\b", said, re.I
    ):  # fmt: skip
        missing.append("no_next_step")
    return missing
