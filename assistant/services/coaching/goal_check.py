"""Deterministic goal check: is a mentee's goal concrete (a measure and a deadline), and which
loaded words would a mentor ask about? Pure stdlib; no model involved.

The rules follow the knowledge notes `smart-goals` and `vague-goal-words`: a goal is concrete when it
names something a third person could count or see (`has_measure`) and a time frame
(`has_deadline`). Vague words are reported separately; a goal can be concrete and still contain one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.services.coaching.goal_deadline import find_deadline
from assistant.services.coaching.goal_measure import find_measure
from assistant.services.coaching.goal_vague import vague_found

MAX_QUESTIONS = 3

EMPTY_GOAL_QUESTION = (
    "What do you want to achieve? Try one sentence: what you'd be doing, and by when."
)
MEASURE_QUESTION = "How will you know you've got there — what could you count or show?"
DEADLINE_QUESTION = "By when do you want this — a date or an event like your next review?"

# Canonical vague term -> the clarifying question a mentor would ask about it.
VAGUE_TERMS: dict[str, str] = {
    "manage": (
        "Which part of managing do you mean: running 1:1s, giving feedback, hiring, planning, "
        "or something else?"
    ),
    "better": "What would you be doing differently if you were 'better' — what would others notice?",
    "good": "What does 'good' look like here — what would you be doing that you aren't now?",
    "great": "What would 'great' look like in practice — something someone else could see?",
    "successful": (
        "By whose standard would this be 'successful' — which one matters: title, pay, impact or freedom?"
    ),
    "grow": "Grow in what — scope, skills, salary or network? Which one matters most right now?",
    "improve": "Improve from where to where — what's your starting point, and what's the target?",
    "leader": (
        "Do you mean leading with a title or without one — what exactly would you be leading?"
    ),
    "confident": "What would you do if you were 'confident' that you don't do now?",
    "visible": "Visible to whom, and for what — which people should see which piece of your work?",
    "impact": "What would 'impact' mean here — which result, for whom, that someone could point to?",
    "strategic": (
        "What would being 'strategic' look like in your week — which plans or decisions would "
        "you own?"
    ),
    "more senior": (
        "What would 'more senior' mean in practice — a title, a bigger scope, or decisions you'd "
        "make on your own?"
    ),
    "influence": "Whose decisions do you want to 'influence', and about what?",
    "executive presence": (
        "What would people see if you had 'executive presence' — speaking up, staying calm, "
        "being concise, something else?"
    ),
    "network": "Who do you want to know that you don't now — which people or groups, and why?",
    "develop": "Develop what, exactly — which skill or area, and how would you show it?",
    "skills": "Which skill, specifically — and what could you do with it that you can't do now?",
    "career": "Which part of your career — role, title, field or pay? What's the next step you want?",
    "balance": "What would 'balance' look like in a normal week — hours, evenings off, something else?",
    "stand out": "Stand out to whom, and for what — what would they notice?",
    "level up": "Level up to what — a role, a scope, a skill level? What would the next level look like?",
    "excel": "What would excelling look like — a result someone else could see?",
    "effective": "Effective at what, and judged how — what result would show it?",
    "communicate": (
        "Which kind of communication — writing, presenting, meetings or 1:1s — and with whom?"
    ),
    "empower": "What would 'empowered' look like — which decisions would be made without you?",
}


@dataclass
class GoalCheck:
    concrete: bool  # has_measure and has_deadline
    vague_terms: list[str]  # surface forms, lowercase, in order of appearance, one per term
    has_measure: bool
    has_deadline: bool
    measure: str | None  # verbatim substring of the goal, or None
    deadline: str | None  # verbatim substring of the goal, or None
    questions: list[str] = field(default_factory=list)  # at most MAX_QUESTIONS

    def to_dict(self) -> dict:
        return {
            "concrete": self.concrete,
            "vague_terms": list(self.vague_terms),
            "has_measure": self.has_measure,
            "has_deadline": self.has_deadline,
            "questions": list(self.questions),
            "measure": self.measure,
            "deadline": self.deadline,
        }


def check_goal(text: str) -> GoalCheck:
    """Check a goal for a measure, a deadline and vague words; ask up to three questions."""
    text = text or ""
    if not text.strip():
        return GoalCheck(
            concrete=False,
            vague_terms=[],
            has_measure=False,
            has_deadline=False,
            measure=None,
            deadline=None,
            questions=[EMPTY_GOAL_QUESTION],
        )
    vague = vague_found(text)
    measure = find_measure(text)
    deadline = find_deadline(text)
    questions = [VAGUE_TERMS[key] for _, key in vague][:MAX_QUESTIONS]
    if measure is None and len(questions) < MAX_QUESTIONS:
        questions.append(MEASURE_QUESTION)
    if deadline is None and len(questions) < MAX_QUESTIONS:
        questions.append(DEADLINE_QUESTION)
    return GoalCheck(
        concrete=measure is not None and deadline is not None,
        vague_terms=[surface for surface, _ in vague],
        has_measure=measure is not None,
        has_deadline=deadline is not None,
        measure=measure,
        deadline=deadline,
        questions=questions,
    )
