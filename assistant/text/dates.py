"""Deadlines in words ("next summer", "end of Q2", "within 9 months") as a date.

The end of the period a phrase names, counted from `today`. Months, days and plain relative
phrases go to dateparser; quarters, seasons, terms and "end of …" are read here, since
dateparser does not know them.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from assistant.text.words import NUMBER_WORDS

_SEASON_END = {"spring": (5, 31), "summer": (8, 31), "fall": (11, 30), "autumn": (11, 30)}
_SEASON_START = {"spring": (3, 1), "summer": (6, 1), "fall": (9, 1), "autumn": (9, 1)}
_NUMBERS = {"a": 1, "an": 1} | NUMBER_WORDS
_YEAR = r"(?:\s+(?P<year>\d{4}|this year|next year))?"


def _year(match: re.Match, today: date, month: int) -> int:
    said = (match.groupdict().get("year") or "").lower()
    if said.isdigit():
        return int(said)
    if said == "next year":
        return today.year + 1
    if said == "this year":
        return today.year
    return today.year if month >= today.month else today.year + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def deadline_date(text: str, today: date | None = None) -> date | None:
    """The last day of the period `text` names, or None when it names no time."""
    today = today or date.today()
    t = " ".join(text.lower().replace("’", "'").split())
    before = bool(re.search(r"\bbefore\b", t))

    if m := re.search(r"\bq([1-4])" + _YEAR, t):
        q = int(m.group(1))
        year = _year(m, today, 3 * q)
        return _month_end(year, 3 * q)
    if m := re.search(r"\b(?:end of |by )?(this|next) (year|quarter|month|week)\b", t):
        which, unit = m.groups()
        shift = 1 if which == "next" else 0
        if unit == "year":
            return date(today.year + shift, 12, 31)
        if unit == "quarter":
            q = (today.month - 1) // 3 + 1 + shift
            year = today.year + (q - 1) // 4
            return _month_end(year, ((q - 1) % 4 + 1) * 3)
        if unit == "month":
            month = today.month + shift
            return _month_end(today.year + (month - 1) // 12, (month - 1) % 12 + 1)
        return today + timedelta(days=6 - today.weekday() + 7 * shift)
    if re.search(r"\bend of (?:the )?year\b", t):
        return date(today.year, 12, 31)
    if re.search(r"\bnew year\b", t):  # "in the new year, ideally by March": the month wins
        return _parsed(t, today) or date(today.year + 1, 1, 31)
    months = "|".join(calendar.month_name[1:]).lower()
    named_month = re.search(rf"\b(?:{months})\b", t)  # "the winter schedule … end of October"
    if not named_month and (
        m := re.search(r"\b(spring|summer|fall|autumn|winter)\b(?: (?:semester|term))?" + _YEAR, t)
    ):
        season = m.group(1)
        if season == "winter":
            return date(today.year + 1, 2, 28)
        month, day = (_SEASON_START if before or "semester" in t else _SEASON_END)[season]
        year = _year(m, today, month)
        if re.search(r"\bnext (spring|summer|fall|autumn)\b", t) and year == today.year:
            year = today.year + (1 if month < today.month else 0)
        return date(year, month, day)
    if m := re.search(
        r"\b(?:within|in|over|by the end of)(?: the next)? (\d+|[a-z]+) (day|week|month|quarter|year)s?\b",
        t,
    ):
        count = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS.get(m.group(1))
        if count:
            from dateutil.relativedelta import relativedelta

            unit = m.group(2)
            if unit == "quarter":  # "within the next two quarters": six months
                unit, count = "month", 3 * count
            return today + relativedelta(**{unit + "s": count})
    return _parsed(t, today)


def _parsed(t: str, today: date) -> date | None:
    """A month or a day named in the text, through dateparser ("by September", "30 June 2027",
    "before the March promotion cycle")."""
    import dateparser.search

    months = "|".join(calendar.month_name[1:])
    m = re.search(rf"\b({months})\b(?: (\d{{1,2}}))?(?:,? (\d{{4}}))?", t, re.I)
    d = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({months})(?:,? (\d{{4}}))?", t, re.I)
    if m or d:
        phrase = (d or m).group(0)
        settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": _datetime(today)}
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
        if parsed is None:
            return None
        day_given = bool(d) or bool(m and m.group(2))
        if day_given:
            return parsed.date()
        return _month_end(parsed.year, parsed.month)
    return None


def _datetime(today: date):
    from datetime import datetime

    return datetime(today.year, today.month, today.day)


def same_deadline(a: str, b: str, today: date | None = None, days: int = 45) -> bool:
    """True when two deadline phrases name the same time, to within `days`."""
    da, db = deadline_date(a, today), deadline_date(b, today)
    return da is not None and db is not None and abs((da - db).days) <= days
