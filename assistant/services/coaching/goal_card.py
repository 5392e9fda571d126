"""The goal card. The code owns the facts: the mentee's own measure (their line, as they wrote
it) and deadline (their words, with the date they mean, counted from today). The model writes
short pieces, each checked on its own and asked for again alone when it fails: the goal in
plain first person without the loaded words, why it matters, first steps, what to ask a
mentor for."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from assistant import prompts
from assistant.components.llm import Model
from assistant.services.coaching.goal_check import DEADLINE_QUESTION, MEASURE_QUESTION
from assistant.services.coaching.goal_deadline import find_deadline
from assistant.services.coaching.goal_measure import find_measure
from assistant.services.coaching.spec import facts, generate, piece
from assistant.services.coaching.structured import (
    borrowed_phrase,
    cited_sources,
    clean_citations,
    copies_passage,
)
from assistant.services.output_guard import urls_in
from assistant.services.retrieval import Passage
from assistant.text.dates import deadline_date, same_deadline
from assistant.text.grammar import as_intention
from assistant.text.phrases import found
from assistant.text.sentences import sentences
from assistant.text.words import content_words, overlap, words

# the worked example of the prompt (an unrelated field): checked like the guidance, so a card
# that copies it is sent back
EXAMPLE_TEXT = prompts.render("goal_card_example")
EXAMPLE_WORDS = content_words("cycling cyclist ride km charity route hills club coach hospice pace")


@dataclass
class GoalCard:
    goal: str
    why: str
    measures: list[str]
    deadline: str
    first_steps: list[str]
    ask_mentor: list[str]
    sources: list[dict] = field(default_factory=list)  # the cited passages: title, source
    notes: list[str] = field(default_factory=list)  # what MentorPrep filled in; shown
    origin: str = "model"  # spec.Outcome.origin of the model's pieces
    from_code: list[str] = field(default_factory=list)  # pieces MentorPrep wrote itself
    problems: list[str] = field(default_factory=list)  # the checks' feedback to the model

    def to_dict(self) -> dict:
        return asdict(self)

    def to_markdown(self, passages: list[Passage] | None = None) -> str:
        def bullets(items: list[str], numbered: bool = False) -> str:
            return "\n".join(f"{i}. {x}" if numbered else f"- {x}" for i, x in enumerate(items, 1))

        lines = [
            "## Goal card",
            f"**Goal:** {self.goal}",
            *([f"**Why it matters:** {self.why}"] if self.why else []),
            f"**Success measures:**\n\n{bullets(self.measures)}",
            f"**Deadline:** {self.deadline}",
            f"**First steps:**\n\n{bullets(self.first_steps, numbered=True)}",
            f"**Ask a mentor for:**\n\n{bullets(self.ask_mentor)}",
        ]
        lines += [f"_{note}_" for note in self.notes]
        if self.sources:
            lines.append("**Sources:** " + "; ".join(s["title"] for s in self.sources))
        return "\n\n".join(lines)


_YOU = re.compile(r"\b(?:you|your|yours|the mentee'?s?)\b", re.I)
_ADVICE = re.compile(r"^\s*(?:don't|do not|never|avoid|remember|make sure)\b", re.I)


def _foreign(text: str, info: ValidationInfo) -> str | None:
    """A phrase taken from the guidance or the worked example, not from the mentee."""
    f = facts(info)
    if copies_passage(text, [*f["passages"], _Text(EXAMPLE_TEXT)]) or (
        content_words(text) & EXAMPLE_WORDS - content_words(f["own"])
    ):
        return "it copies the guidance or the worked example"
    if phrase := borrowed_phrase(text, f["passages"], f["own"]):
        return f"“{phrase}” is not the mentee's: use only their goal and answers"
    return None


@dataclass(frozen=True)
class _Text:
    text: str


class CardPieces(BaseModel):
    """What the model writes for a goal card; the measures and deadline are the mentee's."""

    goal: str = Field(max_length=240)
    why: str = Field(max_length=240)
    first_steps: list[str] = Field(min_length=2, max_length=3)
    ask_mentor: list[str] = Field(min_length=1, max_length=2)

    @field_validator("goal")
    @piece
    def _goal(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(value.split())
        f = facts(info)
        if len(sentences(value)) != 1 or len(words(value)) > 30:
            raise ValueError("one sentence of at most 30 words")
        if not re.match(r"(?:i|i'll|i will|i'm|my)\b", value, re.I) or _YOU.search(value):
            raise ValueError("start with 'I' and speak as the mentee")
        loaded = [
            t
            for t in f["vague"]
            if found("loaded_words", value) and t in found("loaded_words", value)
        ]
        if loaded:
            raise ValueError(f"say what {', '.join(loaded)} means in practice instead of using it")
        if deadline_date(value, f["today"]) and not same_deadline(value, f["deadline"], f["today"]):
            raise ValueError("leave the date out of the goal; the card has its own deadline")
        if len(content_words(value) & content_words(f["own"])) < 2:
            raise ValueError("use the mentee's own words for what they want to do")
        if problem := _foreign(value, info):
            raise ValueError(problem)
        return value

    @field_validator("why")
    @piece
    def _why(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(value.split())
        if len(words(value)) > 35 or _YOU.search(value):
            raise ValueError("one short sentence in the mentee's voice ('I', 'my')")
        if problem := _foreign(value, info):
            raise ValueError(problem)
        return value

    @field_validator("first_steps")
    @piece
    def _steps(cls, value: list[str], info: ValidationInfo) -> list[str]:
        f = facts(info)
        goal = (info.data or {}).get("goal", "")
        steps = [clean_citations(" ".join(str(s).split()), f["passages"]) for s in value]
        for step in steps:
            if not step or len(words(step)) > 22:
                raise ValueError("each step is one short action (at most 22 words)")
            if _YOU.search(step) or _ADVICE.match(step):
                raise ValueError(f"“{step}” is advice; write an action the mentee will take")
            if overlap(step, goal) >= 0.7 or any(overlap(step, m) >= 0.7 for m in f["measures"]):
                raise ValueError(
                    f"“{step}” is the goal or the measure itself; give a smaller first action for"
                    " this week: something to prepare, someone to ask, or one small try"
                )
            if problem := _foreign(step, info):
                raise ValueError(problem)
        if len({" ".join(words(s)) for s in steps}) < len(steps):
            raise ValueError("the steps must differ")
        return steps

    @field_validator("ask_mentor")
    @piece
    def _asks(cls, value: list[str], info: ValidationInfo) -> list[str]:
        items = [clean_citations(" ".join(str(s).split()), facts(info)["passages"]) for s in value]
        for item in items:
            if not item or len(words(item)) > 20 or re.search(r"\bthe mentee\b", item, re.I):
                raise ValueError("each item: what a mentor could help with, at most 20 words")
            if problem := _foreign(item, info):
                raise ValueError(problem)
        return items


def mentee_facts(goal: str, qa: list[tuple[str, str]], today: date) -> tuple[str, str, date | None]:
    """The mentee's measure (the whole line they wrote) and deadline (their words and the date
    they mean), from the answers to the measure and deadline questions first, then from any
    line that names one. Empty strings when they gave none."""
    answers = [a.strip().rstrip(".") for _, a in qa if a.strip()]
    by_question = {q: a.strip().rstrip(".") for q, a in qa if a.strip()}
    dated = [
        line
        for line in [by_question.get(DEADLINE_QUESTION, ""), *reversed(answers), goal]
        if line and deadline_date(line, today)
    ]
    said = dated[0] if dated else ""
    if said and (len(words(said)) > 8 or find_measure(said)) and (phrase := find_deadline(said)):
        said = phrase  # a long answer that holds more than the deadline: just the time frame
    if not said and (phrase := find_deadline(goal)):
        said = phrase
    others = [
        line
        for line in [by_question.get(MEASURE_QUESTION, ""), *answers]
        if line != said and deadline_date(line, today) is None or find_measure(line)
    ]
    measure = next((line for line in others if line and find_measure(line)), "")
    if not measure and (found := find_measure(goal)):
        measure = found
    return measure, said, deadline_date(said, today) if said else None


def deadline_text(said: str, when: date | None) -> str:
    """'By the end of Q2 next year (30 June 2027)': the mentee's words and the date they mean."""
    if not said:
        return ""
    if when is None or re.search(r"\b\d{4}\b", said) and str(when.year) in said:
        return said
    return f"{said} ({when.day} {when:%B %Y})"


def make_goal_card(
    goal: str,
    qa: list[tuple[str, str]],
    model: Model,
    knowledge_base,
    *,
    today: date | None = None,
    user_id: str | None = None,
) -> tuple[GoalCard, list[Passage]]:
    """A goal card: the mentee's measure and deadline, and the model's checked pieces."""
    today = today or date.today()
    user_text = "\n".join([goal, *(a for _, a in qa)])
    notes = []
    measure, said, when = mentee_facts(goal, qa, today)
    deadline = deadline_text(said, when)
    if not deadline:
        suggested = today + timedelta(days=90)
        deadline = f"by {suggested.day} {suggested:%B %Y} (about 90 days)"
        notes.append("MentorPrep suggested the deadline; change it.")
    measures = [measure] if measure else []
    if not measures:
        measures = ["Name one result you could show your mentor (a number or an event)"]
        notes.append("MentorPrep could not find a measure in your answers; add one.")
    passages = knowledge_base.search(
        f"concrete goal first steps: {goal}", k=3, workflow="clarify", user_id=user_id
    )
    messages = prompts.chat(
        "goal_card",
        passages=passages,
        example=EXAMPLE_TEXT,
        goal=prompts.fence(goal),
        answers=[(prompts.fence(q), prompts.fence(a)) for q, a in qa],
        measures=measures,
        deadline=deadline,
        concrete=prompts.fence(_concrete(goal, qa, measure, said)),
        loaded=found("loaded_words", goal),
    )
    context = {
        "passages": passages,
        "own": user_text,
        "vague": found("loaded_words", goal),
        "today": today,
        "deadline": deadline,
        "measures": measures,
    }
    outcome = generate(
        model,
        messages,
        CardPieces,
        context=context,
        max_tokens=300,
        fallback=lambda good, failed, last: _fallback(user_text, failed),
        allowed_urls=urls_in(user_text),
    )
    pieces = outcome.value
    if outcome.from_code:
        notes.append(
            "MentorPrep wrote "
            + ", ".join(_LABELS[f] for f in outcome.from_code)
            + " itself: the model's tries did not pass the checks."
        )
    card = GoalCard(
        goal=pieces.goal,
        why=pieces.why,
        measures=measures,
        deadline=deadline,
        first_steps=pieces.first_steps,
        ask_mentor=pieces.ask_mentor,
        notes=notes,
        origin=outcome.origin,
        from_code=outcome.from_code,
        problems=outcome.problems,
    )
    card.sources = cited_sources([*card.first_steps, *card.ask_mentor, card.why], passages)
    return card, passages


def _concrete(goal: str, qa: list[tuple[str, str]], measure: str, said: str) -> str:
    """The answer that says what the goal means in practice: the first that is neither the
    measure nor the deadline ('' when there is none)."""
    return next(
        (a.strip() for _, a in qa if a.strip() and a.strip().rstrip(".") not in (measure, said)), ""
    )


_LABELS = {
    "goal": "the goal",
    "why": "why it matters",
    "first_steps": "the first steps",
    "ask_mentor": "what to ask a mentor for",
}


def _fallback(user_text: str, failed: list[str]) -> dict:
    """Plain pieces from the mentee's own words, for the pieces the model could not write."""
    lines = [line.strip().rstrip(".") for line in user_text.splitlines() if line.strip()]
    what = lines[1] if len(lines) > 1 else lines[0] if lines else "my goal"
    plain = {
        "goal": (as_intention(what) or f"My goal: {what[:1].lower() + what[1:]}") + ".",
        "why": "",
        "first_steps": [
            "Write down where I stand today against my measure",
            "Book a first conversation with a mentor about this goal",
        ],
        "ask_mentor": ["Feedback on this goal and my first steps"],
    }
    return {name: plain[name] for name in failed}
