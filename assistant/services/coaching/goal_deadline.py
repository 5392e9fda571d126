"""Time frames in a goal, verbatim: "by the end of Q3", "within 6 months", "before my review"."""

from __future__ import annotations

import re

from assistant.text.words import NUMBER_WORDS

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_YEAR = r"(?:19|20)\d{2}"
_QUARTER = r"(?:q[1-4]|h[12]|fy\s?\d{2,4})(?:\s+" + _YEAR + r"|\s*'\d{2})?"
NUM_WORDS = r"(?:(?:a\s+)?(?:dozen|hundred)|" + "|".join(sorted(NUMBER_WORDS, key=len)[::-1]) + ")"
_NUMQ = (
    r"(?:\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+)?|" + NUM_WORDS + r"|a\s+few|a\s+couple(?:\s+of)?"
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
# a stretch of the year a trade names ("panto season", "harvest", "exam term")
_SEASON = r"(?:season|harvest|term|semester|series)"
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
    # in 90 days, within 6 months, over the next two quarters, in six months' time, by the end of 9
    # months
    r"(?:within|in|over|for\s+the|by\s+the\s+end\s+of)\s+(?:the\s+)?(?:next\s+|coming\s+|following\s+)?"
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
    + r"|(?:(?:my|our|the)\s+)?[\w-]+\s+"
    + _SEASON
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
    # before panto season, by the end of harvest, ahead of the exam term
    r"(?:by|before|until|till|til|ahead\s+of|in\s+time\s+for)\s+(?:(?:my|the|our|this|next)\s+)?"
    r"(?:[\w-]+\s+)?" + _SEASON,
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


def deadline_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _DEADLINE.finditer(text)]


def find_deadline(text: str) -> str | None:
    """The first time frame in the text, verbatim ("by the end of Q3", "within 6 months")."""
    m = _DEADLINE.search(text or "")
    return m.group(0) if m else None
