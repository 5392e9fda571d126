"""The goal card: the code owns the mentee's measure and deadline; the model's pieces are
checked one by one and only a failed piece is asked again."""

from __future__ import annotations

import json
from datetime import date

from assistant.services.coaching.goal_card import deadline_text, make_goal_card, mentee_facts
from assistant.services.coaching.goal_check import DEADLINE_QUESTION, MEASURE_QUESTION

TODAY = date(2026, 12, 2)
QA = [
    ("Which part of managing do you mean?", "Running 1:1s that my reports find useful"),
    (MEASURE_QUESTION, "Average 1:1 usefulness of 4/5 on my team's quarterly survey"),
    (DEADLINE_QUESTION, "By the end of Q2 next year"),
]
PIECES = {
    "goal": "I want to run 1:1s that my reports find useful",
    "why": "My reports deserve time with me that helps them grow.",
    "first_steps": [
        "Ask each report what they want from our 1:1s",
        "Draft a shared 1:1 agenda template this week",
    ],
    "ask_mentor": ["How you structure your own 1:1s"],
}


def card(fake_model, local_kb, *answers, qa=QA, goal="I want to be a better manager"):
    fake_model.queue(*[json.dumps(a) for a in answers])
    return make_goal_card(goal, qa, fake_model, local_kb, today=TODAY)[0]


def test_the_mentees_measure_and_deadline_are_kept_as_they_wrote_them(fake_model, local_kb):
    result = card(fake_model, local_kb, PIECES)
    assert result.measures == ["Average 1:1 usefulness of 4/5 on my team's quarterly survey"]
    assert result.deadline == "By the end of Q2 next year (30 June 2027)"
    assert result.origin == "model" and result.from_code == [] and result.notes == []
    assert result.goal == PIECES["goal"]


def test_a_relative_deadline_becomes_the_date_it_means():
    qa = [("q", "Teach a class on my own"), (DEADLINE_QUESTION, "before the fall semester")]
    measure, said, when = mentee_facts("teach", qa, TODAY)
    assert said == "before the fall semester" and when == date(2027, 9, 1)
    assert deadline_text(said, when) == "before the fall semester (1 September 2027)"
    assert deadline_text("by 30 June 2027", date(2027, 6, 30)) == "by 30 June 2027"


def test_a_goal_that_keeps_a_loaded_word_is_asked_again_alone(fake_model, local_kb):
    loaded = {**PIECES, "goal": "I want to be a better manager who runs useful 1:1s"}
    result = card(fake_model, local_kb, loaded, {"goal": "I want to run 1:1s my reports value"})
    assert result.goal == "I want to run 1:1s my reports value"
    assert result.origin == "model-retry"
    retry = fake_model.prompts[1]
    assert set(retry.schema["properties"]) == {"goal"}
    assert "better" in retry.messages[-1]["content"]


def test_first_steps_that_repeat_the_measure_or_give_advice_are_refused(fake_model, local_kb):
    echo = {
        **PIECES,
        "first_steps": [
            "Average 1:1 usefulness of 4/5 on my quarterly survey",
            "Don't stack five goals into one ask",
        ],
    }
    result = card(fake_model, local_kb, echo, {"first_steps": PIECES["first_steps"]})
    assert result.first_steps == PIECES["first_steps"]
    assert "is the goal or the measure itself" in fake_model.prompts[1].messages[-1]["content"]


def test_a_copy_of_the_worked_example_is_refused(fake_model, local_kb):
    copied = {
        **PIECES,
        "first_steps": [
            "Ride 40 km every Saturday and log my time",
            "Ask the club coach for a ten-week training plan",
        ],
    }
    result = card(fake_model, local_kb, copied, {"first_steps": PIECES["first_steps"]})
    assert "Saturday" not in " ".join(result.first_steps)


def test_pieces_the_model_never_gets_right_come_from_the_code_and_say_so(fake_model, local_kb):
    bad = {**PIECES, "goal": "You should be a better manager"}
    result = card(fake_model, local_kb, bad, {"goal": "Be better"}, {"goal": "better!"})
    assert result.from_code == ["goal"] and result.origin == "mixed"
    # said in the first person from the mentee's own answer, by the English pipeline
    assert result.goal == "I want to run 1:1s that my reports find useful."
    assert any("MentorPrep wrote the goal" in note for note in result.notes)
    assert result.first_steps == PIECES["first_steps"]  # the model's good pieces stay


def test_no_deadline_or_measure_given_is_said_plainly(fake_model, local_kb):
    result = card(fake_model, local_kb, PIECES, qa=[("Which part?", "Running useful 1:1s")])
    assert result.deadline == "by 2 March 2027 (about 90 days)"
    assert any("suggested the deadline" in n for n in result.notes)
    assert any("could not find a measure" in n for n in result.notes)


def test_answers_that_are_never_json_still_give_a_card(fake_model, local_kb):
    fake_model.queue("not json", "{still not", "nope")
    result, _ = make_goal_card(
        "I want to be a better manager", QA, fake_model, local_kb, today=TODAY
    )
    assert result.origin == "fallback" and result.deadline.startswith("By the end of Q2")
