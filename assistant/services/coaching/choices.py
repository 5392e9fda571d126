"""What a mentee picks from, defined once and read by the workflows, the UI and the CLI: the
channels of an outreach message, the relationship to the mentor, the rehearsal scenarios and the
counterpart's temperaments. Light to import (the CLI builds its argument choices from it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from assistant.services.coaching.outreach_rubric import CHANNELS

CARDS_FILE = Path(__file__).with_name("counterparts.yaml")

RELATIONSHIPS = {
    "cold": "a cold contact: they do not know the mentee",
    "warm": "a warm introduction: someone they know introduced the mentee",
    "colleague": "a colleague in the same organisation",
}
DEFAULT_ASK = "30 minutes once a month"


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    role: str  # who the counterpart is, by default
    query: str  # retrieval query for the debrief


SCENARIOS: dict[str, Scenario] = {
    s.id: s
    for s in [
        Scenario(
            "ask_mentorship",
            "Asking someone to be your mentor",
            "a senior leader they admire",
            "asking someone to be your mentor bounded ask specific goal",
        ),
        Scenario(
            "critical_feedback",
            "Hearing critical feedback",
            "their mentor",
            "receiving critical feedback without getting defensive",
        ),
        Scenario(
            "promotion",
            "Asking what it takes to be promoted after being passed over",
            "their manager",
            "asking your manager what it takes to be promoted after being passed over",
        ),
        Scenario(
            "end_mentorship",
            "Telling a mentor the relationship isn't working",
            "their mentor",
            "ending a mentorship gracefully honest feedback",
        ),
        Scenario(
            "follow_up",
            "Following up after no reply",
            "a busy senior person",
            "following up when a mentor does not reply",
        ),
    ]
}


@cache
def cards() -> dict:
    return yaml.safe_load(CARDS_FILE.read_text(encoding="utf-8"))


TEMPERAMENTS: dict[str, str] = dict(cards()["temperaments"])

CHANNEL_CHOICES: tuple[str, ...] = tuple(CHANNELS)
RELATIONSHIP_CHOICES: tuple[str, ...] = tuple(RELATIONSHIPS)
SCENARIO_CHOICES: tuple[str, ...] = tuple(SCENARIOS)
TEMPERAMENT_CHOICES: tuple[str, ...] = tuple(TEMPERAMENTS)
