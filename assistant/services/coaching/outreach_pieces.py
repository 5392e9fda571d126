"""The pieces the model writes for an outreach message (the goal in the mentee's first person,
an open question for the mentor; a subject for an email) and the checks each must pass alone.
Why this mentor and the offer are MentorPrep's own (outreach_compose.py): in persona runs the
default model wrote neither in a form that passed, with or without a worked example."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from assistant.services.coaching.outreach_rubric import (
    has_open_question,
    has_specific_goal,
)
from assistant.services.coaching.spec import facts, piece
from assistant.services.coaching.structured import borrowed_phrase
from assistant.text.grammar import asks_twice, shortened
from assistant.text.sentences import sentences
from assistant.text.words import content_words, overlap, words

if TYPE_CHECKING:
    from assistant.services.coaching.outreach import OutreachRequest

# words per piece: a LinkedIn note has 300 characters for everything
MAX_WORDS = {"linkedin_note": 12, "in_person": 24}


_THIRD = re.compile(r"\b(?:she|he|her|him|his|hers|herself|himself)\b", re.I)
GENERIC_WORDS = {
    "lead",
    "team",
    "work",
    "year",
    "people",
    "help",
    "group",
    "know",
    "senior",
    "director",
    "head",
    "now",
    "compan",
}


def bio_detail_words(request: OutreachRequest) -> set[str]:
    """Stems of the bio beyond the mentor's name and role and the mentee's own goal: what makes
    'why you' specific ('newsletter', 'event', 'sourcing', 'returners')."""
    return (
        content_words(request.bio)
        - content_words(f"{request.mentor_name} {request.mentor_role}")
        - content_words(request.goal)
        - GENERIC_WORDS
    )


def _common(value: str, info: ValidationInfo, starts: str | None = None) -> str:
    """Checks every piece shares: one sentence, short, to the mentor as 'you', nothing taken
    from the worked example or claimed from the mentor's title."""
    f = facts(info)
    value = " ".join(str(value).split()).strip()
    if len(sentences(value)) != 1 or not value:
        raise ValueError("write exactly one sentence")
    if len(words(value)) > f["max_words"]:
        raise ValueError(f"at most {f['max_words']} words")
    named = [n for n in f["name_parts"] if n.lower() in value.lower()]
    third = _THIRD.search(value)
    if named or third:
        # the words that do it, quoted: "speak as 'you'" alone was answered with the same
        # sentence three times ("How did Marcus Lee start in customer success?", 8ac4efc)
        said = " ".join(named) or third.group(0)
        raise ValueError(
            f"“{value}” speaks of the mentor as “{said}”; this message is to them: say 'you'"
            " and 'your' instead, as in 'How did you …?'"
        )
    if re.search(r"\[[^\]\d]+\]", value):
        raise ValueError("no placeholders in brackets")
    if starts and not re.match(starts, value, re.I):
        first = re.sub(r"^\(\?:", "", starts).split("|")[0]  # "(?:I want|…)\b" → "I want"
        raise ValueError(f"start with {first!r}")
    claim = re.search(r"\b(?:i am|i'm|as an?)\b(.{0,50})", value, re.I)
    role = content_words(f["role"]) - content_words(f["mentee"])
    if claim and role and len(content_words(claim.group(1)) & role) >= min(2, len(role)):
        raise ValueError("that is the mentor's title, not the mentee's")
    return value


# the goal said as a goal ("I'm a sales rep trying to …" is who they are, not what they want)
_GOAL_START = (
    r"(?:I want|I would like|I'd like|I hope|I plan|I aim|I am aiming|I'm aiming|My goal)\b"
)


class Pieces(BaseModel):
    goal: str = Field(max_length=260)
    question: str = Field(max_length=220)

    @field_validator("goal")
    @piece
    def _goal(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(str(value).split()).strip()
        if len(words(value)) > facts(info)["max_words"] and len(sentences(value)) == 1:
            # "… by the end of next year so that I can …": its tail goes, not the whole try
            value = (shortened(value, facts(info)["max_words"]) or value).rstrip(".") + "."
        value = _common(value, info, _GOAL_START)
        if value.endswith("?"):  # a goal is said, not asked ("I want to … term by term?")
            value = value.rstrip("?").rstrip() + "."
        if len(content_words(value) & content_words(facts(info)["goal"])) < 2:
            raise ValueError("state the mentee's own goal, in their words")
        if not has_specific_goal(value):
            raise ValueError("say it as 'I want to …' or 'My goal is to …' and what exactly")
        if phrase := borrowed_phrase(value, facts(info)["passages"], facts(info)["own"]):
            raise ValueError(f"“{phrase}” is not the mentee's goal")
        mentors = content_words(facts(info)["bio"]) - content_words(facts(info)["mentee"])
        if len(content_words(value) & mentors - GENERIC_WORDS) >= 2:
            raise ValueError("that is what the mentor did; state the mentee's own goal")
        return value

    @field_validator("question")
    @piece
    def _question(cls, value: str, info: ValidationInfo) -> str:
        value = _common(value, info)
        if not value.endswith("?") or not has_open_question(value):
            raise ValueError("one open question about their experience, ending with '?'")
        if re.search(r"\bmentor me\b|\bbe my mentor\b|\bminutes\b", value, re.I):
            raise ValueError("MentorPrep makes the ask; ask about their experience instead")
        if overlap(value, facts(info)["goal"]) >= 0.8:
            raise ValueError("ask about what they did, not the mentee's own goal")
        if asks_twice(value):
            raise ValueError("that question does not parse; ask it as 'How did you …?'")
        f = facts(info)
        if (deed := f.get("deed")) and not content_words(value) & content_words(
            f"{deed} {f['goal']}"
        ):
            raise ValueError(f"ask how they did what of theirs is given: you {deed}")
        return value


class EmailPieces(Pieces):
    subject: str = Field(max_length=80)

    @field_validator("subject")
    @piece
    def _subject(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(str(value).split()).strip(" .")
        if not value or len(value) > 70 or re.search(r"\[[^\]]*\]", value):
            raise ValueError("a subject of at most 70 characters, no placeholders")
        return value
