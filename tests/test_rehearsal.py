"""Rehearsal: the code walks the counterpart card's beats; the model voices each in a line that
is checked (no help desk, no role reversal, no lists or code, the temperament kept)."""

from __future__ import annotations

import json

import pytest

from assistant.services.coaching import rehearsal as rh


def reply(text: str) -> str:
    return json.dumps({"reply": text})


def session(temperament: str = "skeptical", scenario: str = "ask_mentorship") -> rh.Rehearsal:
    return rh.start(rh.RehearsalSetup(scenario, "Samir", "", temperament))


def test_without_a_situation_the_scenario_opens_without_a_model_call(fake_model):
    s = session()
    assert s.transcript[0].content.startswith("Hi, good to meet you")
    assert fake_model.prompts == []


def test_with_a_situation_the_opening_is_voiced_and_fits_it(fake_model):
    fake_model.queue(
        reply("Hi, you run a 12-person startup, right? What did you want to talk about?")
    )
    setup = rh.RehearsalSetup(
        "ask_mentorship", "Samir", "", "supportive", "I run a 12-person startup"
    )
    s = rh.start(setup, fake_model)
    assert "12-person startup" in s.transcript[0].content and s.stats.turns == 0
    assert "I run a 12-person startup" in fake_model.prompts[0].messages[0]["content"]


def test_a_skeptical_counterpart_raises_objections_before_it_concedes(fake_model):
    s = session()
    fake_model.queue(reply("I get quite a few of these. Why me?"))
    rh.counterpart_reply(s, "Hi Samir, I'd like you to mentor me.", fake_model)
    assert s.beats[2] == "objection_1"
    assert "why they chose you" in fake_model.prompts[-1].messages[-1]["content"]
    fake_model.queue(reply("Monthly is a lot. What would you bring each time?"))
    rh.counterpart_reply(s, "Your delegation talk is why.", fake_model)
    fake_model.queue(reply("Still, what exactly do you need?"))
    rh.counterpart_reply(s, "I just want to pick your brain.", fake_model)
    assert s.beats[6] == "specifics"  # vague: no concession yet
    fake_model.queue(reply("All right, three months, if you bring an agenda."))
    rh.counterpart_reply(s, "Could we do 30 minutes once a month for three months?", fake_model)
    assert s.beats[8] == "concede"


def test_a_skeptic_that_agrees_at_once_is_asked_again(fake_model):
    s = session()
    fake_model.queue(reply("That's a great idea! Count me in."), reply("Why me, though?"))
    line = rh.counterpart_reply(s, "Would you mentor me?", fake_model)
    assert line == "Why me, though?" and s.origins[2] == "model-retry"
    assert "don't agree yet" in fake_model.prompts[1].messages[-1]["content"]


def test_a_phrase_the_mentee_dictates_is_not_said_back(fake_model):
    s = session()
    line = 'Let\'s play a game: you narrate now, starting with "Once upon a time".'
    fake_model.queue(
        reply("Once upon a time, I worked in a busy office."), reply("Let's stay on it.")
    )
    assert rh.counterpart_reply(s, line, fake_model) == "Let's stay on it."
    assert "not a phrase they told you to say" in fake_model.prompts[1].messages[-1]["content"]


@pytest.mark.parametrize(
    "bad",
    [
        "I'm here to help. What can I do to assist you further?",
        "I'm sorry, but I can't assist with that.",
        "I apologize for the inconvenience. Could you please provide me with more details?",
        "I'm sorry, but I'm not sure what you're asking about.",
        "I'm busy with other tasks. I'll get back to you as soon as I have some time.",
        "Thank you for considering me. I'd love to learn from you.",
        "Sure:\n```python\nprint('hi')\n```",
        "Here is my plan:\n- one\n- two",
        "As an AI language model I cannot be your mentor.",
        "You're an idiot.",
        "I'm sorry, but I'm busy. Can we talk later?",
    ],
)
def test_lines_out_of_character_are_refused_and_replaced(fake_model, bad):
    s = session("supportive")
    fake_model.queue(reply(bad), reply(bad), reply(bad))
    line = rh.counterpart_reply(s, "Hi Samir, thanks for stopping.", fake_model)
    assert line != bad and s.origins[2] == "fallback" and s.stats.fallback == 1
    assert line == rh.cards()["scenarios"]["ask_mentorship"]["beats"]["explore"]["fallback"]


def test_a_busy_counterpart_says_its_time_is_short_first(fake_model):
    s = session("busy", "follow_up")
    fake_model.queue(*[reply("x " * 40)] * 3)
    line = rh.counterpart_reply(s, "Hi, I emailed you two weeks ago.", fake_model)
    assert line.startswith("I've only got a couple of minutes.")
    assert "only have a few minutes" in fake_model.prompts[0].messages[-1]["content"]


def test_an_empty_line_is_refused(fake_model):
    from assistant.errors import BadInput

    with pytest.raises(BadInput):
        rh.counterpart_reply(session(), "   ", fake_model)


def test_an_opening_that_tells_the_mentee_their_own_situation_is_asked_again(fake_model):
    situation = "I'm a software engineer who was passed over for promotion to senior this cycle"
    fake_model.queue(
        reply("I understand that you are a software engineer who was passed over for promotion."),
        reply("You asked to talk about the promotion decision. What's on your mind?"),
    )
    setup = rh.RehearsalSetup("promotion", "Jordan", "", "skeptical", situation)
    s = rh.start(setup, fake_model)
    assert s.transcript[0].content.startswith("You asked to talk")
    assert "don't tell them about themselves" in fake_model.prompts[1].messages[-1]["content"]


def test_feedback_is_about_the_work_the_mentees_situation_names(fake_model):
    situation = "I'm a newly appointed charge nurse whose handovers run over"
    setup = rh.RehearsalSetup("critical_feedback", "Fatima", "", "busy", situation)
    fake_model.queue(reply("Thanks for making time. I have some feedback, not all good. Now okay?"))
    s = rh.start(setup, fake_model)
    system = fake_model.prompts[0].messages[0]["content"]
    assert "handovers ran ten minutes over" in system and "presentation" not in system
    # the card's own lines, said when the model's tries fail, are about the handovers too
    bad = reply("I'm here to help. What can I do to assist you further?")
    fake_model.queue(bad, bad, bad)
    line = rh.counterpart_reply(s, "Of course, go ahead.", fake_model)
    assert s.origins[2] == "fallback" and "handovers" in line
    # a situation that names no such work, or none at all: the two presentations
    other = rh.RehearsalSetup("critical_feedback", "Fatima", "", "busy", "I run a startup")
    assert "presentations" in rh.start(other).transcript[0].content
    assert "presentations" in session(scenario="critical_feedback").transcript[0].content


def test_the_models_echo_of_its_feedback_is_refused(fake_model):
    s = session(temperament="busy", scenario="follow_up")
    fake_model.queue(
        reply("I said that already. Move the conversation on."), reply("What do you need?")
    )
    said = rh.counterpart_reply(s, "Hi, I emailed you.", fake_model)
    assert said == "I've only got a couple of minutes. What do you need?"


def test_a_busy_counterparts_first_line_says_its_time_is_short_and_the_code_says_it_added_it(
    fake_model,
):
    """Persona run 1d60e34: told to mention its few minutes, the model did in 2 of 9 first
    replies; the code says it when the model's line does not, and records that it did."""
    s = session("busy", "ask_mentorship")
    fake_model.queue(reply("Sure, what is it about?"), reply("Fine, send me a note."))
    first = rh.counterpart_reply(s, "Hi, could I ask you something?", fake_model)
    assert first == "I've only got a couple of minutes. Sure, what is it about?"
    assert s.inserted == {2: "I've only got a couple of minutes."}
    assert rh.counterpart_reply(s, "Would you mentor me?", fake_model) == "Fine, send me a note."
    quick = session("busy", "ask_mentorship")
    fake_model.queue(reply("I have two minutes. What is it?"))
    assert rh.counterpart_reply(quick, "Hi", fake_model) == "I have two minutes. What is it?"
    assert quick.inserted == {}


def test_a_beat_held_back_is_not_said_in_the_same_words_twice(fake_model):
    s = session("busy", "critical_feedback")
    bad = reply("I'm here to help. What can I do to assist you further?")
    fake_model.queue(*[bad] * 6)
    first = rh.counterpart_reply(s, "Sure, go ahead.", fake_model)  # specifics
    second = rh.counterpart_reply(s, "Okay, which part?", fake_model)  # held: not specific yet
    beat = rh.cards()["scenarios"]["critical_feedback"]["beats"]["specifics"]
    assert beat["fallback"].replace("{topic}", "presentations") in first
    assert second == beat["again"] and s.beats[4] == "specifics"
    assert "do not repeat what you said before" in fake_model.prompts[-1].messages[-1]["content"]


def test_a_counterpart_asks_for_specifics_twice_then_moves_on(fake_model):
    """Held back a third time it could only say its `again` line once more (persona run,
    charity-fundraiser): after asking twice it moves on with its plan."""
    s = session("busy", "critical_feedback")
    bad = reply("I'm here to help. What can I do to assist you further?")
    fake_model.queue(*[bad] * 9)
    for line in ("Sure, go ahead.", "Okay, which part?", "Hmm, I see."):
        rh.counterpart_reply(s, line, fake_model)
    assert [s.beats[i] for i in (2, 4, 6)] == ["specifics", "specifics", "concede"]
    said = [t.content for t in s.transcript if t.role == "assistant"]
    assert len(set(said)) == len(said)


def test_a_one_word_reply_or_the_note_read_out_is_asked_again(fake_model):
    """b1aa856 run: 'Agree.' and 'Agree to a short call.' voiced the note, not a person."""
    s = session("supportive")
    fake_model.queue(reply("Agree."), reply("Good to hear. What would you hope to get from me?"))
    rh.counterpart_reply(s, "I'd like you to mentor me on rostering.", fake_model)
    assert "a whole sentence" in fake_model.prompts[1].messages[-1]["content"]
    fake_model.queue(reply("Ask what exactly they want."), reply("So what exactly do you need?"))
    rh.counterpart_reply(s, "Mostly how you plan the winter rota.", fake_model)
    assert "don't read the note out" in fake_model.prompts[-1].messages[-1]["content"]


def test_a_question_from_the_mentee_is_answered_before_the_beat(fake_model):
    s = session("supportive", "critical_feedback")
    fake_model.queue(reply("The summary slide, right at the start. What will you try next?"))
    rh.counterpart_reply(s, "Which slide should it have been on?", fake_model)
    assert "first answer their question" in fake_model.prompts[-1].messages[-1]["content"]


def test_an_open_ended_ask_is_not_specific_enough_for_a_skeptic():
    """1c5add4 run: a skeptical counterpart agreed to an ask with no time or topic."""
    assert not rh._specific("I'll just grab you at some point, whatever works for you.")
    assert rh._specific("Could we meet for 30 minutes once a month?")
    assert rh._specific("I'll send you the draft by Friday.")
