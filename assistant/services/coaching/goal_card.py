"""The goal card. The code owns the facts: the mentee's own measure (their line, as they wrote
it) and deadline (their words, with the date they mean, counted from today), and the shape of
the first steps. The model writes short pieces, each checked on its own and asked for again
alone when it fails: the goal in plain first person without the loaded words, one thing to do
this week, one person to ask and the question for them, what to ask a mentor
for."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from assistant import prompts
from assistant.components.llm import Model
from assistant.services.coaching.goal_check import DEADLINE_QUESTION, MEASURE_QUESTION
from assistant.services.coaching.goal_deadline import find_deadline
from assistant.services.coaching.goal_measure import find_measure
from assistant.services.coaching.goal_pieces import (
    EXAMPLE_TEXT,
    CardPieces,
    ask_problem,
    passing,
    with_pieces,
)
from assistant.services.coaching.spec import generate
from assistant.services.coaching.structured import cited_sources
from assistant.services.output_guard import urls_in
from assistant.services.retrieval import Passage
from assistant.text.dates import deadline_date
from assistant.text.grammar import as_intention, counted
from assistant.text.phrases import found
from assistant.text.words import content_words, has_number, person_lead, words


@dataclass
class GoalCard:
    goal: str
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
            f"**Success measures:**\n\n{bullets(self.measures)}",
            f"**Deadline:** {self.deadline}",
            f"**First steps:**\n\n{bullets(self.first_steps, numbered=True)}",
            f"**Ask a mentor for:**\n\n{bullets(self.ask_mentor)}",
        ]
        lines += [f"_{note}_" for note in self.notes]
        if self.sources:
            lines.append("**Sources:** " + "; ".join(s["title"] for s in self.sources))
        return "\n\n".join(lines)


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
    answered_when = by_question.get(DEADLINE_QUESTION, "")
    if not said and answered_when and len(words(answered_when)) <= 14:
        said = answered_when  # "In time for the 2027-28 season": their words, without a date
    longest = 14 if said == by_question.get(DEADLINE_QUESTION) else 8  # their answer: all of it
    if (
        said
        and (len(words(said)) > longest or find_measure(said))
        and (phrase := find_deadline(said))
    ):
        said = phrase  # a long answer that holds more than the deadline: just the time frame
    answered = by_question.get(MEASURE_QUESTION, "")
    if answered and answered != said and _says_a_result(answered):
        return answered, said, deadline_date(said, today) if said else None
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


def _says_a_result(answer: str) -> bool:
    """An answer to the measure question that names a result: a number or a measure phrase, or
    a result of at least four words ("Land a paid part-time physio role with a rugby club"),
    not only a time ("by June") or a shrug ("not sure")."""
    if find_measure(answer) or has_number(answer):
        return True
    if deadline_date(answer, None) is not None and len(words(answer)) <= 6:
        return False
    return len(content_words(answer)) >= 3


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
    about_me: str = "",
) -> tuple[GoalCard, list[Passage]]:
    """A goal card: the mentee's measure and deadline, and the model's checked pieces;
    `about_me` (their line about themselves, optional) tells the model whose week it is."""
    today = today or date.today()
    about_me = about_me.strip()
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
        # MentorPrep's own measure and deadline questions are left out: the card line below
        # gives what they asked for, and a mentor question copied from them was seen 3 times
        answers=[
            (
                "" if q in (MEASURE_QUESTION, DEADLINE_QUESTION) else prompts.fence(q),
                prompts.fence(a),
            )
            for q, a in qa
        ],
        measures=measures,
        deadline=deadline,
        concrete=prompts.fence(_concrete(goal, qa, measure, said)),
        loaded=found("loaded_words", goal),
        about_me=prompts.fence(about_me),
    )
    context = {
        "passages": passages,
        "own": "\n".join([user_text, about_me]),
        "about_me": about_me,  # who they are: the person to ask is someone else
        "aims": user_text,  # what they want, without who they are: what a step must move
        "vague": found("loaded_words", goal),
        "today": today,
        "deadline": deadline,
        "measures": measures,
    }

    def kept(good: dict, last: dict) -> list[str]:
        """The model's last questions for a mentor that pass alone, as many as a card holds."""
        mine = with_pieces(context, good)
        return passing(last.get("ask_mentor"), mine, ask_problem)[: _most("ask_mentor")]

    outcome = generate(
        model,
        messages,
        CardPieces,
        context=context,
        max_tokens=300,
        fallback=lambda good, failed, last: _fallback(user_text, measure, failed, kept(good, last)),
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
        measures=measures,
        deadline=deadline,
        first_steps=first_steps(pieces),
        ask_mentor=pieces.ask_mentor,
        notes=notes,
        origin=outcome.origin,
        from_code=outcome.from_code,
        problems=outcome.problems,
    )
    card.sources = cited_sources([*card.first_steps, *card.ask_mentor], passages)
    return card, passages


def _concrete(goal: str, qa: list[tuple[str, str]], measure: str, said: str) -> str:
    """The answer that says what the goal means in practice: the first that is neither the
    measure nor the deadline ('' when there is none)."""
    return next(
        (a.strip() for _, a in qa if a.strip() and a.strip().rstrip(".") not in (measure, said)), ""
    )


_LABELS = {
    "goal": "the goal",
    "this_week": "the step for this week",
    "ask_who": "who to ask",
    "ask_what": "the question to ask them",
    "ask_mentor": "what to ask a mentor for",
}


def first_steps(pieces: CardPieces) -> list[str]:
    """The card's first steps: the model's step for this week, and the person to ask with the
    question for them, in a shape the code owns ('Ask my team lead: “…?”')."""
    who = pieces.ask_who
    if person_lead(who):
        who = who[:1].lower() + who[1:]
    return [pieces.this_week[0], f"Ask {who}: “{pieces.ask_what}”"]


def _most(name: str) -> int:
    """The most items CardPieces holds in list field `name` (its own bound)."""
    return next(
        m.max_length for m in CardPieces.model_fields[name].metadata if hasattr(m, "max_length")
    )


def _fallback(user_text: str, measure: str, failed: list[str], kept: list[str]) -> dict:
    """Plain pieces from the mentee's own words, for the pieces the model could not write. The
    questions for a mentor keep those of the model's last try that pass alone; the code's own
    quotes the mentee's measure."""
    lines = [line.strip().rstrip(".") for line in user_text.splitlines() if line.strip()]
    what = lines[1] if len(lines) > 1 else lines[0] if lines else "my goal"
    quoted = f"“{measure[:1].lower() + measure[1:]}”" if measure else ""
    thing = counted(measure)  # "two portfolio case studies"
    plain = {
        "goal": (as_intention(what) or f"My goal: {what[:1].lower() + what[1:]}") + ".",
        # not the measure itself: a first step that repeats it is no step
        "this_week": [
            f"Start on the first of my {thing}"
            if thing
            else "Write down where I stand on my measure today, and pick the first part"
            " to start this week"
        ],
        "ask_who": "someone who has already done this",
        "ask_what": "What would you do first in my place?",
        "ask_mentor": kept
        or [
            f"How would you start on {quoted}?" if quoted else "What would you change in this goal?"
        ],
    }
    return {name: plain[name] for name in failed}
