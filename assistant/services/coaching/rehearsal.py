"""Rehearsal: a role-played counterpart. The code holds a card for each scenario (what the
counterpart wants, what worries them, the beats of the conversation) and walks the beats turn
by turn, by temperament; the model only voices the beat of the turn in one or two sentences,
checked, asked again when it fails, and replaced by the beat's own line as a last resort."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from assistant import prompts
from assistant.components.llm import Model
from assistant.errors import BadInput
from assistant.services.ask import Turn
from assistant.services.coaching.choices import SCENARIOS, TEMPERAMENTS, Scenario, cards
from assistant.services.coaching.counterpart_checks import (
    check_line,
    dictated,
    rule_violations,
)
from assistant.services.coaching.spec import facts, generate, piece
from assistant.text.dates import deadline_date
from assistant.text.grammar import delivered_work
from assistant.text.phrases import found
from assistant.text.words import has_number, lines, overlap, words

__all__ = ["dictated", "rule_violations"]  # the checks' home is counterpart_checks.py

BUSY_MAX_WORDS = 30
BUSY_NOTE = "you are busy: one or two short sentences"


@dataclass
class RehearsalSetup:
    scenario: str
    counterpart_name: str = "Alex"
    counterpart_role: str = ""
    temperament: str = "supportive"
    about_me: str = ""  # the mentee's situation in one line, their words

    def validate(self) -> Scenario:
        if self.scenario not in SCENARIOS:
            raise BadInput(
                f"Unknown scenario {self.scenario!r}.", fix=f"use one of {list(SCENARIOS)}"
            )
        if self.temperament not in TEMPERAMENTS:
            raise BadInput(
                f"Unknown temperament {self.temperament!r}.", fix=f"use one of {list(TEMPERAMENTS)}"
            )
        if not self.counterpart_name.strip():
            raise BadInput("The counterpart needs a name.", fix="e.g. Alex")
        return SCENARIOS[self.scenario]


@dataclass
class ReplyStats:
    turns: int = 0
    clean: int = 0  # the model's first reply passed every check
    repaired: int = 0  # kept for stored sessions; replies are no longer trimmed
    regenerated: int = 0  # a later try passed
    fallback: int = 0  # the beat's own line


@dataclass
class Rehearsal:
    setup: RehearsalSetup
    transcript: list[Turn] = field(default_factory=list)  # roles: "user", "assistant" (counterpart)
    stats: ReplyStats = field(default_factory=ReplyStats)
    # the model's own output for counterpart turns (by transcript index), fed back verbatim so the
    # next prompt shares its tokens with what llama.cpp already has in its KV cache
    raw: dict[int, str] = field(default_factory=dict)
    conversation_id: str | None = None  # where the app stores this rehearsal
    # per counterpart turn (by transcript index): the beat it voiced, how it came about
    # ("model", "model-retry", "fallback") and what the model last wrote
    beats: dict[int, str] = field(default_factory=dict)
    origins: dict[int, str] = field(default_factory=dict)
    model_text: dict[int, str] = field(default_factory=dict)
    # words the code put before the model's line (by transcript index), shown apart in the eval
    inserted: dict[int, str] = field(default_factory=dict)
    step: int = 0  # where the counterpart is in its temperament's plan of beats

    def user_turns(self) -> list[str]:
        return [t.content for t in self.transcript if t.role == "user"]

    def to_dict(self) -> dict:
        return {
            "setup": asdict(self.setup),
            "transcript": [asdict(t) for t in self.transcript],
            "stats": asdict(self.stats),
        }


class Reply(BaseModel):
    reply: str = Field(min_length=2, max_length=320)

    @field_validator("reply")
    @piece
    def _reply(cls, value: str, info: ValidationInfo) -> str:
        f = facts(info)
        problems = check_line(value, f)
        value = " ".join(value.split()).strip().strip('"“”').strip()
        if f["hold_back"] and found("agreement", value):
            problems.append(f"don't agree yet: {f['say']}")
        if len(words(value)) <= 2:  # "Agree." voices the note's verb, not a person
            problems.append(f"say a whole sentence to them, as {f['name']} would")
        elif [w.lower() for w in words(value)[:2]] == [w.lower() for w in words(f["say"])[:2]]:
            problems.append("don't read the note out")  # "Agree to a short call."
        if f["temperament"] == "busy" and len(words(value)) > BUSY_MAX_WORDS:
            problems.append(BUSY_NOTE)
        if f["last"] and len(words(f["last"])) > 5 and overlap(value, f["last"]) >= 0.7:
            problems.append("answer them instead of repeating their words")
        if any(phrase.lower() in value.lower() for phrase in dictated(f["last"] or "")):
            problems.append("say it your own way, not a phrase they told you to say")
        if problems:
            raise ValueError(
                "; ".join(problems) + f". In your own words as {f['name']}: {f['say']}"
            )
        return value


def _beat(rehearsal: Rehearsal) -> str:
    """The beat of the next counterpart turn: the temperament's plan, one step per reply; a
    doubtful or busy counterpart does not concede to a mentee who has not been specific, but
    asks for specifics no more than twice (a third time it would only repeat itself)."""
    plan = cards()["plans"][rehearsal.setup.temperament]
    beat = plan[min(rehearsal.step, len(plan) - 1)]
    last = rehearsal.user_turns()[-1] if rehearsal.user_turns() else ""
    asked = list(rehearsal.beats.values()).count("specifics")
    if (
        beat == "concede"
        and rehearsal.setup.temperament != "supportive"
        and not _specific(last)
        and asked < 2
    ):
        return "specifics"  # held back: the plan does not move on
    rehearsal.step += 1
    return beat


def _specific(text: str) -> bool:
    """The mentee said something concrete: a number, a time, a date or a plan with 'I'll';
    not an ask left open ("I'll grab you at some point, whatever works")."""
    if found("vague_ask", text):
        return False
    return bool(
        has_number(text)
        or deadline_date(text) is not None
        or re.search(
            r"\b(?:minutes?|hours?|weeks?|months?|monthly|weekly|once|twice)\b", text, re.I
        )
        or re.search(r"\bI(?:'ll| will| plan to| am going to)\b", text, re.I)
        or re.search(r"\b(?:half an hour|a couple)\b", text, re.I)
    )


BUSY_OPENER = "I've only got a couple of minutes."


def _card(setup: RehearsalSetup) -> dict:
    """The counterpart's card; one with a `topic` is about the work the mentee's situation
    names (their handovers, their client pitches), else about its own topic."""
    card = cards()["scenarios"][setup.scenario]
    if "topic" not in card:
        return card
    return _filled(card, _work_named(setup.about_me) or card["topic"])


@lru_cache(maxsize=64)  # every reply asks for the card three times (beat, prompt, checks)
def _work_named(situation: str) -> str:
    return delivered_work(situation, lines("delivered_work"))


def _filled(item, topic: str):  # noqa: ANN001, ANN202 (the card's nested dicts and strings)
    if isinstance(item, dict):
        return {key: _filled(value, topic) for key, value in item.items()}
    return item.replace("{topic}", topic) if isinstance(item, str) else item


def _say(rehearsal: Rehearsal, beat: str) -> tuple[str, str]:
    """(what the counterpart should do this turn, the beat's own line)."""
    card = _card(rehearsal.setup)
    item = card["beats"][beat]
    say, fallback = item["say"], item["fallback"]
    said = [t.content for t in rehearsal.transcript if t.role == "assistant"]
    if any(fallback in line for line in said):  # a beat held back, or the last beat again
        say += "; in new words: do not repeat what you said before"
        fallback = item.get("again", fallback)
    last = rehearsal.user_turns()[-1].strip() if rehearsal.user_turns() else ""
    if last.endswith("?") and beat != "open":  # "Which slide should it have been on?"
        say = f"first answer their question in one sentence, then {say}"
    first = not any(t.role == "assistant" for t in rehearsal.transcript[1:])
    if rehearsal.setup.temperament == "busy" and first:
        say += "; mention that you only have a few minutes"
        fallback = f"{BUSY_OPENER} {fallback}"
    return say, fallback


def _system(setup: RehearsalSetup) -> str:
    scenario = setup.validate()
    card = _card(setup)
    return prompts.render(
        "rehearsal_counterpart",
        name=setup.counterpart_name,
        role=setup.counterpart_role or scenario.role,
        wants=card["wants"],
        concerns=card["concerns"],
        temperament=TEMPERAMENTS[setup.temperament],
        about_me=prompts.fence(setup.about_me),
    )


def _voice(rehearsal: Rehearsal, model: Model, say: str, fallback: str, beat: str) -> str:
    """The counterpart's next line: the model voices `say`; checked; the beat's line when the
    model's tries fail. Records how the line came about."""
    setup = rehearsal.setup
    messages = [{"role": "system", "content": _system(setup)}]
    for index, turn in enumerate(rehearsal.transcript):
        content = (
            turn.content
            if turn.role == "user"
            else rehearsal.raw.get(index) or _as_reply(turn.content)
        )
        messages.append({"role": turn.role, "content": content})
    note = f"(Only for {setup.counterpart_name}, not said aloud: in your next line, {say}.)"
    if messages[-1]["role"] == "user":
        messages[-1] = {"role": "user", "content": messages[-1]["content"] + "\n\n" + note}
    else:
        messages.append({"role": "user", "content": note})
    last = rehearsal.user_turns()[-1] if rehearsal.user_turns() else ""
    card = _card(setup)
    said = [t.content for t in rehearsal.transcript if t.role == "assistant"]
    context = {
        "name": setup.counterpart_name,
        "say": say,
        "notes": [say, TEMPERAMENTS[setup.temperament], BUSY_NOTE],
        "mentee": "\n".join([setup.about_me, *rehearsal.user_turns()]),
        "own": "\n".join([card["wants"], card["concerns"], say]),
        "said": said,
        "temperament": setup.temperament,
        "last": last,
        "situation": setup.about_me if beat == "open" else "",
        "hold_back": setup.temperament == "skeptical"
        and beat.startswith(("objection", "specifics")),
    }
    outcome = generate(
        model,
        messages,
        Reply,
        context=context,
        attempts=3,
        max_tokens=120,
        fallback=lambda good, failed, last: {"reply": fallback},
    )
    index = len(rehearsal.transcript)
    rehearsal.beats[index] = beat
    rehearsal.origins[index] = outcome.origin
    rehearsal.model_text[index] = model.last_text
    stats = rehearsal.stats
    stats.turns += 1
    if outcome.origin == "model":
        stats.clean += 1
        rehearsal.raw[index] = model.last_text
    elif outcome.origin == "model-retry":
        stats.regenerated += 1
        rehearsal.raw[index] = model.last_text
    else:
        stats.fallback += 1
    return outcome.value.reply


def start(setup: RehearsalSetup, model: Model | None = None) -> Rehearsal:
    """A new rehearsal. With a model and the mentee's situation, the counterpart opens with a
    line that fits it; otherwise with the scenario's own opening."""
    setup.validate()
    card = _card(setup)
    rehearsal = Rehearsal(setup)
    if model is None or not setup.about_me.strip():
        rehearsal.transcript.append(Turn("assistant", card["open_fallback"]))
        return rehearsal
    say = card["open"] + "; let what you know about them shape it, without telling it back to them"
    opening = _voice(rehearsal, model, say, card["open_fallback"], "open")
    rehearsal.stats.turns -= 1  # the opening is not a reply
    rehearsal.transcript.append(Turn("assistant", opening))
    return rehearsal


def counterpart_reply(rehearsal: Rehearsal, user_message: str, model: Model) -> str:
    """Record the user's line and the counterpart's in-character answer."""
    message = " ".join((user_message or "").split())
    if not message:
        raise BadInput("Say something to the other person first.", fix="type what you would say")
    rehearsal.setup.validate()
    rehearsal.transcript.append(Turn("user", message))
    beat = _beat(rehearsal)
    say, fallback = _say(rehearsal, beat)
    reply = _voice(rehearsal, model, say, fallback, beat)
    first = not any(t.role == "assistant" for t in rehearsal.transcript[1:])
    if rehearsal.setup.temperament == "busy" and first and not found("time_limit", reply):
        # a busy person says so at once; the model, told to, mostly did not (1d60e34: 2 of 9)
        rehearsal.inserted[len(rehearsal.transcript)] = BUSY_OPENER
        reply = f"{BUSY_OPENER} {reply}"
    rehearsal.transcript.append(Turn("assistant", reply))
    return reply


def _as_reply(text: str) -> str:
    import json

    return json.dumps({"reply": text}, ensure_ascii=False)
