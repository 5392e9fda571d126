"""Deterministic rubric for a request to a prospective mentor (no model, no network).

Six checks, in a fixed order: specific_goal, bounded_ask, personalized, reciprocity, question,
length. Each passed text check carries the verbatim phrase of the draft that satisfied it, so a UI
can highlight it; each failed check says what is missing and suggests a concrete fix.

The checks are pattern-based and deliberately conservative: they look for the phrasings mentees
actually use (see knowledge/outreach-request-anatomy.md), not for meaning. Only the body text is
searched for the five text checks; the email subject counts for `length` only.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.services.coaching.rubric_ask import (
    UNBOUNDED,
    find_bounded_ask,
    find_question,
    find_reciprocity,
)
from assistant.services.coaching.rubric_goal import (
    find_goal,
)
from assistant.services.coaching.rubric_personal import (
    find_detail,
    find_personal,
    usable_terms,
)
from assistant.services.coaching.rubric_text import count_words

ITEM_IDS = ("specific_goal", "bounded_ask", "personalized", "reciprocity", "question", "length")
MAX_SUBJECT_CHARS = 80


@dataclass(frozen=True)
class ChannelRule:
    name: str
    label: str
    max_chars: int | None  # counted on the whole (stripped) text, spaces included
    min_words: int
    max_words: int
    needs_subject: bool


CHANNELS: dict[str, ChannelRule] = {
    "email": ChannelRule("email", "Email", None, 60, 220, True),
    "linkedin_note": ChannelRule("linkedin_note", "LinkedIn connection note", 300, 15, 75, False),
    "linkedin_message": ChannelRule("linkedin_message", "LinkedIn message", None, 40, 160, False),
    "in_person": ChannelRule("in_person", "In-person script", None, 25, 130, False),
}


@dataclass
class RubricItem:
    id: str
    passed: bool
    evidence: str  # passed: verbatim phrase from the draft; failed: what was missing
    suggestion: str  # failed: a concrete fix with an example phrase; "" when passed


@dataclass
class RubricReport:
    channel: str
    passed: bool
    items: list[RubricItem]

    def to_dict(self) -> dict:
        return {
            "channel": self.channel,
            "passed": self.passed,
            "items": [
                {
                    "id": item.id,
                    "passed": item.passed,
                    "evidence": item.evidence,
                    "suggestion": item.suggestion,
                }
                for item in self.items
            ],
        }

    def failed(self) -> list[RubricItem]:
        return [item for item in self.items if not item.passed]


def _check_length(text: str, rule: ChannelRule, subject: str | None) -> RubricItem:
    body = text.strip()
    if not body:
        return RubricItem(
            "length",
            False,
            "empty",
            f"Write the {rule.label.lower()}: {rule.min_words}-{rule.max_words} words"
            + (f", at most {rule.max_chars} characters" if rule.max_chars else "")
            + ".",
        )
    words = count_words(body)
    facts, fixes = [], []
    if rule.max_chars is not None:
        chars = len(body)
        facts.append(f"{chars} characters (limit {rule.max_chars})")
        facts.append(f"{words} words (min {rule.min_words})")
        if chars > rule.max_chars:
            fixes.append(
                f"Cut at least {chars - rule.max_chars} characters to fit LinkedIn's "
                f"{rule.max_chars}-character limit; keep who you are, why them and a light ask, "
                "and save details for a message after they accept."
            )
    else:
        facts.append(f"{words} words (range {rule.min_words}-{rule.max_words})")
    if words > rule.max_words:
        fixes.append(
            f"Cut about {words - rule.max_words} words (aim for at most {rule.max_words}): drop "
            "your full background and keep one sentence each for who you are, why them, your goal "
            "and the ask."
        )
    elif words < rule.min_words:
        fixes.append(
            f"Add about {rule.min_words - words} words: one sentence on who you are and your goal, "
            'one on why them, e.g. "I\'m a support analyst working toward a UX research role."'
        )
    if rule.needs_subject:
        subj = (subject or "").strip()
        if not subj:
            facts.append("no subject line")
            fixes.append(
                'Add a specific subject line, e.g. "Question about your move into UX research".'
            )
        else:
            facts.append(f"subject {len(subj)} characters (limit {MAX_SUBJECT_CHARS})")
            if len(subj) > MAX_SUBJECT_CHARS:
                fixes.append(
                    f"Shorten the subject by at least {len(subj) - MAX_SUBJECT_CHARS} characters; "
                    'about 8 words, e.g. "20 minutes on your move into data engineering?"'
                )
    return RubricItem("length", not fixes, "; ".join(facts), " ".join(fixes))


_ASK_EXAMPLE = {
    "email": '"Would you be open to a 20-minute call in the next few weeks?"',
    "linkedin_note": '"...and maybe ask you one quick question once we\'re connected."',
    "linkedin_message": '"Would you be open to 30 minutes once a month for the next three months?"',
    "in_person": '"Could I email you and ask for 20 minutes sometime next month?"',
}
_RESPECT_EXAMPLE = {
    "email": "\"I know you're busy, so I'll keep it to 20 minutes and send my questions ahead.\"",
    "linkedin_note": '"No pressure at all."',
    "linkedin_message": '"If now isn\'t a good time, I completely understand."',
    "in_person": '"Totally fine if you\'re swamped."',
}


def _suggest(item_id: str, channel: str, vague: str | None, mentor_terms: list[str]) -> str:
    if item_id == "specific_goal":
        lead = f'"{vague}" is too vague to act on. ' if vague else ""
        return (
            lead + "Name what you're working toward in one sentence, with an object and ideally a "
            "time frame, e.g. \"I'm working toward moving from QA into security engineering this "
            'year."'
        )
    if item_id == "bounded_ask":
        return (
            "Make the ask small and time-boxed (a duration and/or frequency), e.g. "
            + _ASK_EXAMPLE[channel]
        )
    if item_id == "personalized":
        lead = "Say why them: refer to something specific they did, wrote or said"
        if mentor_terms:
            named = ", ".join(f'"{term}"' for term in mentor_terms[:3])
            return f"{lead}, e.g. one of {named} from their bio and why it matters to your goal."
        return (
            f'{lead}, e.g. "Your talk on learning threat modelling on the job was the clearest '
            "I've found.\""
        )
    if item_id == "reciprocity":
        return (
            "Acknowledge their time or offer something back, and give an easy no, e.g. "
            + _RESPECT_EXAMPLE[channel]
        )
    if item_id == "question":
        return (
            "End with one clear next step they can answer in one reply, e.g. "
            + _ASK_EXAMPLE["email" if channel == "linkedin_note" else channel]
        )
    raise ValueError(item_id)


_MISSING = {
    "specific_goal": "no concrete goal of yours",
    "bounded_ask": "no time-boxed ask (duration or frequency)",
    "personalized": "nothing specific about their work, role or path",
    "reciprocity": "no offer in return or acknowledgement of their time",
    "question": "no question or clear call to action",
}


def check_outreach(
    text: str,
    channel: str,
    *,
    subject: str | None = None,
    mentor_name: str | None = None,
    mentor_terms: list[str] | None = None,
    mentor_details: set[str] | None = None,
) -> RubricReport:
    """Check a draft request against the six-part rubric for its channel. `mentor_details`:
    stems of the mentor's bio beyond their name and title; a sentence to them ("you", "your")
    with two of them says why this person ("because you write a newsletter on new managers")."""
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}; valid channels: {', '.join(CHANNELS)}")
    rule = CHANNELS[channel]
    text = text or ""
    terms = usable_terms(mentor_terms, mentor_name)
    empty = not text.strip()

    if empty:
        results: dict[str, str | None] = dict.fromkeys(ITEM_IDS[:5])
        vague = None
    else:
        goal, vague = find_goal(text)
        results = {
            "specific_goal": goal,
            "bounded_ask": find_bounded_ask(text),
            "personalized": find_personal(text, mentor_name, terms)
            or find_detail(text, mentor_details or set()),
            "reciprocity": find_reciprocity(text),
            "question": find_question(text),
        }

    items = []
    for item_id in ITEM_IDS[:5]:
        evidence = results[item_id]
        if evidence:
            items.append(RubricItem(item_id, True, evidence, ""))
            continue
        missing = "empty draft" if empty else _MISSING[item_id]
        if item_id == "bounded_ask" and not empty and (m := UNBOUNDED.search(text)):
            missing = f'open-ended ask ("{m.group(0)}") with no time limit'
        suggestion = _suggest(
            item_id, channel, vague if item_id == "specific_goal" else None, terms
        )
        items.append(RubricItem(item_id, False, missing, suggestion))
    items.append(_check_length(text, rule, subject))
    return RubricReport(channel, all(item.passed for item in items), items)


def has_reciprocity(text: str) -> bool:
    """Does `text` offer something back or promise to respect the mentor's time?"""
    return find_reciprocity(text) is not None


def has_open_question(text: str) -> bool:
    """Does `text` ask a question or make a clear call to action?"""
    return find_question(text) is not None


def has_bounded_ask(text: str) -> bool:
    """Does `text` ask for a bounded amount of time (a duration or a frequency)?"""
    return find_bounded_ask(text) is not None


def has_specific_goal(text: str) -> bool:
    """Does `text` state a concrete goal ("I want to …", "My goal is to …")?"""
    return find_goal(text)[0] is not None


def is_personal(text: str, mentor_name: str, terms: list[str]) -> bool:
    """Does `text` say why this mentor (their work, path or a term of their bio)?"""
    return find_personal(text, mentor_name, usable_terms(terms, mentor_name)) is not None
