"""Measurable outcomes in a goal, verbatim: a count ("3 talks"), a fixed measure ("20%", "once a
week") or an observable outcome ("pass the AWS exam", "lead the Q3 launch")."""

from __future__ import annotations

import re

from assistant.services.coaching.goal_deadline import NUM_WORDS, deadline_spans
from assistant.services.coaching.goal_vague import EVALUATIVE, prev_word, vague_hits
from assistant.text.words import NO_TOPIC, TIME_UNITS, alternation, word_set

# Words that end an outcome phrase ("get promoted to staff engineer | by ...").
_BOUNDARY = word_set(
    """by before within until till and or but so because while which who when where after since
    if then as plus also i next this last"""
)
_TRAILING = {"the", "a", "an", "to", "at", "of", "for", "my", "our", "with", "on", "in", "from"}
_NOT_BEFORE_ONE = {"no", "any", "some", "every", "each", "the", "this", "that", "which"}

_NUMBER = re.compile(
    r"(?<![\w./:$£€#-])(\d+(?:,\d{3})*(?:\.\d+)?\+?|" + NUM_WORDS + r")(?![\w/:%])(?:-[a-z]+)?",
    re.IGNORECASE,
)
_QUANTIFIER_BEFORE = re.compile(
    r"(?:\bat\s+least|\bat\s+most|\bmore\s+than|\bfewer\s+than|\bless\s+than|\bup\s+to|\ball)\s+$",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[ \t]+([\w'’:/&+#-]+)")
_YEARLIKE = re.compile(r"(?:19|20)\d{2}")

_FIXED_MEASURES = [
    # 20%, 15 percent
    r"(?<![\w.])\d+(?:\.\d+)?\s?(?:%|percent\b|per\s?cent\b)",
    # score of 4/5, 4.5 out of 5
    r"(?:(?:an?\s+)?(?:average\s+)?(?:score|rating|grade|nps|csat)\s+(?:of\s+)?(?:at\s+least\s+)?)?"
    r"(?<![\w./])\d+(?:\.\d+)?\s*(?:/|out\s+of)\s*\d+\b(?!\s*/\s*\d)",
    # $150k, €5,000
    r"[$£€]\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|bn)?\b",
    # once a week, twice per quarter, 3 times in each sprint
    r"(?:at\s+least\s+)?(?:once|twice|(?:\d+|" + NUM_WORDS + r")\s+times)\s+"
    r"(?:a|an|per|each|every|in\s+(?:each|every))\s+(?:[\w-]+\s+){0,2}?"
    r"(?:day|week|month|quarter|year|sprint|meeting|review|standup|stand-up|1:1|one-on-one)s?\b",
]
_FIXED_MEASURE = re.compile("|".join(f"(?:{p})" for p in _FIXED_MEASURES), re.IGNORECASE)

# A title one can be seen to hold (text/phrases/roles.txt): "become a tech lead", "become a
# founder". Not "leader": "become a (team) leader" names a quality, not a title one takes on.
_ROLE = r"(?!leader\b)" + alternation("roles")
_OUTCOME_TRIGGERS = [
    r"get(?:ting)?\s+promoted",
    r"(?:earn|get|land|secure|win)\s+(?:a|the|my)\s+promotion",
    r"promot(?:ed|ion)\s+to",
    r"lead(?:ing)?\s+(?:the|a|an|our|my|\d+|" + NUM_WORDS + r")\b",
    r"run(?:ning)?\s+(?:the|our|my|a|an|weekly|monthly|regular|1:1s?|one-on-ones?|\d+)\b",
    r"pass(?:ing)?\s+(?:the|my|a|an|both|all)\b",
    r"(?:get(?:ting)?|become)\s+(?:[\w-]+\s+)?certified",
    r"(?:earn|get|obtain|complete|finish)\s+(?:the|a|an|my)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:certification|certificate|degree|course|bootcamp|masters?|mba|phd)",
    r"ship(?:s|ping)?",
    r"publish(?:es|ing)?",
    r"present(?:ing)?\s+(?:at|to|my|our|the|a|an)\b",
    r"(?:give|deliver|giving|delivering)\s+(?:a|an|my|the|one)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:talk|presentation|demo|keynote|workshop|lecture)",
    r"speak(?:ing)?\s+at(?!\s+(?:least|most)\b)",
    r"launch(?:es|ing)?\s+(?:the|a|an|our|my)\b",
    r"(?:land|get|receive|secure|accept)\s+(?:a|an|the|my)\s+(?:[\w-]+\s+)?"
    r"(?:job|offer|role|position|internship)",
    r"get\s+(?:hired|accepted|admitted)",
    r"(?:become|be)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?" + _ROLE,
    r"(?:move|moving|transition|transitioning|switch|switching)\s+(?:from\s+(?:[\w-]+\s+){1,3}?)?"
    r"(?:in)?to\s+(?:a|an|the\s+)?\s*(?:[\w-]+\s+){0,2}?(?:" + _ROLE + r"|role|position)",
    r"(?:write|finish|complete|submit|draft)\s+(?:a|an|the|my|our)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:doc|document|spec|rfc|proposal|paper|post|article|book|thesis|chapter)s?",
    r"get\s+(?:a\s+)?(?:raise|offer)",
    # an event you can point to: a mentor found and agreed
    r"(?:find|get|have|land|secure|sign\s+up)\s+(?:a|an|one|my|the)\s+(?:new\s+)?mentor\b",
    r"(?:new\s+)?mentor\s+(?:agreed|confirmed|signed\s+up|in\s+place)",
    # "zero missed items": none of something countable
    r"zero\s+[\w-]+(?:\s+[\w-]+)?",
]
_OUTCOME = re.compile(r"\b(?:" + "|".join(_OUTCOME_TRIGGERS) + r")(?![\w'’])", re.IGNORECASE)
_MAX_OUTCOME_WORDS = 8


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _extend(text: str, end: int, limit: int, max_words: int, stop: frozenset[str]) -> int:
    """Grow a phrase word by word from `end` until punctuation, a stop word or `limit`."""
    words = 0
    ends = [end]
    while words < max_words:
        m = _TOKEN.match(text, end)
        if not m or m.start(1) >= limit or m.group(1).lower() in stop:
            break
        end = m.end()
        ends.append(end)
        words += 1
    # Drop dangling function words ("present at the" -> "present at the all-hands" is fine).
    while len(ends) > 1:
        last = text[ends[-2] : ends[-1]].strip().lower()
        if last not in _TRAILING:
            break
        ends.pop()
    return ends[-1]


def _count_measures(text: str, deadlines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = []
    for m in _NUMBER.finditer(text):
        number = m.group(1)
        if _inside(m.start(), deadlines):
            continue
        if _YEARLIKE.fullmatch(number):
            continue
        if number.lower() == "one" and prev_word(text, m.start()) in _NOT_BEFORE_ONE:
            continue
        first = _TOKEN.match(text, m.end())
        if not first:
            continue
        word = first.group(1).lower()
        if word in NO_TOPIC or word in TIME_UNITS or not word[0].isalpha() and "-" not in word:
            continue
        limit = min([s for s, _ in deadlines if s >= m.end()], default=len(text))
        end = _extend(text, m.end(), limit, 3, NO_TOPIC | TIME_UNITS | _BOUNDARY)
        if end == m.end():
            continue
        start = m.start()
        q = _QUANTIFIER_BEFORE.search(text, max(0, start - 20), start)
        if q:
            start = q.start()
        spans.append((start, end))
    return spans


def _measure_spans(text: str) -> list[tuple[int, int]]:
    deadlines = deadline_spans(text)
    evaluative = [(s, e) for s, e, key, _ in vague_hits(text) if key in EVALUATIVE]
    spans = [m.span() for m in _FIXED_MEASURE.finditer(text) if not _inside(m.start(), deadlines)]
    spans += _count_measures(text, deadlines)
    for m in _OUTCOME.finditer(text):
        if _inside(m.start(), deadlines):
            continue
        limit = min([s for s, _ in deadlines if s >= m.end()], default=len(text))
        end = _extend(text, m.end(), limit, _MAX_OUTCOME_WORDS - 1, _BOUNDARY)
        if any(m.start() <= s < end for s, _ in evaluative):
            continue  # "become a better manager" is a judgement, not an observable outcome
        spans.append((m.start(), end))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    return spans


def find_measure(text: str) -> str | None:
    """The measurable outcome in the text, verbatim ("3 talks", "pass the AWS exam"): the first
    one with a number if there is one ("a 4/5 score" over "running useful 1:1s"), else the first."""
    text = text or ""
    spans = _measure_spans(text)
    if not spans:
        return None
    counted = [
        span
        for span in spans
        if any(ch.isdigit() for ch in _without_meeting_names(text[slice(*span)]))
    ]
    start, end = (counted or spans)[0]
    return text[start:end].strip()


def _without_meeting_names(text: str) -> str:
    """ "1:1s" and "1-on-1" name a kind of meeting; they are not a count."""
    return re.sub(r"\b1\s*(?::|-on-|on)\s*1s?\b", " ", text, flags=re.IGNORECASE)
