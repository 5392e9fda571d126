"""The outreach rubric's checks of the ask: `bounded_ask` (a duration or frequency), `reciprocity`
(an offer or respect for their time) and `question` (a question or a clear call to action)."""

from __future__ import annotations

import re

from assistant.services.coaching.rubric_text import (
    TOKEN,
    earliest,
    phrase,
    rx,
    trim_span,
    word_set,
    words_before,
)

_NUM = (
    r"(?:\d{1,3}|five|ten|fifteen|twenty|twenty[- ]five|thirty|forty[- ]five|forty|sixty|ninety"
    r"|two|three|four|six|eight|twelve)"
)
_MEETING = (
    r"(?:\s+(?:video |phone |zoom |virtual |quick |short )?"
    r"(?:call|chat|coffee|conversation|meeting|session))?"
)
_BOUNDS = [
    rx(r"\b" + _NUM + r"[- ]?(?:minutes?|mins?)\b" + _MEETING),
    rx(r"\b(?:half an|half-an|an|one|1) hour\b(?!s)" + _MEETING),
    rx(r"\b(?:half[- ]hour|hour-long)\b" + _MEETING),
    rx(r"\b(?:a few|a couple(?: of)?|couple of) minutes\b"),
    rx(r"\b(?:once|twice|one time) (?:a|per|every) (?:week|month|quarter|fortnight)\b"),
    rx(r"\bonce every (?:two|three|four|six|few|other|2|3|4|6) (?:weeks|months)\b"),
    rx(r"\bevery (?:other|second|two|three|four|few|2|3|4) (?:weeks?|months?)\b"),
    rx(r"\bevery (?:week|month|quarter)\b"),
    # "a monthly call", "meet fortnightly"; not "the part about weekly customer calls"
    rx(
        r"\b(?:monthly|bi-?weekly|fortnightly|quarterly|weekly|bi-?monthly)\s+(?:video |phone "
        r"|zoom |virtual |quick |short )?(?:calls?|chats?|coffees?|conversations?|meetings?"
        r"|sessions?|check-ins?|1:1s?|one-on-ones?)\b"
    ),
    rx(
        r"\b(?:meet|talk|chat|speak|call|catch up|check in)(?: up)?"
        r" (?:monthly|bi-?weekly|fortnightly|quarterly|weekly|bi-?monthly)\b"
    ),
    rx(
        r"\bfor (?:the next |the first )?(?:" + _NUM + r"|a few|a couple of) "
        r"(?:weeks|months|sessions|calls|conversations)\b"
    ),
    rx(r"\bover the next (?:" + _NUM + r"|few|couple of) (?:weeks|months)\b"),
    rx(
        r"\b(?:a single|just one|one|1) (?:quick |short |brief |single )?"
        r"(?:call|coffee|chat|conversation|question|meeting|email|session|video call|phone call)\b"
    ),
    rx(
        r"\b(?:two|three|four|2|3|4)(?: or (?:two|three|four|2|3|4))? (?:short |quick )?"
        r"(?:calls|sessions|chats|conversations|meetings|questions)\b"
    ),
]
# "your 45-minute keynote", "our weekly standup": a duration that is not part of the ask.
_NOT_ASK_AFTER = word_set(
    """talk keynote presentation podcast video episode webinar workshop lecture read drive commute
    walk demo segment standup stand-up newsletter show course"""
)
_NOT_ASK_BEFORE = {"your", "his", "her", "their", "our", "my", "the"}
UNBOUNDED = rx(
    r"\b(?:be my mentor|mentor me|pick your brain|(?:grab|get) (?:a )?coffee sometime"
    r"|chat sometime|talk sometime|stay in touch|learn everything)\b"
)
_JOIN_GAP = re.compile(r"[\s,]*(?:(?:and|or|,)\s+)?")
# A few minutes right now (an in-person opener) is bounded, but a weaker ask than "20 minutes".
_SMALL_TALK = rx(r"(?:two|three|four|a few|a couple(?: of)?|couple of|[1-4])[- ]?min")


def find_bounded_ask(text: str) -> str | None:
    found: list[tuple[int, int]] = []
    weak: list[tuple[int, int]] = []
    for pattern in _BOUNDS:
        for m in pattern.finditer(text):
            before = words_before(text, m.start())
            after = TOKEN.findall(text[m.end() : m.end() + 30])
            if before and before[-1] in _NOT_ASK_BEFORE:
                continue
            if after and after[0].lower() in _NOT_ASK_AFTER:
                continue
            found.append((m.start(), m.end()))
            if _SMALL_TALK.match(m.group(0)):
                weak.append(found.pop())
    found = found or weak  # "do you have two minutes?" only if there is no real ask
    if not found:
        return None
    # "30 minutes once a month for the next three months": join adjacent bounds into one phrase.
    found.sort()
    start, end = found[0]
    for s2, e2 in found[1:]:
        if s2 > end and not _JOIN_GAP.fullmatch(text[end:s2]):
            break
        end = max(end, e2)
    return text[start:end].strip()


_RECIPROCITY = [
    rx(r"\bI(?:'m| am) (?:pretty |very |totally |completely |fully )?flexible\b"),
    rx(r"\bI can come to you\b"),
    rx(r"\b(?:wherever|whatever|whenever)(?:'s| is) (?:easiest|most convenient|best)\b"),
    rx(r"\b(?:happy|glad) to\b"),
    rx(r"\bI can (?:share|send|help|return|offer|pass)\b"),
    rx(r"\bI'd (?:be glad|be happy|love) to (?:help|share|return|send you)\b"),
    rx(r"\bin return\b"),
    rx(
        r"\b(?:I know|I realise|I realize|I understand|I appreciate|knowing)(?: that)?"
        r" you(?:'re| are) (?:very |really |incredibly |extremely )?(?:busy|swamped|stretched)\b"
    ),
    rx(r"\bI know (?:that )?your time is (?:valuable|limited|precious|scarce|in demand)\b"),
    rx(r"\byour time is (?:valuable|limited|precious|scarce)\b"),
    rx(r"\bno pressure\b"),
    rx(r"\bno (?:worries|problem)(?: at all)? if\b"),
    rx(r"\bif (?:now|this) (?:isn't|is not) (?:a good|the right) time\b"),
    rx(r"\b(?:completely|totally|fully|entirely) understand(?:able)? if\b"),
    rx(r"\b(?:totally|completely|perfectly|absolutely) (?:fine|okay|ok) if\b"),
    rx(r"\bif you(?:'re| are) (?:too |very |really )?(?:busy|swamped|stretched|at capacity)\b"),
    rx(r"\bI'll come prepared\b"),
    rx(
        r"\bI(?:'ll| will) (?:come|arrive|turn up) (?:with (?:specific |a few |my |clear )?questions|with an agenda)\b"
    ),
    rx(r"\bI(?:'ll| will| can) share what I (?:learn|find)\b"),
    rx(r"\b(?:keep|stick) to (?:the|our) time\b"),
    rx(
        r"\bI(?:'ll| will) keep (?:it|our (?:calls|meetings|chats|time)|them|things) (?:short|brief|focused|to time)\b"
    ),
    rx(r"\bI'll keep it (?:to|under|short|brief)\b"),
    rx(r"\bI'll send (?:an agenda|my questions|questions|a short agenda|the questions)\b"),
    rx(r"\b(?:respect|value) your time\b"),
    rx(r"\b(?:at a time|whenever|whatever time) (?:that )?(?:works|suits) (?:for )?you\b"),
    rx(r"\bwork around your (?:schedule|calendar)\b"),
    rx(r"\bI understand if (?:you|now|this)\b"),
]


def find_reciprocity(text: str) -> str | None:
    found = [(m.start(), phrase(text, m)) for p in _RECIPROCITY for m in p.finditer(text)]
    return earliest(found)


_QUESTION = re.compile(r"(?:[^\s.!?]|[.!](?!\s))(?:[^\n.!?]|[.!](?!\s))*\?")
_CTA = [
    rx(r"\blet me know (?:if|whether|when|what|which)\b"),
    rx(r"\bwould you be (?:open|willing|up for|available)\b"),
    rx(r"\bwould you have (?:time|a few minutes|\d+ minutes)\b"),
    rx(r"\bcould we\b"),
    rx(r"\bare you (?:free|available|around)\b"),
    rx(r"\breply with (?:a|any) (?:time|times|day|slot)\b"),
    rx(r"\bif you're open to it, I'll send\b"),
    rx(r"\bif you(?:'re| are) open to (?:it|that|this)\b"),
    rx(r"\b(?:feel free to|please) (?:reply|suggest|pick|send|let me know)\b"),
    rx(r"\bsuggest a (?:time|slot|day)\b"),
]


def find_question(text: str) -> str | None:
    found = [(m.start(), trim_span(text, m.start(), m.end(), 40)) for m in _QUESTION.finditer(text)]
    found.extend((m.start(), phrase(text, m)) for p in _CTA for m in p.finditer(text))
    return earliest(found)
