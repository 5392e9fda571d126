"""The four pieces the model writes for an outreach message (why this mentor, the goal, an
offer, an open question; a subject for an email) and the checks each must pass alone."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from assistant import prompts
from assistant.services.coaching.outreach_rubric import (
    has_open_question,
    has_reciprocity,
    has_specific_goal,
    is_personal,
)
from assistant.services.coaching.spec import facts, piece
from assistant.services.coaching.structured import borrowed_phrase
from assistant.text.sentences import sentences
from assistant.text.words import content_words, words

if TYPE_CHECKING:
    from assistant.services.coaching.outreach import OutreachRequest

EXAMPLE_TEXT = prompts.render("outreach_example")
# the worked example's own subject: a piece that brings them in took the example for the mentee
EXAMPLE_WORDS = content_words(
    "hive hives beekeeper beekeeping colony colonies apiary apiaries Ruth Adeyemi"
    " Hillside honey bees treatment-free treating"
)
_EXAMPLE_RUNS = 5  # this many words in a row from the worked example: its wording, copied
_COMMON_STEMS = "What do you wish you had known"  # anyone's question; not the example's own


def _runs(text: str) -> set[tuple[str, ...]]:
    w = [x.lower() for x in words(text)]
    return {tuple(w[i : i + _EXAMPLE_RUNS]) for i in range(len(w) - _EXAMPLE_RUNS + 1)}


def copies_example_wording(value: str) -> bool:
    """Whether a piece reuses five words in a row of the worked example ("… is the clearest
    thing I have read on …", "I'll bring notes from my own … checks"): its frame, refilled."""
    return bool(_runs(value) & (_runs(EXAMPLE_TEXT) - _runs(_COMMON_STEMS)))


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
    if _THIRD.search(value) or any(n.lower() in value.lower() for n in f["name_parts"]):
        raise ValueError("speak to the mentor as 'you', never by name or as 'she'/'he'")
    if content_words(value) & EXAMPLE_WORDS - content_words(f["own"]):
        raise ValueError("that is from the worked example, not about this mentee and mentor")
    if copies_example_wording(value):
        raise ValueError("that copies the worked example's wording; say it in your own words")
    if re.search(r"\[[^\]\d]+\]", value):
        raise ValueError("no placeholders in brackets")
    if starts and not re.match(starts, value, re.I):
        raise ValueError(f"start with {starts.strip('()').split('|')[0]!r}")
    claim = re.search(r"\b(?:i am|i'm|as an?)\b(.{0,50})", value, re.I)
    role = content_words(f["role"]) - content_words(f["mentee"])
    if claim and role and len(content_words(claim.group(1)) & role) >= min(2, len(role)):
        raise ValueError("that is the mentor's title, not the mentee's")
    return value


class Pieces(BaseModel):
    why_you: str = Field(max_length=260)
    goal: str = Field(max_length=260)
    offer: str = Field(max_length=220)
    question: str = Field(max_length=220)

    @field_validator("why_you")
    @piece
    def _why(cls, value: str, info: ValidationInfo) -> str:
        value = _common(value, info)
        if not re.search(r"\b(?:you|your)\b", value, re.I):
            raise ValueError("speak to the mentor as 'you'/'your'")
        f = facts(info)
        if not content_words(value) & f["detail"] or not is_personal(
            value, f["mentor"], f["terms"]
        ):
            raise ValueError("name something specific from their details, not only their title")
        if (deed := f.get("deed")) and len(content_words(value) & content_words(deed)) < 2:
            raise ValueError(f"write about what of theirs is given: you {deed}")
        return value

    @field_validator("goal")
    @piece
    def _goal(cls, value: str, info: ValidationInfo) -> str:
        value = _common(value, info, r"(?:i|my)\b")
        if len(content_words(value) & content_words(facts(info)["goal"])) < 2:
            raise ValueError("state the mentee's own goal, in their words")
        if not has_specific_goal(value):
            raise ValueError("say it as 'I want to …' or 'My goal is to …' and what exactly")
        if phrase := borrowed_phrase(value, facts(info)["passages"], facts(info)["own"]):
            raise ValueError(f"“{phrase}” is not the mentee's goal")
        return value

    @field_validator("offer")
    @piece
    def _offer(cls, value: str, info: ValidationInfo) -> str:
        value = _common(value, info, r"(?:i|i'll|i'd|i will|i would|i can|happy)\b")
        if value.endswith("?") or not has_reciprocity(value):
            raise ValueError("offer something back or promise to respect their time")
        return value

    @field_validator("question")
    @piece
    def _question(cls, value: str, info: ValidationInfo) -> str:
        value = _common(value, info)
        if not value.endswith("?") or not has_open_question(value):
            raise ValueError("one open question about their experience, ending with '?'")
        if re.search(r"\bmentor me\b|\bbe my mentor\b|\bminutes\b", value, re.I):
            raise ValueError("MentorPrep makes the ask; ask about their experience instead")
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
