"""Meeting prep: an agenda for the first or next mentor meeting. The code lays it out from the
goal card (an introduction or the mentee's notes as updates, the goal and how to work together
as topics, the first step and a recap as commitments); the model writes the questions, each
checked and asked again when it fails; the plain questions of the template stand in for those
it never gets right."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from assistant import prompts
from assistant.components.llm import Model
from assistant.errors import BadInput
from assistant.services.coaching.spec import facts, generate, piece
from assistant.services.coaching.structured import (
    borrowed_phrase,
    copies_passage,
)
from assistant.services.retrieval import Passage
from assistant.text.sentences import sentences
from assistant.text.words import content_words, coverage, overlap, words

EXAMPLE_TEXT = prompts.render("agenda_example")
EXAMPLE_WORDS = content_words("firefighter firefighters crew drill drills assessment fire")


@dataclass(frozen=True)
class _Text:
    text: str


@dataclass
class Agenda:
    first_meeting: bool
    minutes: int
    updates: list[str]
    topics: list[str]
    questions: list[str]
    commitments: list[str]
    sources: list[dict] = field(default_factory=list)
    note: str = ""  # set when MentorPrep wrote the questions from its templates
    origin: str = "model"  # spec.Outcome.origin of the questions
    problems: list[str] = field(default_factory=list)  # the checks' feedback to the model

    def to_dict(self) -> dict:
        return asdict(self)

    def to_markdown(self) -> str:
        kind = "First" if self.first_meeting else "Next"
        lines = [f"## {kind} mentor meeting agenda ({self.minutes} minutes)"]
        for title, items in (
            ("About me" if self.first_meeting else "Updates since last time", self.updates),
            ("Topics", self.topics),
            ("Questions to ask", self.questions),
            ("Before next time, I will", self.commitments),
        ):
            lines += ["", f"**{title}**", *[f"- {item}" for item in items]]
        if self.sources:
            lines += [
                "",
                "**Sources:** " + "; ".join(f"[{s['n']}] {s['title']}" for s in self.sources),
            ]
        return "\n".join(lines)


GOAL_TOPIC = "My goal:"
_BLANK = re.compile(r"\bX\b|\[(?!\d+\])[^\]\n]*\]|_{3,}|\.\.\.|<[a-z ]+>")


def repeats_topic(question: str, topic: str) -> bool:
    """A question that says a topic again. A question about the goal is what the meeting is
    for: it repeats the goal's topic only when it holds most of the goal (run 1d60e34: 'How
    can I start building the Power BI dashboards?' was refused as a repeat, and 14 of the 15
    agendas that fell back to template questions did so for that)."""
    if topic.startswith(GOAL_TOPIC):
        return coverage(question, topic.removeprefix(GOAL_TOPIC)) >= 0.7
    return overlap(question, topic) >= 0.6


class Questions(BaseModel):
    questions: list[str] = Field(min_length=2, max_length=4)

    @field_validator("questions")
    @piece
    def _questions(cls, value: list[str], info: ValidationInfo) -> list[str]:
        f = facts(info)
        # a question to a mentor carries no citation: "[2]" is dropped
        asked = [re.sub(r"\s*\[\d+\]", "", " ".join(str(q).split())).strip() for q in value]
        for q in asked:
            if not q.endswith("?") or len(sentences(q)) != 1 or len(words(q)) > 28:
                raise ValueError(f"“{q}”: one question of at most 28 words, ending with '?'")
            if _BLANK.search(q) or re.search(r"\bthe mentee\b", q, re.I):
                raise ValueError(f"“{q}”: no blanks or placeholders; ask about the real goal")
            if mine := theirs_as_yours(q, f["aims"]):
                raise ValueError(
                    f"“{mine}” is the mentee's own, not the mentor's: ask about it as “my …”,"
                    " or ask how the mentor did it (“How did you …?”)"
                )
            if any(repeats_topic(q, t) for t in f["topics"]):
                raise ValueError(f"“{q}” repeats a topic; ask something the agenda doesn't cover")
            if copies_passage(q, [*f["passages"], _Text(EXAMPLE_TEXT)]) or (
                content_words(q) & EXAMPLE_WORDS - content_words(f["own"])
            ):
                raise ValueError(f"“{q}” copies the guidance or the worked example")
            if phrase := borrowed_phrase(q, f["passages"], f["own"]):
                raise ValueError(f"“{phrase}” is not the mentee's; keep to their own goal")
        for i, a in enumerate(asked):
            if any(overlap(a, b) >= 0.6 for b in asked[i + 1 :]):
                raise ValueError("the questions must differ from each other")
        return asked


_YOUR = re.compile(r"\byour\s+((?:[\w'-]+\s+){0,2}[\w'-]+)", re.I)
_THEIR_PAST = re.compile(r"\b(?:did|have|had|were|was)\s+you\b", re.I)
# what mentor and mentee both have: "your time", "your team" are the mentor's own
_EVERYONE = content_words("time team work meeting meetings calendar experience advice view")


def theirs_as_yours(question: str, aims: str) -> str:
    """“your …” in a question to the mentor about what is the mentee's (their goal, their
    business): "How will you register your company?" for a mentee starting one; '' when none.
    Asking how the mentor did it ("How did you grow your business?") is theirs to answer."""
    if _THEIR_PAST.search(question):
        return ""
    for match in _YOUR.finditer(question):
        said = content_words(match.group(1))
        if said & {"goal", "aim", "target"} or said & content_words(aims) - _EVERYONE:
            return match.group(0)
    return ""


def goal_card_inputs(store, user_id: str, goal: str = "") -> tuple[str, list[str]]:
    """The goal and first steps an agenda starts from: the goal typed, or the latest goal card's
    goal; the card's first steps either way. The UI and the CLI both read them here."""
    card = store.latest_artifact(user_id, "goal_card")
    data = card["data"] if card else {}
    return goal.strip() or data.get("goal", ""), list(data.get("first_steps", []))


def prepare_agenda(
    goal: str,
    model: Model,
    knowledge_base,
    *,
    notes: str = "",
    first_meeting: bool = False,
    minutes: int = 30,
    user_id: str | None = None,
    about_me: str = "",
    first_steps: list[str] | tuple[str, ...] = (),
) -> tuple[Agenda, list[Passage]]:
    """An agenda laid out by the code from the goal card, with the model's checked questions."""
    if not goal.strip():
        raise BadInput("An agenda needs your goal.", fix="clarify your goal first, or type it")
    layout = template_agenda(goal, notes, first_meeting, minutes, about_me, first_steps)
    query = "first mentor meeting agenda" if first_meeting else "preparing for a mentor meeting"
    passages = knowledge_base.search(query, k=2, workflow="prepare", user_id=user_id)
    messages = prompts.chat(
        "agenda",
        passages=passages,
        example=EXAMPLE_TEXT,
        goal=prompts.fence(goal),
        notes=prompts.fence(notes),
        first_meeting=first_meeting,
        minutes=minutes,
        topics=layout.topics,
    )
    context = {
        "passages": passages,
        "topics": layout.topics,
        "own": "\n".join([goal, notes, about_me, *first_steps]),
        "aims": "\n".join([goal, *first_steps]),
    }
    outcome = generate(
        model,
        messages,
        Questions,
        context=context,
        max_tokens=220,
        fallback=lambda good, failed, last: {"questions": layout.questions},
    )
    layout.questions = outcome.value.questions
    layout.origin, layout.problems = outcome.origin, outcome.problems
    layout.note = (
        "MentorPrep wrote the questions from its templates: the model's did not pass the checks."
        if outcome.from_code
        else ""
    )
    layout.sources = [
        {"n": i, "title": p.title, "source": p.source} for i, p in enumerate(passages, 1)
    ]
    return layout, passages


def template_agenda(
    goal: str,
    notes: str,
    first_meeting: bool,
    minutes: int,
    about_me: str = "",
    first_steps: list[str] | tuple[str, ...] = (),
) -> Agenda:
    """The agenda's layout from the goal card and notes, with plain template questions."""
    aim = " ".join(goal.strip().splitlines()[0].split()[:25]).rstrip(".")
    noted = [line.strip(" -*•") for line in notes.splitlines() if line.strip(" -*•")][:3]
    if first_meeting:
        intro = about_me.strip().rstrip(".") or "my role, and why I asked you"
        updates = [f"A short introduction: {intro}"]
        topics = [
            f"{GOAL_TOPIC} {aim}",
            "How we will work together: how often we meet, how to keep in touch",
        ]
        questions = [
            "What would you focus on first in my position?",
            "What do you wish you had known at my stage?",
            "How would you like me to prepare for our meetings?",
        ]
    else:
        updates = noted or ["What I did on my goal since we last met, and what got in the way"]
        topics = [f"Progress on: {aim}"]
        questions = ["What would you change in my plan?", "What should I try before we next meet?"]
    step = next((s.strip().rstrip(".") for s in first_steps if s.strip()), "")
    commitments = [f"{step[:1].upper() + step[1:]} before our next meeting"] if step else []
    commitments.append("Send a short recap with my next steps within 24 hours")
    return Agenda(
        first_meeting,
        minutes,
        updates,
        topics,
        questions,
        commitments,
        note="MentorPrep wrote the questions from its templates.",
        origin="fallback",
    )
