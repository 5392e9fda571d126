"""Goal clarifier: name the loaded words and ask at most three questions; the card itself is
written by `goal_card.make_goal_card`."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.services.coaching.goal_card import GoalCard, make_goal_card
from assistant.services.coaching.goal_check import GoalCheck, check_goal

__all__ = ["ClarifyStep", "GoalCard", "clarify_step", "make_goal_card"]

MAX_QUESTIONS = 3


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
