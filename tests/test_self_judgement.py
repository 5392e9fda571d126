"""Running oneself down, read from the sentence's grammar (spaCy), not only from listed phrases."""

import pytest

from assistant.services.coaching.mistakes import sentence_mistakes
from assistant.text.self_judgement import runs_self_down


@pytest.mark.parametrize(
    "sentence",
    [
        "I know, I'm pretty hopeless with spreadsheets.",
        "I'm honestly not great with the deeper pockets yet.",
        "I'm probably the least experienced person who's asked you.",
        "I'm not very good at presenting.",
        "I'm not a natural at this.",
        "I'm probably the weakest analyst on the team.",
    ],
)
def test_a_fault_or_a_denied_strength_said_of_oneself_runs_oneself_down(sentence):
    assert runs_self_down(sentence)
    assert "self_deprecating" in sentence_mistakes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "I'm not sure which module to start with.",
        "I'm not confident presenting to the board yet.",
        "I'm not bad at SQL.",
        "I'm good with the numbers.",
        "The report was bad.",
        "I've never run a show with a fly floor or a revolve.",
        "She's not great at saying no, and neither was I.",
    ],
)
def test_a_gap_said_plainly_or_a_fault_of_something_else_is_left_alone(sentence):
    assert not runs_self_down(sentence)


def test_blame_put_elsewhere_and_an_ask_with_no_shape_are_flagged():
    assert (
        sentence_mistakes("The freezer sheet was the night shift's, so that's not really on me.")[0]
        == "defending"
    )
    assert "vague_ask" in sentence_mistakes("Could you help me get better somehow?")
