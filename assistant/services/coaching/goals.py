"""Goal clarifier: name the loaded words, ask at most three questions, then write a goal card."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from assistant import prompts
from assistant.components.llm import Model
from assistant.services.coaching.goal_check import (
    GoalCheck,
    check_goal,
    find_deadline,
    find_measure,
)
from assistant.services.coaching.structured import (
    THIRD_PERSON,
    Invalid,
    borrowed_phrase,
    cited_sources,
    clean_citations,
    copies_passage,
    generate,
    sources_markdown,
)
from assistant.services.output_guard import urls_in
from assistant.services.retrieval import Passage

MAX_QUESTIONS = 3

GOAL_CARD_SCHEMA = {
    "type": "object",
    "properties": {
        "goal": {"type": "string"},
        "why": {"type": "string"},
        "measures": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
        "deadline": {"type": "string"},
        "first_steps": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
        "ask_mentor": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
    },
    "required": ["goal", "why", "measures", "deadline", "first_steps", "ask_mentor"],
}


@dataclass
class GoalCard:
    goal: str
    why: str
    measures: list[str]
    deadline: str
    first_steps: list[str]
    ask_mentor: list[str]
    sources: list[dict] = field(default_factory=list)  # the cited passages: title, source
    notes: list[str] = field(default_factory=list)  # what MentorPrep filled in or repaired
    origin: str = "model"  # "model": the model's card passed every check; "fallback": assembled

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


@dataclass
class ClarifyStep:
    """Where the clarifier stands: questions to ask, or ready for a goal card."""

    check: GoalCheck
    questions: list[str]
    ready: bool
    message: str  # what the assistant says to the user


def _combined(goal: str, answers: list[str]) -> str:
    return "\n".join([goal, *answers])


def clarify_step(goal: str, answers: list[str] | None = None, rounds: int = 0) -> ClarifyStep:
    """Deterministic next step: ask about the loaded words and missing measure/deadline first.

    After one round of answers (or when the goal is already concrete) the card can be written.
    """
    answers = answers or []
    check = check_goal(_combined(goal, answers))
    if check.concrete or rounds >= 1:
        return ClarifyStep(check, [], True, "Thanks, that's enough to write your goal card.")
    questions = check.questions[:MAX_QUESTIONS]
    parts = []
    if check.vague_terms:
        words = ", ".join(f"“{t}”" for t in check.vague_terms)
        parts.append(
            f"Some words in your goal are loaded: {words}. They mean different things to "
            "different people, so a mentor can't tell what success looks like."
        )
    missing = [
        name
        for name, present in (("a measure", check.has_measure), ("a deadline", check.has_deadline))
        if not present
    ]
    if missing:
        parts.append(f"It also lacks {' and '.join(missing)}.")
    parts.append("A few questions:")
    parts += [f"{i}. {q}" for i, q in enumerate(questions, 1)]
    return ClarifyStep(check, questions, False, "\n".join(parts))


def _words(text: str) -> set[str]:
    import re

    return {w for w in re.findall(r"[a-z0-9/%]+", text.lower()) if w not in _FILLER}


_FILLER = {"the", "a", "an", "of", "by", "in", "on", "my", "to", "at", "for", "and", "end"}


def _overlaps(user_phrase: str, text: str) -> bool:
    """True when most of the content words of the mentee's phrase appear in `text`."""
    wanted = _words(user_phrase)
    return bool(wanted) and len(wanted & _words(text)) >= max(1, (len(wanted) + 1) // 2)


# shown when neither the model nor the mentee gave a countable result; it is not a measure
MEASURE_PLACEHOLDER = "Name one result you could show your mentor (a number or an event)"


def _fallback_deadline(text: str, today: date) -> tuple[str, str | None]:
    found = find_deadline(text)
    if found:
        return found, None
    suggestion = (today + timedelta(days=90)).strftime("%d %B %Y")
    return f"by {suggestion} (about 90 days)", "MentorPrep suggested the deadline; change it."


def make_goal_card(
    goal: str,
    qa: list[tuple[str, str]],
    model: Model,
    knowledge_base,
    *,
    today: date | None = None,
    user_id: str | None = None,
) -> tuple[GoalCard, list[Passage]]:
    """Write a validated goal card: it always has a measure and a deadline."""
    today = today or date.today()
    user_text = _combined(goal, [a for _, a in qa])
    user_measure, user_deadline = find_measure(user_text), find_deadline(user_text)
    passages = knowledge_base.search(
        f"concrete measurable mentoring goal deadline: {goal}", k=3, workflow="clarify",
        user_id=user_id,
    )  # fmt: skip
    messages = prompts.chat(
        "goal_card",
        passages=passages,
        goal=prompts.fence(goal),
        answers=[(prompts.fence(q), prompts.fence(a)) for q, a in qa],
        today=today.isoformat(),
    )

    last: dict = {}  # the model's last answer: the raw material of a repaired card

    def check(data: dict) -> GoalCard:
        last.clear()
        last.update(data if isinstance(data, dict) else {})
        card = GoalCard(
            goal=clean_citations(str(data.get("goal", "")), passages),
            why=clean_citations(str(data.get("why", "")), passages),
            measures=_items(data.get("measures"), passages),
            deadline=str(data.get("deadline", "")).strip(),
            first_steps=_items(data.get("first_steps"), passages),
            ask_mentor=_items(data.get("ask_mentor"), passages),
        )  # fmt: skip
        if not card.goal:
            raise Invalid("the goal statement is empty")
        if copies_passage(card.goal, passages):
            raise Invalid("the goal copies an example from the guidance; state the mentee's goal")
        for text in [card.goal, card.why, *card.measures]:
            if phrase := borrowed_phrase(text, passages, user_text):
                raise Invalid(
                    f"“{phrase}” comes from an example in the guidance, not from the mentee; "
                    "use only the mentee's own goal and answers"
                )
        if any(THIRD_PERSON.search(t) for t in [card.goal, card.why, *card.measures]):
            raise Invalid("write in the mentee's own voice, with 'I' and 'my', not 'the mentee'")
        if not card.measures or not any(find_measure(m) for m in card.measures):
            raise Invalid("no success measure can be counted or shown; give a number or an event")
        if not find_deadline(card.deadline):
            raise Invalid("the deadline must be a date or a time frame such as 'by 30 June 2027'")
        if user_measure and not any(_overlaps(user_measure, m) for m in card.measures):
            raise Invalid(f"the success measures must include the mentee's own: “{user_measure}”")
        if user_deadline and not _overlaps(user_deadline, card.deadline):
            raise Invalid(f"the deadline must be the mentee's own: “{user_deadline}”")
        stated = find_deadline(card.goal)
        if stated and not (_overlaps(stated, card.deadline) or _overlaps(card.deadline, stated)):
            raise Invalid(
                f"the goal says “{stated}” but the deadline is “{card.deadline}”: use one time frame"
            )
        return card

    try:
        card = generate(
            model, messages, GOAL_CARD_SCHEMA, check, attempts=3, max_tokens=450,
            allowed_urls=urls_in(user_text),
        ).value  # fmt: skip
    except Invalid:
        card = _repaired_card(last, user_text, today, passages)
    card.sources = cited_sources(
        [card.goal, card.why, *card.measures, *card.first_steps, *card.ask_mentor], passages
    )
    return card, passages


def _items(values, passages: list[Passage]) -> list[str]:
    """A list field's items with invalid citations dropped, and without items that were only a
    citation ("[1]") or empty."""
    items = [clean_citations(str(v), passages) for v in values or []]
    return [item for item in items if re.sub(r"\[\d+\]", "", item).strip(" .-")]


def _repaired_card(
    data: dict, user_text: str, today: date, passages: list[Passage] = ()
) -> GoalCard:
    """Last resort: the model's last answer as it is (already through the output guard), with
    the measure and deadline filled in from the mentee's words and anything copied from the
    guidance's examples left out; no further model call."""
    notes = []

    def own(values, strict: bool = False) -> list[str]:
        """The items that are the mentee's: none copied from the guidance; `strict` also drops
        items that borrow an example's words or speak of 'the mentee'."""
        values = [values] if isinstance(values, str) else values
        items = _items(values, list(passages))
        return [
            item
            for item in items
            if not copies_passage(item, list(passages))
            and not (
                strict
                and (borrowed_phrase(item, list(passages), user_text) or THIRD_PERSON.search(item))
            )
        ]

    measures = own(data.get("measures"), strict=True)
    user_measure, user_deadline = find_measure(user_text), find_deadline(user_text)
    if user_measure:  # the mentee's own measure always stays, as the whole line they wrote
        user_measure = _line_with(user_text, user_measure)
        measures = [m for m in measures if len(m.split()) >= 3 and m not in user_measure]
    countable = [m for m in measures if find_measure(m)]
    if user_measure and not any(_overlaps(user_measure, m) for m in countable):
        measures.insert(0, user_measure)
    elif not countable:
        measures.insert(0, MEASURE_PLACEHOLDER)
        notes.append("MentorPrep could not find a measure in your answers; add one.")
    deadline = str(data.get("deadline", ""))
    if not find_deadline(deadline) or (user_deadline and not _overlaps(user_deadline, deadline)):
        deadline, note = _fallback_deadline(user_text, today)
        if note:
            notes.append(note)
    goal = (own([data.get("goal") or ""], strict=True) or [_goal_in_own_words(user_text)])[0]
    why = (own([data.get("why") or ""], strict=True) or [""])[0]
    return GoalCard(
        origin="fallback",
        goal=goal,
        why="" if why.strip().lower() == goal.strip().lower() else why,
        measures=measures,
        deadline=deadline,
        first_steps=own(data.get("first_steps")) or ["Book a first mentor meeting"],
        ask_mentor=own(data.get("ask_mentor")) or ["Feedback on this goal"],
        notes=notes,
    )


def _line_with(text: str, phrase: str) -> str:
    """The line of `text` that holds `phrase` ("4/5" -> "Average 1:1 usefulness of 4/5 on my
    team's quarterly survey"), without a closing full stop."""
    line = next((line for line in text.splitlines() if phrase in line), phrase)
    return line.strip().rstrip(".")


def _goal_in_own_words(user_text: str) -> str:
    """The mentee's goal, followed by their first answer when the goal alone is vague
    ("I want to be a better manager by running 1:1s my reports find useful")."""
    goal, *answers = [line.strip() for line in user_text.splitlines() if line.strip()] or [""]
    if not answers or check_goal(goal).concrete:
        return goal
    answer = answers[0].rstrip(".")
    answer = answer[:1].lower() + answer[1:]
    joiner = " by " if answer.split()[0].endswith("ing") else ": "  # "… manager by running 1:1s"
    return goal.rstrip(".") + joiner + answer


def card_markdown(card: GoalCard, passages: list[Passage]) -> str:
    return card.to_markdown(passages) + (
        "" if card.sources else "\n\n" + sources_markdown(passages, [])
    )
