"""The goal card: the code owns the mentee's measure and deadline; the model's pieces are
checked one by one and only a failed piece is asked again."""

from __future__ import annotations

import json
from datetime import date

from assistant.services.coaching.goal_card import (
    RETRY_TEMPERATURE,
    deadline_text,
    make_goal_card,
    mentee_facts,
)
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


def test_general_study_steps_are_sent_back_with_the_measure_to_aim_at(fake_model, local_kb):
    study = {
        **PIECES,
        "first_steps": ["Read a book on management", "Attend a leadership workshop"],
    }
    result = card(fake_model, local_kb, study, {"first_steps": PIECES["first_steps"]})
    assert result.first_steps == PIECES["first_steps"]
    feedback = fake_model.prompts[1].messages[-1]["content"]
    assert "general study" in feedback and "4/5 on my team's quarterly survey" in feedback


def test_a_study_step_the_mentee_named_themselves_is_theirs(fake_model, local_kb):
    qa = [*QA[:1], (MEASURE_QUESTION, "Give a talk at the spring conference"), QA[2]]
    steps = ["Submit my talk abstract to the conference", "Ask my lead to review the slides"]
    result = card(fake_model, local_kb, {**PIECES, "first_steps": steps}, qa=qa)
    assert result.first_steps == steps and result.origin == "model"


def test_questions_for_a_mentor_stay_on_the_mentees_goal(fake_model, local_kb):
    off = {**PIECES, "ask_mentor": ["How to improve my public speaking"]}
    told = {"ask_mentor": ["Ask the team for feedback on my 1:1s"]}
    result = card(fake_model, local_kb, off, told, {"ask_mentor": PIECES["ask_mentor"]})
    assert result.ask_mentor == PIECES["ask_mentor"]
    assert "not about their goal" in fake_model.prompts[1].messages[-1]["content"]
    assert "an instruction" in fake_model.prompts[2].messages[-1]["content"]


def test_the_codes_own_question_is_about_the_mentees_measure(fake_model, local_kb):
    study = {**PIECES, "first_steps": ["Read a book", "Watch a tutorial"], "ask_mentor": ["x"]}
    result = card(fake_model, local_kb, study, study, study)
    assert result.from_code == ["first_steps", "ask_mentor"]
    measure = "“average 1:1 usefulness of 4/5 on my team's quarterly survey”"
    assert measure in result.ask_mentor[0]
    assert not any("4/5" in step for step in result.first_steps)  # a step is not the measure


def test_the_measure_is_the_answer_to_the_measure_question():
    qa = [
        (
            "q",
            "Opening a 40-cover neighbourhood restaurant with a menu built around local suppliers",
        ),
        (MEASURE_QUESTION, "Sign a lease, open, and break even within six months of opening"),
        (DEADLINE_QUESTION, "In the new year, ideally by March"),
    ]
    measure, said, when = mentee_facts("run my own place", qa, TODAY)
    assert measure == "Sign a lease, open, and break even within six months of opening"
    assert said == "In the new year, ideally by March" and when == date(2027, 3, 31)


def test_a_deadline_answer_is_kept_whole_when_it_is_only_a_deadline():
    qa = [
        ("q", "Plan the curriculum"),
        (DEADLINE_QUESTION, "Before the next round of internal appointments in the spring"),
    ]
    _, said, when = mentee_facts("be strategic", qa, TODAY)
    assert said == "Before the next round of internal appointments in the spring"
    assert when == date(2027, 3, 1)


def test_a_retry_is_asked_at_a_higher_temperature(fake_model, local_kb):
    study = {**PIECES, "first_steps": ["Read a book on management", "Attend a workshop"]}
    card(fake_model, local_kb, study, {"first_steps": PIECES["first_steps"]})
    first, retry = fake_model.prompts
    assert first.temperature is None and retry.temperature == RETRY_TEMPERATURE


def test_a_good_step_of_a_failed_answer_is_kept_beside_the_codes_own(fake_model, local_kb):
    mixed = {
        **PIECES,
        "first_steps": ["Ask each report what they want from our 1:1s", "Read a book"],
    }
    result = card(fake_model, local_kb, mixed, mixed, mixed)
    assert result.from_code == ["first_steps"]
    assert result.first_steps[0] == "Ask each report what they want from our 1:1s"
    assert (
        result.first_steps[1].startswith("Write down where I stand")
        and len(result.first_steps) == 2
    )


def test_the_kept_steps_are_no_more_than_a_card_holds(fake_model, local_kb):
    """A backend that does not hold the model to the schema may give four steps; the card keeps
    three of them, not a card that fails its own bounds."""
    four = [
        "Ask each report what they want from our 1:1s",
        "Draft a shared 1:1 agenda template this week",
        "Ask my manager how she runs her 1:1s",
        "Try a five-minute check-in with one report on Friday",
    ]
    many = {**PIECES, "first_steps": four}
    result = card(fake_model, local_kb, many, many, many)
    assert result.from_code == ["first_steps"] and result.first_steps == four[:3]
