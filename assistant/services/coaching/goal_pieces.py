"""What the model writes for a goal card (`CardPieces`), each piece checked on its own: the goal
in plain first person, one thing to do this week, one person to ask and the
question for them (the code makes the two first steps of these), questions for a mentor. A
validator's ValueError is the feedback the model gets when that piece alone is asked for
again."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from assistant import prompts
from assistant.services.coaching.goal_deadline import find_deadline
from assistant.services.coaching.spec import facts, piece
from assistant.services.coaching.structured import borrowed_phrase, clean_citations, copies_passage
from assistant.text.dates import deadline_date
from assistant.text.grammar import (
    action_verb,
    actions,
    as_intention,
    as_mine,
    lemmas,
    modifies_a_noun,
    verbs,
)
from assistant.text.phrases import found
from assistant.text.sentences import sentences
from assistant.text.words import content_words, counts, listed, overlap, role_of, words

# the worked example of the prompt (an unrelated field): checked like the guidance, so a piece
# that copies it is sent back
EXAMPLE_TEXT = prompts.render("goal_card_example")
EXAMPLE_WORDS = content_words(
    "sourdough bake baking baker loaves loaf bread neighbours stall stallholders farmers"
)

Check = Callable[[str, dict], str | None]  # one item and the facts -> its problem, or None

_YOU = re.compile(r"\b(?:you|your|yours|the mentee'?s?)\b", re.I)
_ADVICE = re.compile(r"^\s*(?:don't|do not|never|avoid|remember|make sure)\b", re.I)
_MENTOR = re.compile(r"\bmentors?\b", re.I)
_UNNAMED = re.compile(r"\b(?:they|them)\b", re.I)  # a step is one action: who are "they"?


@dataclass(frozen=True)
class _Text:
    text: str


def _foreign(text: str, f: dict) -> str | None:
    """A phrase taken from the guidance or the worked example, not from the mentee."""
    if copies_passage(text, [*f["passages"], _Text(EXAMPLE_TEXT)]) or (
        content_words(text) & EXAMPLE_WORDS - content_words(f["own"])
    ):
        return "it copies the guidance or the worked example; write it for this mentee"
    if phrase := borrowed_phrase(text, f["passages"], f["own"]):
        return f"“{phrase}” is not the mentee's: use only their goal and answers"
    return None


class CardPieces(BaseModel):
    """What the model writes for a goal card; the measures and deadline are the mentee's."""

    goal: str = Field(max_length=240)
    this_week: list[str] = Field(min_length=1, max_length=3)  # options; the best one is kept
    ask_who: str = Field(max_length=80)
    ask_what: str = Field(max_length=160)
    ask_mentor: list[str] = Field(min_length=1, max_length=2)

    @field_validator("goal")
    @piece
    def _goal(cls, value: str, info: ValidationInfo) -> str:
        value = (sentences(" ".join(value.split())) or [""])[0]  # the model's first sentence
        f = facts(info)
        if len(words(value)) > 30:
            raise ValueError("one sentence of at most 30 words")
        if not re.match(r"(?:i|i'll|i will|i'm|my)\b", value, re.I):
            value = as_intention(value) or value  # "Own the design …" → "I want to own …"
        if not re.match(r"(?:i|i'll|i will|i'm|my)\b", value, re.I) or _YOU.search(value):
            raise ValueError("start with 'I' and speak as the mentee")
        loaded = [t for t in f["vague"] if t in found("loaded_words", value)]
        if loaded:
            raise ValueError(f"say what {', '.join(loaded)} means in practice instead of using it")
        phrase = find_deadline(value)
        # "scripts in the summer series": part of what they will do, kept whole
        named = bool(phrase) and modifies_a_noun(value, phrase)
        if phrase and not named:  # the card has its own deadline: the time frame goes
            value = re.sub(r"[\s,]*" + re.escape(phrase) + r"[\s,]*", " ", value).strip(" ,.")
        if not named and (deadline_date(value, f["today"]) or find_deadline(value)):
            raise ValueError("leave the date out of the goal; the card has its own deadline")
        if len(content_words(value) & content_words(f["own"])) < 2:
            raise ValueError("use the mentee's own words for what they want to do")
        if problem := _foreign(value, f):
            raise ValueError(problem)
        return value

    @field_validator("this_week", mode="before")
    @classmethod
    def _options(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value  # one step written as a string

    @field_validator("this_week")
    @piece
    def _this_week(cls, value: list[str], info: ValidationInfo) -> list[str]:
        f = facts(info)
        check = partial(step_problem, goal=(info.data or {}).get("goal", ""))
        kept, problems = [], []
        for option in cleaned(value, f):
            step = as_mine(option.rstrip("."))  # a list item: no full stop; "your" → "my"
            if not (problem := check(step, f)):
                kept.append(step)
                continue
            # "Read the book and take a mock interview": the action that is not study is the
            # step; of a step too long, its first action that passes
            parts = actions(step) if study(step, f) or too_long(step) else []
            if passed := [a for a in parts if not check(a, f)]:
                kept.append(passed[0])
            else:
                problems.append(problem)
        if not kept:
            raise ValueError(problems[0])
        # of the options that pass, the one that says most of what they want
        return [max(kept, key=lambda step: len(content_words(step) & content_words(f["aims"])))]

    @field_validator("ask_who")
    @piece
    def _ask_who(cls, value: str, info: ValidationInfo) -> str:
        value = as_mine(" ".join(value.split()).strip(" .,:;"))  # "Your team lead" → "My …"
        if not value or len(words(value)) > 8 or re.search(r"[?!]", value):
            raise ValueError(
                "who: a person or role in a few words, such as 'a colleague who has done this'"
            )
        if _MENTOR.search(value) or _YOU.search(value):
            raise ValueError(
                f"“{value}” is not someone they can ask this week: name a person or role"
                " around them, such as a colleague who has done this"
            )
        if is_their_own_role(value, facts(info).get("about_me", "")):
            raise ValueError(
                f"“{value}” is the mentee themselves; name the person who decides or judges"
                " their measure, or someone who has already done it"
            )
        if problem := _foreign(value, facts(info)):
            raise ValueError(problem)
        return value

    @field_validator("ask_what")
    @piece
    def _ask_what(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(value.split()).strip().strip('“”"').rstrip(".")
        value += "" if value.endswith("?") else "?"  # the code owns the punctuation
        f = facts(info)
        if not words(value) or len(words(value)) > 18 or len(sentences(value)) > 1:
            raise ValueError("one question of at most 18 words")
        if re.search(r"\b(?:did|have|has)\s+they\b", value, re.I):
            # "What did they do that helped them …?" asked of the person themselves
            raise ValueError(f"“{value}” is said to them: ask with 'you', as in 'How did you …?'")
        if stock := found("stock_questions", value):
            raise ValueError(stock_feedback(value, stock[0], f))
        if asked := found("material_requests", value):
            raise ValueError(
                f"“{value}” asks them to make something for the mentee (“{asked[0]}”); ask"
                " what they have seen or done, such as how they handled it the first time"
            )
        if problem := _misaddressed(value, str((info.data or {}).get("ask_who") or ""), f):
            raise ValueError(problem)
        step = this_week(info.data)
        # "How did you prepare your case studies?" asks what they did, not for the step itself
        past = re.search(r"\b(?:did|have|had|were|was)\s+you\b", value, re.I)
        if step and overlap(value, step) >= 0.7 and not past:
            raise ValueError(
                f"“{value}” asks them for the step the mentee will take themselves; ask what"
                " they have seen or done instead"
            )
        mine = with_pieces(f, info.data)["own"]
        # "What criteria do you use to evaluate candidates?": what the person who decides
        # looks for is about the mentee's goal even with none of its words
        on_goal = content_words(value) & content_words(mine) or found("decider_questions", value)
        if re.search(r"\bthe mentee\b", value, re.I) or not on_goal:
            raise ValueError(
                f"“{value}” is not about their goal; ask something that helps them toward"
                f" their measure ({'; '.join(f['measures'])})"
            )
        if problem := _foreign(value, f):
            raise ValueError(problem)
        return value

    @field_validator("ask_mentor")
    @piece
    def _asks(cls, value: list[str], info: ValidationInfo) -> list[str]:
        # the questions that pass are kept; only when none does is the field asked again
        f = with_pieces(facts(info), info.data)
        if kept := passing(value, f, ask_problem):
            return kept
        raise ValueError(next(p for q in cleaned(value, f) if (p := ask_problem(q, f))))


_THEIR_WAY = re.compile(r"\byou (?:can|could|should|will|need to)\b", re.I)


def _misaddressed(question: str, who: str, f: dict) -> str | None:
    """A question that is not said to the person asked: it names them as someone else ("your
    team lead", asked of the team lead) or asks how they could reach the mentee's own goal
    ("How do you think you can move into product management?")."""
    core = role_of(who)
    if core and re.search(r"\byour\s+" + re.escape(core) + r"\b", question, re.I):
        return (
            f"“{question}” is asked of {who}, so “your {core}” is someone else; ask them what"
            " they look for or how they did it themselves"
        )
    if _THEIR_WAY.search(question) and len(content_words(question) & content_words(f["aims"])) > 2:
        return (
            f"“{question}” asks them how they could reach the mentee's goal; ask what they"
            " look for, or how they did it themselves"
        )
    return None


def is_their_own_role(who: str, about_me: str) -> bool:
    """The person to ask is the mentee's own role ("my farm manager" for "I'm a farm manager
    on …")."""
    core = role_of(who)
    own = r"\bI(?:'m|’m| am| work as)\s+(?:a|an|the)\s+" + re.escape(core) + r"\b"
    return bool(core) and bool(re.search(own, about_me, re.I))


def stock_feedback(question: str, phrase: str, f: dict) -> str:
    """The feedback for a question anyone could ask anyone (`phrase` is the stock words)."""
    return (
        f"“{question}” is a stock question (“{phrase}”); ask about one part of their own goal"
        f" ({'; '.join(f['measures'])}), such as what they look for or how they did that part"
        " the first time"
    )


def with_pieces(f: dict, pieces: dict | None) -> dict:
    """The facts with the pieces already accepted (the goal, the step for this week) counted
    as the mentee's own words: a question about them is about the mentee's goal."""
    accepted = [str((pieces or {}).get("goal") or ""), this_week(pieces)]
    return {**f, "own": "\n".join([f["own"], *accepted])}


def this_week(pieces: dict | None) -> str:
    """The step for this week among pieces already accepted ('' when there is none yet)."""
    steps = (pieces or {}).get("this_week") or []
    return str(steps[0]) if isinstance(steps, list) and steps else str(steps or "")


def cleaned(value: object, f: dict) -> list[str]:
    """A list's items, each cut to its first sentence (a small model often adds a second
    question or a reason), with its spaces tidied and citation marks to the passages taken
    out."""
    items = value if isinstance(value, list) else []
    return [
        (sentences(clean_citations(" ".join(str(s).split()), f["passages"])) or [""])[0]
        for s in items
    ]


def too_long(step: str) -> bool:
    """More than one short action's worth of words."""
    return len(words(step)) > 22


def step_problem(step: str, f: dict, goal: str = "") -> str | None:
    """What is wrong with one first step, as feedback (None when it is fine); `goal` is the
    card's goal, which a step must not repeat."""
    measure = "; ".join(f["measures"])
    if not step or too_long(step):
        return "each step is one short action (at most 22 words)"
    if _YOU.search(step) or _ADVICE.match(step):
        return f"“{step}” is advice; write an action the mentee will take"
    if _MENTOR.search(step) and not _MENTOR.search(f["aims"]):
        return f"“{step}” leans on a mentor; write something the mentee does on their own this week"
    if unnamed := _UNNAMED.search(step):
        return f"“{step}” says “{unnamed[0]}” without saying who; name the people or the thing"
    if overlap(step, goal) >= 0.7 or any(restates_measure(step, m) for m in f["measures"]):
        return (
            f"“{step}” is the goal or the measure itself; give a smaller first action for"
            " this week: something to prepare, someone to ask, or one small try"
        )
    aims = content_words("\n".join([f["aims"], goal]))
    if content_words(step) & (content_words(f["own"]) - aims) and not content_words(step) & aims:
        # "Pick up my children from school": from who they are, not from what they want
        return (
            f"“{step}” does not move them toward their goal or measure ({measure}); name one"
            " small action on it"
        )
    if generic := study(step, f):
        return (
            f"“{step}” is general study anyone could do (“{generic[0]}”); name an action"
            f" that moves them toward their measure ({measure}), starting with a verb such as"
            " Draft, List, Book, Send or Try"
        )
    return _foreign(step, f)


def restates_measure(step: str, measure: str) -> bool:
    """The step says the measure again: most of its words, or what it counts with what it
    does ("… and applying to five roles" for "apply to five roles")."""
    if overlap(step, measure) >= 0.7:
        return True
    return bool(counts(step) & counts(measure) and lemmas(step) & verbs(measure))


def study(step: str, f: dict) -> list[str]:
    """What makes a step general study anyone could do (a listed phrase, or a study verb as its
    action), leaving out what the mentee named themselves; empty when it is not study."""
    own_generic = found("generic_steps", f["own"])
    generic = [p for p in found("generic_steps", step) if p not in own_generic]
    verbs = [action_verb(step), *map(action_verb, actions(step))]  # "… and start reading"
    mine = lemmas(f["own"])
    generic += [v for v in dict.fromkeys(verbs) if v in listed("study_verbs") and v not in mine]
    return generic


def ask_problem(item: str, f: dict) -> str | None:
    """What is wrong with one question for a mentor, as feedback (None when it is fine)."""
    if not item or len(words(item)) > 20 or re.search(r"\bthe mentee\b", item, re.I):
        return "each item: one question for a mentor, at most 20 words"
    if len(sentences(item)) > 1:
        return "each item is one question, in one sentence"
    if re.match(r"ask\b", item, re.I):
        return f"“{item}” is an instruction; write the question they would ask a mentor"
    if stock := found("stock_questions", item):
        return stock_feedback(item, stock[0], f)
    if not content_words(item) & content_words(f["own"]):
        return (
            f"“{item}” is not about their goal; ask about reaching their measure"
            f" ({'; '.join(f['measures'])})"
        )
    return _foreign(item, f)


def passing(items: object, f: dict, check: Check) -> list[str]:
    """The items, cleaned as the checks clean them, that pass `check` on their own, once each
    (a small model often writes the same question twice)."""
    kept: list[str] = []
    for item in cleaned(items, f):
        if item and not check(item, f) and _key(item) not in map(_key, kept):
            kept.append(item)
    return kept


def _key(text: str) -> str:
    return " ".join(words(text))
