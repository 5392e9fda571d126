"""Loops and cut JSON: what the SmolLM2 test model really produced in CI (a draft that repeated
one sentence until the token limit, twice, so the draft failed with 'not complete JSON')."""

import json

import pytest

from assistant.components.llm import Prompt
from assistant.components.llm.repetition import close_json, loop_start, stop_loops
from assistant.errors import BackendUnavailable
from assistant.services.coaching.outreach import OutreachRequest, draft_outreach
from tests.conftest import FakeModel

LOOP = "I'm not sure I'm ready to take on a new role, but I'm excited to learn from you. "
CUT_DRAFT = (
    '{ "subject": "Mentor Request", "body": "Hi Priya, I lead a team of five. '
    + LOOP * 12
    + "I'm no"
)


def test_a_tail_repeated_three_times_is_a_loop_and_one_copy_is_kept():
    text = "Hi Priya, I lead a team of five. " + LOOP * 3
    start = loop_start(text)
    assert start is not None
    kept = text[:start]
    assert kept.count("excited to learn") == 1
    assert kept.startswith("Hi Priya, I lead a team of five.")


@pytest.mark.parametrize(
    "text",
    [
        "Hi Priya, I lead a team of five. " + LOOP * 2,  # twice is not yet a loop
        "| a | b |\n|---|---|\n" + "-" * 100,  # rules and tables: no words
        "Agenda:\n- one item\n- two items\n- three items\n- four items\n",
        "short. short. short. short. ",  # a unit shorter than MIN_UNIT
    ],
)
def test_ordinary_text_is_not_a_loop(text):
    assert loop_start(text) is None


def test_a_long_run_of_whitespace_is_a_loop():
    text = '{"body": "fine"' + "\n" * 200
    assert text[: loop_start(text)] == '{"body": "fine"'


def test_stop_loops_stops_the_stream_and_closes_its_source():
    closed = []

    def source():
        try:
            for _ in range(1000):
                yield LOOP
        finally:
            closed.append(True)

    trimmed = []
    out = "".join(stop_loops(source(), on_loop=trimmed.append))
    assert out.count(LOOP) < 10  # stopped long before the source ran out
    assert closed == [True]
    assert trimmed == [LOOP.strip()]


def test_stop_loops_passes_ordinary_text_through_unchanged():
    chunks = ["Running useful 1:1s ", "starts with an agenda ", "the report writes. " * 2]
    assert list(stop_loops(iter(chunks))) == chunks


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        ('{"subject": "Hi", "body": "One. Two. Thr', {"subject": "Hi", "body": "One. Two."}),
        ('{"subject": "Hi", "body": "One two thr', {"subject": "Hi", "body": "One two thr"}),
        ('{"subject": "Hi", "bo', {"subject": "Hi"}),
        ('{"subject": "Hi", "body":', {"subject": "Hi"}),
        ('{"subject": "Hi",', {"subject": "Hi"}),
        ('{"steps": ["a", "b", "c', {"steps": ["a", "b", "c"]}),
        ('{"steps": ["a", {"x": 1}, ', {"steps": ["a", {"x": 1}]}),
        ('{"text": "quote \\"in', {"text": 'quote "in'}),
        ('{"text": "cut escape \\', {"text": "cut escape "}),
        ('{"text": "cut \\u00', {"text": "cut "}),
    ],
)
def test_close_json_keeps_what_is_complete(cut, expected):
    data, closed = close_json(cut)
    assert data == expected
    assert json.loads(closed) == expected


def test_close_json_refuses_text_with_no_document():
    with pytest.raises(ValueError):
        close_json("I cannot answer in JSON")


def test_a_looping_json_answer_is_trimmed_and_closed():
    model = FakeModel([CUT_DRAFT])
    data = model.complete_json(Prompt([{"role": "user", "content": "draft"}], schema={}))
    assert model.last_looped
    assert data["body"].count("excited to learn") == 1
    assert json.loads(model.last_text) == data


def test_what_the_last_call_wrote_is_each_threads_own():
    """The app answers several users at once from one model object: a rehearsal reads back the
    exact text of its own last call, never another user's that finished in between."""
    import threading

    model = FakeModel(['{"reply": "Ana, tell me more."}', '{"reply": "Ben, go on."}'])
    first_done, both_done, seen = threading.Event(), threading.Barrier(2), {}

    def user(name: str) -> None:
        if name == "second":
            first_done.wait()  # the first call takes the first reply
        model.complete_json(Prompt([{"role": "user", "content": name}], schema={}))
        first_done.set()
        both_done.wait()  # both calls have finished before either reads its own
        seen[name] = (model.last_text, model.last_looped)

    threads = [threading.Thread(target=user, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen["first"] == ('{"reply": "Ana, tell me more."} ', False)
    assert seen["second"] == ('{"reply": "Ben, go on."} ', False)


def test_json_with_nothing_usable_is_still_an_error():
    model = FakeModel(["not json at all"])
    with pytest.raises(BackendUnavailable, match="malformed JSON"):
        model.complete_json(Prompt([{"role": "user", "content": "x"}], schema={}))


def test_a_draft_whose_model_loops_still_ends_in_a_draft(knowledge_base):
    """Before: two looping answers → 'The model did not write a usable draft'."""
    model = FakeModel([CUT_DRAFT, CUT_DRAFT])
    request = OutreachRequest(
        mentor_name="Priya Raman",
        mentor_role="Director of Engineering at Lumen Health",
        bio="Priya leads three platform teams and writes about first-time managers.",
        goal="Run 1:1s my team rates 4/5 by June",
        channel="email",
    )
    draft, _ = draft_outreach(request, model, knowledge_base)
    assert draft.body.count("excited to learn") <= 1
    assert draft.report.passed  # the rubric repair adds what the looping model left out
