"""The debrief: the checklist decides what to say from the transcript, each point quotes the
mentee and cites its guidance note; the model only writes the better lines, checked."""

from __future__ import annotations

import json

import pytest

from assistant.services.ask import Turn
from assistant.services.coaching import rehearsal as rh
from assistant.services.coaching.debrief import debrief
from assistant.services.coaching.mistakes import find_mistakes, omissions, sentence_mistakes


@pytest.mark.parametrize(
    "sentence, kind",
    [
        (
            "The finance team kept asking about the numbers, so I had to go back over them.",
            "defending",
        ),
        ("With respect, I think the panel underrated the onboarding project.", "disagreeing"),
        ("I might be punching above my weight even asking you this.", "self_deprecating"),
        ("Oh no, I'm so sorry, I'm really sorry about that.", "apologising"),
        ("Sorry to bother you on your break.", "apologising"),
        ("Just some general advice, really, whenever you've got time.", "vague_ask"),
        ("Well, " + "I have been doing a lot of things and " * 6 + "so here I am.", "monologue"),
    ],
)
def test_each_kind_of_mistake_is_found(sentence, kind):
    assert sentence_mistakes(sentence)[:1] == [kind]


@pytest.mark.parametrize(
    "sentence",
    [
        "Thanks, that's fair.",
        "Could you give me an example of where I lost the room?",
        "Would you be open to 30 minutes once a month for three months?",
        "Would sometime next week work?",
        "I've already jotted down the two questions I most want to ask.",
        "Sorry, could you say that again?",
    ],
)
def test_clean_sentences_are_left_alone(sentence):
    assert sentence_mistakes(sentence) == []


def test_a_question_asked_again_marks_the_answer_that_ignored_it():
    reasked = [
        Turn("assistant", "Which of your accounts shows senior-level work right now?"),
        Turn("user", "I've also been looking at the management course. It starts in spring."),
        Turn("assistant", "Okay, but which account? Pick one."),  # a redirect
        Turn("user", "Northwind: I grew it by a third."),
        Turn("assistant", "Is something wrong with our sessions?"),
        Turn("user", "My new manager has been great."),
        Turn("assistant", "Good to hear. But is something wrong with our sessions?"),  # again
    ]
    found = [(f.kind, f.sentence, f.turn) for f in find_mistakes(reasked)]
    assert found == [
        ("ignoring_question", "I've also been looking at the management course.", 0),
        ("ignoring_question", "My new manager has been great.", 2),
    ]
    answered = [  # a follow-up question on the same topic after an answer is not a repeat
        Turn("assistant", "What have you tried so far?"),
        Turn("user", "I ran two retros with a new format."),
        Turn("assistant", "How did the team take the new format?"),
    ]
    assert find_mistakes(answered) == []


def test_what_was_never_said_is_named():
    said = [Turn("assistant", "Hi."), Turn("user", "I'd like some help.")]
    assert omissions(said) == ["no_thanks", "no_next_step"]
    said = [Turn("user", "Thanks! I'll send you a note on Friday.")]
    assert omissions(said) == []
    # judged unfair in the final persona run: "never thanked" after this
    said = [Turn("user", "I've really valued these six months. I'll send you a note on Friday.")]
    assert omissions(said) == []
    # credit given without the word (the court interpreter of the b1aa856 run)
    said = [Turn("user", "The mock trials you ran are the reason I got through. I'll email you.")]
    assert omissions(said) == []


@pytest.mark.parametrize(
    "scenario, line",
    [
        ("ask_mentorship", "Thank you for hearing me out."),
        ("critical_feedback", "Thank you for being straight with me about this."),
        ("end_mentorship", "Thank you for everything you've put into our sessions."),
    ],
)
def test_a_missing_thanks_is_put_as_this_conversation_would_say_it(
    scenario, line, fake_model, local_kb
):
    session = rh.start(rh.RehearsalSetup(scenario, "Ana", "", "supportive"))
    session.transcript += [
        Turn("user", "I'll send you a note on Friday."),
        Turn("assistant", "OK."),
    ]
    result = debrief(session, fake_model, local_kb)
    assert [p.try_instead for p in result.improve] == [line]


@pytest.fixture
def model_rewrites(monkeypatch):
    """The model writes the 'try saying instead' lines (off by default)."""
    from assistant.settings import get_settings

    monkeypatch.setenv("MENTORPREP_DEBRIEF_REWRITES", "true")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_by_default_the_checklist_writes_the_better_lines_without_a_model_call(
    fake_model, local_kb
):
    session = rehearsal("That's not my fault, nobody told me.", "Thanks, I'll send it Friday.")
    result = debrief(session, fake_model, local_kb)
    assert fake_model.prompts == [] and result.rewrites_origin == ""
    assert [(p.try_instead, p.rewrite_by) for p in result.improve] == [
        ("That's fair. Can you give me an example of where it showed?", "checklist")
    ]


def rehearsal(*lines: str) -> rh.Rehearsal:
    session = rh.start(rh.RehearsalSetup("critical_feedback", "Tomás", "", "supportive"))
    for line in lines:
        session.transcript += [Turn("user", line), Turn("assistant", "I see.")]
    return session


def test_points_quote_the_mentee_cite_notes_and_the_header_counts_them(
    fake_model, local_kb, model_rewrites
):
    session = rehearsal(
        "Thank you for telling me.",
        "That's not my fault, the deadline was moved and nobody told me.",
        "Can you give me an example of where I lost the main point?",
    )
    fake_model.queue(json.dumps({"line_1": "Thanks. Can you show me where it ran long?"}))
    result = debrief(session, fake_model, local_kb)
    assert [p.quote for p in result.improve if p.quote] == [
        "That's not my fault, the deadline was moved and nobody told me."
    ]
    point = result.improve[0]
    assert point.note == "receiving-critical-feedback" and point.rewrite_by == "model"
    assert point.try_instead == "Thanks. Can you show me where it ran long?"
    assert {p.quote for p in result.went_well} >= {"Thank you for telling me."}
    assert all(p.note for p in result.went_well + result.improve)
    markdown = result.to_markdown()
    assert f"{len(result.went_well)} strong moment(s) and {len(result.improve)}" in markdown
    assert "guidance: Receiving critical feedback well" in markdown
    assert any(s["title"] == "Receiving critical feedback well" for s in result.sources)


def test_a_rewrite_that_repeats_the_mistake_keeps_the_checklist_line(
    fake_model, local_kb, model_rewrites
):
    session = rehearsal("Sorry, sorry, I'm so sorry to bother you.", "Thanks, I'll send it Friday.")
    bad = json.dumps({"line_1": "Sorry again, I'm so sorry."})
    fake_model.queue(bad, bad)
    result = debrief(session, fake_model, local_kb)
    point = result.improve[0]
    assert point.rewrite_by == "checklist" and "sorry" not in point.try_instead.lower()
    assert result.rewrites_origin == "fallback"


def test_an_ignored_question_gets_a_point_and_a_rewrite(fake_model, local_kb, model_rewrites):
    """Seen in the debrief set's run: the rewrite step had no problem text for this kind."""
    session = rh.start(rh.RehearsalSetup("critical_feedback", "Helen", "", "skeptical"))
    session.transcript += [
        Turn("assistant", "The back rows were off task. Did you notice that at the time?"),
        Turn("user", "The main thing I want to work on this term is my questioning."),
        Turn("assistant", "That's not quite what I asked. Did you notice it?"),
        Turn("user", "No, I didn't, thanks for telling me. I'll walk the room on Thursday."),
    ]
    fake_model.queue(json.dumps({"line_1": "No, I didn't notice; what did you see?"}))
    result = debrief(session, fake_model, local_kb)
    point = result.improve[0]
    assert point.quote == "The main thing I want to work on this term is my questioning."
    assert point.note == "active-listening" and "ask again" in point.why
    assert "a different question" in fake_model.prompts[0].messages[-1]["content"]


def test_every_kind_of_mistake_has_its_checklist_entry():
    from assistant.services.coaching.debrief import checklist

    for kind, item in checklist()["mistakes"].items():
        assert {"why", "try", "note", "problem"} <= set(item), kind


def test_a_clean_conversation_gets_no_invented_criticism(fake_model, local_kb):
    session = rehearsal(
        "Thanks for being straight with me.",
        "Could you give me an example?",
        "I'll try it at the next one on Friday.",
    )
    result = debrief(session, fake_model, local_kb)
    assert result.improve == [] and fake_model.prompts == []
    assert "Keep doing what worked" in result.summary


def test_nothing_said_is_refused(fake_model, local_kb):
    from assistant.errors import BadInput

    with pytest.raises(BadInput):
        debrief(rehearsal(), fake_model, local_kb)


def test_a_next_step_the_counterpart_agreed_to_is_not_missing():
    """Judged unfair in the d7d09fd persona run: "nothing is agreed" after the counterpart said
    yes to 30 minutes once a month."""
    ask = Turn("user", "Thanks. Would you be willing to meet for 30 minutes once a month?")
    yes = Turn("assistant", "Sure, I'd be happy to meet once a month for 30 minutes.")
    assert omissions([ask, yes]) == []
    for answer in ("Hmm, not sure I have time.", "I don't think I can, sorry."):
        assert omissions([ask, Turn("assistant", answer)]) == ["no_next_step"]
    vague = Turn("user", "Thanks. Could you help me sometime?")
    assert omissions([vague, yes]) == ["no_next_step"]
    # a thanks that names a frequency is no ask (debrief set: em-ignoring-vague-busy-mentor)
    thanks = Turn("user", "Thank you for fitting me in every month. I'd like to talk about us.")
    assert omissions([thanks, Turn("assistant", "Of course. What do you mean?")]) == [
        "no_next_step"
    ]


def test_each_flagged_sentence_gets_its_own_line_and_a_failed_one_keeps_the_checklists(
    fake_model, local_kb, model_rewrites
):
    session = rehearsal(
        "That's not my fault, nobody told me.",
        "Sorry, sorry, I'm so sorry to bother you.",
        "Thanks, I'll send it Friday.",
    )
    fake_model.queue(
        json.dumps(
            {
                "line_1": {"text": "Can you show me where it went wrong?"},  # unwrapped
                "line_2": "Input should be a valid string",  # the feedback said back
            }
        )
    )
    result = debrief(session, fake_model, local_kb)
    assert [(p.try_instead, p.rewrite_by) for p in result.improve if p.quote] == [
        ("Can you show me where it went wrong?", "model"),
        ("Thanks for taking a minute for this.", "checklist"),
    ]
    assert len(fake_model.prompts) == 1
