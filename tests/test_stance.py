"""Disputing the criticism and a request with no task or bounds, read from the grammar."""

import pytest

from assistant.text.stance import disputes, general_request


@pytest.mark.parametrize(
    "sentence",
    [
        "I don't think the length was the problem, the content was what mattered.",
        "I don't agree with that.",
        "The report wasn't late, because the data only arrived on Thursday.",
        "I don't see why the format matters so much.",
    ],
)
def test_disputing_what_was_said(sentence):
    assert disputes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "I don't think I explained the plan well.",
        "That's not what I meant.",
        "I didn't send it in time, because I underestimated the review.",
        "I don't feel ready to lead the review yet.",
        "Thanks, that makes sense.",
    ],
)
def test_owning_it_or_a_plain_no_is_not_disputing(sentence):
    assert not disputes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Would you be able to help me with my career?",
        "Could we chat sometime about things?",
        "I'd love to get your advice.",
        "Would you be open to mentoring me?",
    ],
)
def test_a_request_with_no_task_and_no_bounds_is_general(sentence):
    assert general_request(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Would you be open to 30 minutes once a month?",
        "Could you look over my draft proposal?",
        "Could you help me structure the budget section?",
        "What would make this worth your while?",
        "I'd love to hear how you prepared the rota.",
        "I'd like to use some of it to talk about how we carry on.",
    ],
)
def test_a_request_with_a_task_or_bounds_is_not_general(sentence):
    assert not general_request(sentence)
