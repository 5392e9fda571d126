"""The outreach rubric's `specific_goal` check: a goal of the mentee's with a concrete object."""

from __future__ import annotations

import re

from assistant.services.coaching.rubric_text import (
    FIRST_PERSON,
    STOP,
    TOKEN,
    clause_end,
    earliest,
    last_subject_is_other,
    phrase,
    rx,
    word_set,
)
from assistant.text.phrases import found_all

_GOAL_VERBS = (
    r"(?:become|be|move|get|land|learn|lead|transition|switch|build|improve|grow|break|step|make"
    r"|develop|earn|pass|start|launch|run|manage|ship|publish|change|pivot|join|go|qualify|master"
    r"|write|finish|complete|apply|take on|own|secure|reach|achieve|gain|strengthen|sharpen"
    r"|contribute|found|raise|prepare|speciali[sz]e|focus|level up|shift|return|work)"
)
_GOAL_VERBS_ING = (
    r"(?:becoming|moving|getting|landing|learning|leading|transitioning|switching|building"
    r"|improving|growing|breaking|stepping|making|developing|earning|passing|starting|launching"
    r"|pivoting|joining|going|shifting|preparing|returning|working)"
)
_I = r"\bI(?:'m| am)(?: currently| now| actively| really| also| slowly)?"
_I_OPT = r"(?:" + _I + r" )?\b"  # "I'm aiming to" or "a QA engineer aiming to"

# (pattern, object must be checked). Patterns ending in a verb are followed by the object.
_GOAL_TRIGGERS: list[tuple[re.Pattern[str], bool]] = [
    (
        rx(
            r"\bmy (?:main |immediate |short-term |long-term |next |big |real |career |current )?"
            r"(?:goal|aim|plan|target|ambition|objective)(?: for [^.?!\n]{1,40}?)?"
            r" is(?: to| that)?\b"
        ),
        True,
    ),
    (rx(_I_OPT + r"working (?:towards?|to " + _GOAL_VERBS + r"\b)"), True),
    (rx(_I_OPT + r"working on " + _GOAL_VERBS_ING + r"\b"), True),
    (rx(_I_OPT + r"(?:aiming|hoping|planning|preparing) for\b"), True),
    (rx(r"\bpreparing for\b"), True),
    (
        rx(
            _I_OPT
            + r"(?:aiming|hoping|trying|looking|planning|preparing|working|striving|intending)"
            r" to " + _GOAL_VERBS + r"\b"
        ),
        True,
    ),
    (
        rx(
            r"\bI(?:'d| would)?(?: really| also| eventually| ultimately| now| still| very much)?"
            r" (?:want|like|love|hope|plan|intend|aim|expect|wish|need) to " + _GOAL_VERBS + r"\b"
        ),
        True,
    ),
    (rx(r"\bso(?: that)? I can " + _GOAL_VERBS + r"\b"), True),
    # any other verb after "I want to": its object decides whether the goal is concrete
    (
        rx(
            r"\bI(?:'d| would)?(?: really| also)? (?:want|like|love|hope|plan|intend|aim) to"
            r" (?!(?:be|get|become|grow|improve|do|have|feel|know|talk|chat|meet|ask|hear|pick"
            r"|connect|catch|grab|see|say|thank|share|introduce|reach|hop|jump|set)\b)[a-z]+"
        ),
        True,
    ),
    (
        rx(
            _I + r" (?:moving|transitioning|switching|pivoting|shifting|changing careers?)"
            r"(?: from [^.?!\n,]{1,50}?)? (?:in)?to\b"
        ),
        True,
    ),
    (
        rx(
            r"\b(?:planning|considering|preparing|making|working toward|aiming for) (?:a|my)"
            r" (?:move|switch|transition|pivot|jump|career change)(?: from [^.?!\n,]{1,50}?)?"
            r" (?:in)?to\b"
        ),
        True,
    ),
    # "planning the same switch": the object is the mentor's concrete path named nearby.
    (
        rx(
            r"\b(?:planning|making|attempting|preparing for|aiming for|working toward"
            r"|trying to make|hoping to make|want to make|'d like to make)"
            r" (?:the same|a similar|that same)"
            r" (?:switch|move|transition|jump|pivot|path|career change)\b"
        ),
        False,
    ),
]

_VAGUE = word_set(
    """grow growth better best improve improvement develop development learn learning get become do
    make take move go start build lead work keep continue find figure understand know have see
    reach achieve succeed success successful progress advance excel thrive level step steps up
    career careers job jobs role roles position opportunity opportunities field industry space
    area skills skill skillset knowledge experience potential version self professionally
    personally professional personal journey path direction clarity forward ahead higher further
    things stuff great good advice help guidance feedback thoughts input perspective
    perspectives insight insights mentor mentorship mentoring chat call coffee brain
    conversation connect network networking change changes difference impact life goals goal new
    same different whatever everything anything myself yourself mentee protege protégé growing
    improving developing getting becoming progressing advancing succeeding excelling thriving
    moving going doing making taking building leading starting keeping continuing finding
    reaching achieving learning working changing helping stronger faster smarter"""
)
_EVALUATIVE = frozenset(found_all("evaluative"))  # "a better engineer" names nothing concrete
_GENERIC_PEOPLE = word_set(
    """engineer developer designer professional leader person employee worker teammate colleague
    contributor individual manager"""
)


def _concrete_object(text: str, pos: int) -> bool:
    """Whether the clause after pos names something concrete (not just 'grow' or 'be better')."""
    clause = text[pos : clause_end(text, pos)]
    tokens = [t.lower().replace("’", "'") for t in TOKEN.findall(clause)][:12]
    content = [t for t in tokens if t not in STOP and t not in _VAGUE]
    if not content:
        return False
    # "become a better engineer": a generic person noun qualified only by praise is still vague.
    return not (set(content) <= _GENERIC_PEOPLE and _EVALUATIVE & set(tokens))


def find_goal(text: str) -> tuple[str | None, str | None]:
    """(evidence, vague phrase seen)."""
    found: list[tuple[int, str]] = []
    vague: list[tuple[int, str]] = []
    for pattern, needs_object in _GOAL_TRIGGERS:
        for m in pattern.finditer(text):
            starts_first_person = m.group(0).split()[0].lower().replace("’", "'") in FIRST_PERSON
            if not starts_first_person and last_subject_is_other(text, m.start()):
                continue  # "you're aiming to ...": someone else's goal
            if needs_object and not _concrete_object(text, m.end()):
                vague.append((m.start(), phrase(text, m)))
                continue
            found.append((m.start(), phrase(text, m) if needs_object else m.group(0)))
    return earliest(found), earliest(vague)
