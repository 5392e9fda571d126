"""Meeting prep: an agenda for the first or next mentor meeting, from the goal card."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from assistant import prompts
from assistant.components.llm import Model
from assistant.errors import BadInput
from assistant.services.coaching.structured import (
    THIRD_PERSON,
    Invalid,
    borrowed_phrase,
    cited_sources,
    clean_citations,
    generate,
)
from assistant.services.retrieval import Passage


def _list(min_items: int, max_items: int) -> dict:
    return {
        "type": "array",
        "items": {"type": "string"},
        "minItems": min_items,
        "maxItems": max_items,
    }


AGENDA_SCHEMA = {
    "type": "object",
    "properties": {
        "updates": _list(1, 3),
        "topics": _list(1, 2),
        "questions": _list(2, 4),
        "commitments": _list(1, 3),
    },
    "required": ["updates", "topics", "questions", "commitments"],
}


@dataclass
class Agenda:
    first_meeting: bool
    minutes: int
    updates: list[str]
    topics: list[str]
    questions: list[str]
    commitments: list[str]
    sources: list[dict] = field(default_factory=list)
    note: str = ""  # set when MentorPrep wrote the agenda from templates

    def to_dict(self) -> dict:
        return asdict(self)

    def to_markdown(self) -> str:
        kind = "First" if self.first_meeting else "Next"
        lines = [f"## {kind} mentor meeting agenda ({self.minutes} minutes)"]
        for title, items in (
            ("Updates since last time", self.updates),
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


def prepare_agenda(
    goal: str,
    model: Model,
    knowledge_base,
    *,
    notes: str = "",
    first_meeting: bool = False,
    minutes: int = 30,
    user_id: str | None = None,
) -> tuple[Agenda, list[Passage]]:
    """A validated agenda: every section present, questions phrased as questions."""
    if not goal.strip():
        raise BadInput("An agenda needs your goal.", fix="clarify your goal first, or type it")
    query = "first mentor meeting agenda" if first_meeting else "preparing for a mentor meeting"
    passages = knowledge_base.search(query, k=3, workflow="prepare", user_id=user_id)
    messages = prompts.chat(
        "agenda",
        passages=passages,
        goal=prompts.fence(goal),
        notes=prompts.fence(notes),
        first_meeting=first_meeting,
        minutes=minutes,
    )

    own_text = f"{goal}\n{notes}"

    def check(data: dict) -> Agenda:
        def items(key: str) -> list[str]:
            return [clean_citations(str(x), passages) for x in data.get(key, []) if str(x).strip()]

        agenda = Agenda(
            first_meeting, minutes, items("updates"), items("topics"), items("questions"),
            items("commitments"),
        )  # fmt: skip
        if not (agenda.updates and agenda.topics and agenda.commitments):
            raise Invalid("every section needs at least one item")
        texts = agenda.updates + agenda.topics + agenda.questions + agenda.commitments
        if any(THIRD_PERSON.search(t) or _PLACEHOLDER.search(t) for t in texts):
            raise Invalid("write as the mentee ('I', 'my'), about their real goal, with no 'X'")
        for text in agenda.updates + agenda.topics + agenda.questions:
            if phrase := borrowed_phrase(text, passages, own_text):
                raise Invalid(
                    f"“{phrase}” comes from an example in the guidance, not from the mentee; "
                    "keep to the mentee's own goal and notes"
                )
        topics = {_plain(t) for t in agenda.topics}
        asked = [q for q in agenda.questions if _plain(q).endswith("?") and _plain(q) not in topics]
        if len(asked) < 2:
            raise Invalid(
                "give at least two questions, each ending with a question mark and different "
                "from the topics"
            )
        agenda.questions = asked
        return agenda

    try:
        agenda = generate(model, messages, AGENDA_SCHEMA, check, attempts=3, max_tokens=600).value
    except Invalid:
        agenda = template_agenda(goal, notes, first_meeting, minutes)
    texts = agenda.updates + agenda.topics + agenda.questions + agenda.commitments
    agenda.sources = cited_sources(texts, passages)
    return agenda, passages


# a template's blank left in: "How would you handle X?", "[your goal]" (a citation "[1]" is not)
_PLACEHOLDER = re.compile(r"(?:\bX\b|\[(?!\d+\])[^\]\n]*\])")


def _plain(text: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", text).strip().lower()


def template_agenda(goal: str, notes: str, first_meeting: bool, minutes: int) -> Agenda:
    """A plain agenda from the goal and notes, for when the model's answers fail the checks."""
    aim = " ".join(goal.strip().splitlines()[0].split()[:20]).rstrip(".")
    update = next((line.strip() for line in notes.splitlines() if line.strip()), "")
    if first_meeting:
        updates = [update or "A short introduction: my role, and why I asked you"]
        topics = [f"My goal: {aim}", "How we will work together (how often, how to keep in touch)"]
        questions = [
            "What would you focus on first in my position?",
            "What do you wish you had known at my stage?",
            "How would you like me to prepare for our meetings?",
        ]
    else:
        updates = [update or "What I did on my goal since we last met, and what got in the way"]
        topics = [f"Progress on: {aim}"]
        questions = [
            "What would you change in my plan?",
            "What should I try before we next meet?",
        ]
    return Agenda(
        first_meeting, minutes, updates, topics, questions,
        ["Send a short recap with my next steps within 24 hours",
         "Take the first step on my goal before our next meeting"],
        note="MentorPrep wrote this agenda from its templates: the model's answers did not pass "
        "the checks. Edit it to fit.",
    )  # fmt: skip
