"""Deterministic goal check: is a mentee's goal concrete (a measure and a deadline), and which
loaded words would a mentor ask about? Pure stdlib; no model involved.

The rules follow the knowledge notes `smart-goals` and `vague-goal-words`: a goal is concrete when it
names something a third person could count or see (`has_measure`) and a time frame
(`has_deadline`). Vague words are reported separately; a goal can be concrete and still contain one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUESTIONS = 3

EMPTY_GOAL_QUESTION = (
    "What do you want to achieve? Try one sentence: what you'd be doing, and by when."
)
MEASURE_QUESTION = "How will you know you've got there — what could you count or show?"
DEADLINE_QUESTION = "By when do you want this — a date or an event like your next review?"

# Canonical vague term -> the clarifying question a mentor would ask about it.
VAGUE_TERMS: dict[str, str] = {
    "manage": (
        "Which part of managing do you mean: running 1:1s, giving feedback, hiring, planning, "
        "or something else?"
    ),
    "better": "What would you be doing differently if you were 'better' — what would others notice?",
    "good": "What does 'good' look like here — what would you be doing that you aren't now?",
    "great": "What would 'great' look like in practice — something someone else could see?",
    "successful": (
        "By whose standard would this be 'successful' — which one matters: title, pay, impact or freedom?"
    ),
    "grow": "Grow in what — scope, skills, salary or network? Which one matters most right now?",
    "improve": "Improve from where to where — what's your starting point, and what's the target?",
    "leader": (
        "Do you mean leading with a title or without one — what exactly would you be leading?"
    ),
    "confident": "What would you do if you were 'confident' that you don't do now?",
    "visible": "Visible to whom, and for what — which people should see which piece of your work?",
    "impact": "What would 'impact' mean here — which result, for whom, that someone could point to?",
    "strategic": (
        "What would being 'strategic' look like in your week — which plans or decisions would "
        "you own?"
    ),
    "more senior": (
        "What would 'more senior' mean in practice — a title, a bigger scope, or decisions you'd "
        "make on your own?"
    ),
    "influence": "Whose decisions do you want to 'influence', and about what?",
    "executive presence": (
        "What would people see if you had 'executive presence' — speaking up, staying calm, "
        "being concise, something else?"
    ),
    "network": "Who do you want to know that you don't now — which people or groups, and why?",
    "develop": "Develop what, exactly — which skill or area, and how would you show it?",
    "skills": "Which skill, specifically — and what could you do with it that you can't do now?",
    "career": "Which part of your career — role, title, field or pay? What's the next step you want?",
    "balance": "What would 'balance' look like in a normal week — hours, evenings off, something else?",
    "stand out": "Stand out to whom, and for what — what would they notice?",
    "level up": "Level up to what — a role, a scope, a skill level? What would the next level look like?",
    "excel": "What would excelling look like — a result someone else could see?",
    "effective": "Effective at what, and judged how — what result would show it?",
    "communicate": (
        "Which kind of communication — writing, presenting, meetings or 1:1s — and with whom?"
    ),
    "empower": "What would 'empowered' look like — which decisions would be made without you?",
}

# Adjectives that turn an otherwise observable phrase into a judgement ("become a better manager").
_EVALUATIVE = {"better", "good", "great", "effective", "successful", "strategic", "confident"}

_ROLE_QUALIFIERS = {
    "engineering",
    "product",
    "project",
    "program",
    "programme",
    "general",
    "account",
    "hiring",
    "line",
    "delivery",
    "release",
    "community",
}
_POSSESSIVES = {"my", "our", "your", "his", "her", "their"}
_LEAD_ROLE_QUALIFIERS = {
    "tech",
    "team",
    "project",
    "design",
    "eng",
    "engineering",
    "product",
    "squad",
    "workstream",
    "technical",
    "the",
    "a",
    "an",
}


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


@dataclass
class GoalCheck:
    concrete: bool  # has_measure and has_deadline
    vague_terms: list[str]  # surface forms, lowercase, in order of appearance, one per term
    has_measure: bool
    has_deadline: bool
    measure: str | None  # verbatim substring of the goal, or None
    deadline: str | None  # verbatim substring of the goal, or None
    questions: list[str] = field(default_factory=list)  # at most MAX_QUESTIONS

    def to_dict(self) -> dict:
        return {
            "concrete": self.concrete,
            "vague_terms": list(self.vague_terms),
            "has_measure": self.has_measure,
            "has_deadline": self.has_deadline,
            "questions": list(self.questions),
            "measure": self.measure,
            "deadline": self.deadline,
        }


# --------------------------------------------------------------------------- vague terms

_WORD_BEFORE = re.compile(r"([\w'’-]+)\s+$")
_WORD_AFTER = re.compile(r"\s+([\w'’-]+)")


def _prev_word(text: str, start: int) -> str:
    m = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    return m.group(1).lower() if m else ""


def _next_word(text: str, end: int) -> str:
    m = _WORD_AFTER.match(text, end)
    return m.group(1).lower() if m else ""


def _followed_by_punct_or_end(text: str, end: int) -> bool:
    rest = text[end:].lstrip(" \t")
    return not rest or rest[0] in ".,;:!?\n)"


def _vague_hits(text: str) -> list[tuple[int, int, str, str]]:
    """All vague-term matches as (start, end, key, surface), left to right, without overlaps."""
    hits = []
    for term in _TERMS:
        for m in term.pattern.finditer(text):
            if _prev_word(text, m.start()) in term.not_after:
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


def _vague_found(text: str) -> list[tuple[str, str]]:
    """(surface, key) for the first occurrence of each vague term, in order of appearance."""
    seen: set[str] = set()
    found = []
    for _, _, key, surface in _vague_hits(text):
        if key not in seen:
            seen.add(key)
            found.append((surface, key))
    return found


def find_vague_terms(text: str) -> list[str]:
    """Vague words as written (lowercase), first occurrence of each term, in order."""
    return [surface for surface, _ in _vague_found(text or "")]


def term_key(word: str) -> str | None:
    """The VAGUE_TERMS key for a word as reported in `vague_terms` ("manager" -> "manage")."""
    hits = _vague_hits(word)
    return hits[0][2] if hits else None


# --------------------------------------------------------------------------- deadlines

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_YEAR = r"(?:19|20)\d{2}"
_QUARTER = r"(?:q[1-4]|h[12]|fy\s?\d{2,4})(?:\s+" + _YEAR + r"|\s*'\d{2})?"
_NUM_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|ninety"
    r"|hundred|a\s+dozen|dozen|a\s+hundred)"
)
_NUMQ = (
    r"(?:\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+)?|" + _NUM_WORDS + r"|a\s+few|a\s+couple(?:\s+of)?"
    r"|couple\s+of|few|several|an?)"
)
_UNIT = r"(?:days?|weeks?|months?|years?|yrs?|quarters?|sprints?|semesters?)"
_PERIOD = (
    r"(?:(?:calendar|fiscal|financial|school|academic)\s+year|week|month|quarter|year|sprint"
    r"|yr|half|semester|term|summer|spring|fall|autumn|winter)"
)
_REVIEW = (
    r"(?:(?:performance|perf|promo|promotion|annual|mid-?year|year-?end|end-of-year)\s+)?"
    r"(?:review|cycle|appraisal|calibration)(?:\s+(?:cycle|period|season))?"
)
_EVENT = (
    r"(?:reviews?|cycle|appraisal|calibration|evaluation|assessment|off-?site|conference|summit"
    r"|interview|graduation|deadline|launch|kick-?off|meeting|1:1|one-on-one|check-?in"
    r"|all-hands|demo|retro(?:spective)?|planning|release|anniversary|break|vacation|leave"
    r"|holidays)"
)
_ANCHOR = (
    r"(?:early\s+|mid[- ]?|late\s+)?(?:"
    + _MONTHS
    + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+"
    + _YEAR
    + r")?|"
    + _QUARTER
    + r"|"
    + _YEAR
    + r"|"
    + _WEEKDAYS
    + r"|tomorrow|tonight|today|eod|eow|eom|eoq|eoy|cob|year[- ]end"
    r"|(?:the\s+)?(?:weekend|summer|spring|autumn|fall|winter|holidays)"
    r"|christmas|new\s+year(?:['’]s)?|graduation|(?:the\s+)?age\s+(?:of\s+)?\d{2})"
)
_DATE = (
    r"(?:" + _YEAR + r"-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}\.\d{1,2}\.\d{4}"
    r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+" + _YEAR + r")?"
    r"|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"(?:,?\s+" + _YEAR + r")?)"
)

_DEADLINE_ALTERNATIVES = [
    # in 90 days, within 6 months, over the next two quarters, in six months' time
    r"(?:within|in|over|for\s+the)\s+(?:the\s+)?(?:next\s+|coming\s+|following\s+)?"
    + _NUMQ
    + r"\s+(?:more\s+)?"
    + _UNIT
    + r"(?:['’]s?)?(?:\s+time)?",
    # six months from now
    _NUMQ + r"\s+" + _UNIT + r"\s+from\s+(?:now|today)",
    # by the end of Q3, end of the year, before the end-of-year review
    r"(?:(?:by|before|until|till|til|at|in|around|no\s+later\s+than)\s+)?(?:the\s+)?end[- ]of[- ]"
    r"(?:the\s+)?(?:(?:this|next|the)\s+)?(?:"
    + _PERIOD
    + r"|day|"
    + _MONTHS
    + r"|"
    + _QUARTER
    + r"|"
    + _YEAR
    + r"|(?:my|our|the)\s+[\w-]+)(?:\s+"
    + _YEAR
    + r")?",
    # next quarter, this year, by next review cycle, within the next year
    r"(?:(?:by|before|until|till|til|in|during|within|over)\s+)?(?:the\s+)?"
    r"(?:next|this|coming|upcoming)\s+(?:" + _REVIEW + r"|" + _PERIOD + r")",
    r"(?:(?:by|before|until|till|til|on)\s+)?(?:this|next|coming)\s+" + _WEEKDAYS,
    r"(?:(?:by|before|until|till|til|in)\s+)?next\s+" + _MONTHS,
    # by 2027-03-01, on 15 March, March 15th
    r"(?:(?:by|before|on|until|till|til|no\s+later\s+than)\s+)?" + _DATE,
    # by June, in Q3, before 2027, by Friday, by EOY
    r"(?:by|before|until|till|til|in|during|over|no\s+later\s+than|ahead\s+of)\s+" + _ANCHOR,
    # before my review in March, by our next 1:1, ahead of the team offsite
    r"(?:by|before|until|till|til|ahead\s+of|in\s+time\s+for)\s+(?:my|the|our|his|her|their)\s+"
    r"(?:[\w'’-]+\s+){0,3}?"
    + _EVENT
    + r"(?:\s+(?:in|on)\s+(?:"
    + _MONTHS
    + r"(?:\s+\d{1,2})?|"
    + _QUARTER
    + r"|"
    + _YEAR
    + r"|"
    + _WEEKDAYS
    + r"|(?:the\s+)?(?:spring|summer|fall|autumn|winter)))?",
]
_DEADLINE = re.compile(r"\b(?:" + "|".join(_DEADLINE_ALTERNATIVES) + r")(?![\w'’])", re.IGNORECASE)


def _deadline_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DEADLINE.finditer(text)]


def find_deadline(text: str) -> str | None:
    """The first time frame in the text, verbatim ("by the end of Q3", "within 6 months")."""
    m = _DEADLINE.search(text or "")
    return m.group(0) if m else None


# --------------------------------------------------------------------------- measures

_TIME_UNITS = {
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "yr",
    "yrs",
    "quarter",
    "quarters",
    "sprint",
    "sprints",
    "decade",
    "decades",
    "weekend",
    "weekends",
    "semester",
    "semesters",
    "am",
    "pm",
    "o'clock",
}
_STOP = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "but",
    "so",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "into",
    "about",
    "per",
    "each",
    "every",
    "this",
    "that",
    "these",
    "those",
    "next",
    "before",
    "after",
    "within",
    "until",
    "till",
    "because",
    "while",
    "which",
    "who",
    "when",
    "where",
    "if",
    "then",
    "as",
    "than",
    "more",
    "less",
    "i",
    "i'm",
    "i’m",
    "i've",
    "i’ve",
    "me",
    "my",
    "we",
    "our",
    "you",
    "your",
    "he",
    "she",
    "they",
    "it",
    "is",
    "am",
    "are",
    "was",
    "were",
    "be",
    "been",
    "have",
    "has",
    "had",
    "do",
    "did",
    "will",
    "would",
    "can",
    "could",
    "should",
    "not",
    "no",
    "also",
    "plus",
    "times",
    "thing",
    "things",
    "way",
    "point",
    "time",
    "another",
    "other",
    "yet",
    "too",
    # common function words of other languages, so "2 talks en la conferencia" stops at "talks"
    "en",
    "la",
    "el",
    "de",
    "del",
    "para",
    "por",
    "con",
    "und",
    "der",
    "die",
    "das",
    "bis",
    "zu",
    "im",
    "le",
    "les",
    "des",
    "du",
    "pour",
    "avec",
}
# Words that end an outcome phrase ("get promoted to staff engineer | by ...").
_BOUNDARY = {
    "by",
    "before",
    "within",
    "until",
    "till",
    "and",
    "or",
    "but",
    "so",
    "because",
    "while",
    "which",
    "who",
    "when",
    "where",
    "after",
    "since",
    "if",
    "then",
    "as",
    "plus",
    "also",
    "i",
    "next",
    "this",
    "last",
}
_TRAILING = {"the", "a", "an", "to", "at", "of", "for", "my", "our", "with", "on", "in", "from"}
_NOT_BEFORE_ONE = {"no", "any", "some", "every", "each", "the", "this", "that", "which"}

_NUMBER = re.compile(
    r"(?<![\w./:$£€#-])(\d+(?:,\d{3})*(?:\.\d+)?\+?|" + _NUM_WORDS + r")(?![\w/:%])(?:-[a-z]+)?",
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
    r"(?:at\s+least\s+)?(?:once|twice|(?:\d+|" + _NUM_WORDS + r")\s+times)\s+"
    r"(?:a|an|per|each|every|in\s+(?:each|every))\s+(?:[\w-]+\s+){0,2}?"
    r"(?:day|week|month|quarter|year|sprint|meeting|review|standup|stand-up|1:1|one-on-one)s?\b",
]
_FIXED_MEASURE = re.compile("|".join(f"(?:{p})" for p in _FIXED_MEASURES), re.IGNORECASE)

_ROLE = (
    r"(?:lead|engineer|manager|director|architect|designer|scientist|analyst|developer|principal"
    r"|head\s+of\s+[\w-]+|vp|cto|ceo|owner|maintainer|consultant|staff|partner|em|pm|sre|ic)"
)
_OUTCOME_TRIGGERS = [
    r"get(?:ting)?\s+promoted",
    r"(?:earn|get|land|secure|win)\s+(?:a|the|my)\s+promotion",
    r"promot(?:ed|ion)\s+to",
    r"lead(?:ing)?\s+(?:the|a|an|our|my|\d+|" + _NUM_WORDS + r")\b",
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


def _extend(text: str, end: int, limit: int, max_words: int, stop: set[str]) -> int:
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
        if number.lower() == "one" and _prev_word(text, m.start()) in _NOT_BEFORE_ONE:
            continue
        first = _TOKEN.match(text, m.end())
        if not first:
            continue
        word = first.group(1).lower()
        if word in _STOP or word in _TIME_UNITS or not word[0].isalpha() and "-" not in word:
            continue
        limit = min([s for s, _ in deadlines if s >= m.end()], default=len(text))
        end = _extend(text, m.end(), limit, 3, _STOP | _TIME_UNITS | _BOUNDARY)
        if end == m.end():
            continue
        start = m.start()
        q = _QUANTIFIER_BEFORE.search(text, max(0, start - 20), start)
        if q:
            start = q.start()
        spans.append((start, end))
    return spans


def _measure_spans(text: str) -> list[tuple[int, int]]:
    deadlines = _deadline_spans(text)
    evaluative = [(s, e) for s, e, key, _ in _vague_hits(text) if key in _EVALUATIVE]
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


# --------------------------------------------------------------------------- check


def check_goal(text: str) -> GoalCheck:
    """Check a goal for a measure, a deadline and vague words; ask up to three questions."""
    text = text or ""
    if not text.strip():
        return GoalCheck(
            concrete=False,
            vague_terms=[],
            has_measure=False,
            has_deadline=False,
            measure=None,
            deadline=None,
            questions=[EMPTY_GOAL_QUESTION],
        )
    vague = _vague_found(text)
    measure = find_measure(text)
    deadline = find_deadline(text)
    questions = [VAGUE_TERMS[key] for _, key in vague][:MAX_QUESTIONS]
    if measure is None and len(questions) < MAX_QUESTIONS:
        questions.append(MEASURE_QUESTION)
    if deadline is None and len(questions) < MAX_QUESTIONS:
        questions.append(DEADLINE_QUESTION)
    return GoalCheck(
        concrete=measure is not None and deadline is not None,
        vague_terms=[surface for surface, _ in vague],
        has_measure=measure is not None,
        has_deadline=deadline is not None,
        measure=measure,
        deadline=deadline,
        questions=questions,
    )
