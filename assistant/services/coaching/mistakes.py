"""What the mentee said that a coach would flag, decided sentence by sentence from the
transcript: defending, disagreeing, running oneself down, over-apologising, a vague ask, a
monologue, not answering the question asked; and what they left out (thanks, a next step).
The phrase lists are data (assistant/text/phrases/), one meaning per list.

A question counts as ignored when the counterpart asks it again in their next turn: in other
words (two content words of it again, in a question) or with a redirect ("that's not what I
asked", "pick one"). The mentee's words alone did not tell it apart on the test set (neither
word overlap nor sentence embeddings): a relevant answer may share no word with the question."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.services.ask import Turn
from assistant.services.coaching.conversation_signals import sentence_texts, thanked
from assistant.services.coaching.outreach_rubric import has_bounded_ask
from assistant.text.dates import deadline_date
from assistant.text.phrases import count, found
from assistant.text.self_judgement import runs_self_down
from assistant.text.stance import disputes, general_request
from assistant.text.words import content_words, words

MONOLOGUE_WORDS = 40


@dataclass
class Finding:
    kind: str  # a key of the checklist's `mistakes`
    sentence: str  # verbatim, as the mentee said it ("" for an omission)
    turn: int  # index of the mentee's turn (-1 for an omission)


def sentence_mistakes(sentence: str) -> list[str]:
    """The kinds of mistake one sentence shows, most telling first."""
    kinds = []
    if found("disagreeing", sentence) or disputes(sentence):
        kinds.append("disagreeing")
    if found("justifying", sentence):
        kinds.append("defending")
    named_time = has_bounded_ask(sentence) or deadline_date(sentence) is not None
    if (found("vague_ask", sentence) or general_request(sentence)) and not named_time:
        kinds.append("vague_ask")
    if found("self_deprecating", sentence) or runs_self_down(sentence):
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
    for i, turn in enumerate(transcript):
        if turn.role != "user":
            continue
        mentee_turn += 1
        said = sentence_texts(turn.content)
        before = transcript[i - 1].content if i > 0 and transcript[i - 1].role != "user" else ""
        after = transcript[i + 1].content if i + 1 < len(transcript) else ""
        ignored = said[0] if said and asked_again(before, after) else None
        for sentence in said:
            kinds = sentence_mistakes(sentence)
            if sentence == ignored and not kinds:
                kinds = ["ignoring_question"]
            if kinds:
                findings.append(Finding(kinds[0], sentence, mentee_turn))
    return findings


def _questions(text: str) -> list[str]:
    return [s for s in sentence_texts(text) if s.rstrip().endswith("?")]


def asked_again(before: str, after: str) -> bool:
    """The counterpart's next turn (`after`) asks a question of their turn `before` again."""
    asked = _questions(before)
    if not asked or not after:
        return False
    if found("reasked", after):
        return True
    return any(
        len(content_words(q) & content_words(again)) >= 2
        for q in asked
        for again in _questions(after)
    )


def agreed_step(transcript: list[Turn]) -> bool:
    """The mentee asked a bounded question ("Would you meet for 30 minutes once a month?") and
    the counterpart said yes to it: a next step is agreed, even if the mentee never named one.
    ("Thank you for fitting me in every month" is no ask.)"""
    return any(
        ask.role == "user"
        and answer.role == "assistant"
        and any(
            has_bounded_ask(s) and s.rstrip().endswith("?") for s in sentence_texts(ask.content)
        )
        and _says_yes(answer.content)
        for ask, answer in zip(transcript, transcript[1:], strict=False)
    )


def _says_yes(text: str) -> bool:
    """Its first sentence says yes ("Sure, I'd be happy to …"), not "not sure" or "no"."""
    first = (sentence_texts(text) or [""])[0]
    return bool(found("consent", first)) and not re.search(r"\b(?:not|no)\b|n't\b", first, re.I)


def omissions(transcript: list[Turn]) -> list[str]:
    """What the mentee never did: thank them, propose (or get agreed) a next step."""
    said = " ".join(t.content for t in transcript if t.role == "user")
    missing = []
    if not thanked(said):
        missing.append("no_thanks")
    if not agreed_step(transcript) and not re.search(
        r"\b(?:I'll|I will|I'm going to|let me|shall I|could we|can we|next (?:week|time|month)|"
        r"send|follow up|book|schedule)\b",
        said,
        re.I,
    ):
        missing.append("no_next_step")
    return missing
