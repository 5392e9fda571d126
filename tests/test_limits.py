"""Limits without a server: the login attempt limit (on a fake clock), one long job per user,
and logs and errors that give away neither the user's words nor server paths."""

import json
import logging
import threading

import pytest

from assistant.errors import BackendUnavailable, BadInput
from assistant.logs import redact, redact_paths
from assistant.ui import handlers as h
from assistant.ui.limits import Busy, LoginLimiter, UserJobs


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_address_waits_after_too_many_failed_logins():
    clock = Clock()
    limiter = LoginLimiter(max_failures=3, window=600, clock=clock)
    for _ in range(3):
        assert limiter.wait_seconds("10.0.0.1") == 0
        limiter.failed("10.0.0.1")
        clock.now += 10
    wait = limiter.wait_seconds("10.0.0.1")
    assert wait == pytest.approx(600 - 30)  # until the first of the three is 600 s old
    assert "Too many failed logins" in limiter.message(wait) and "10 minutes" in limiter.message(
        wait
    )
    assert limiter.wait_seconds("10.0.0.2") == 0  # other addresses are not affected
    clock.now += wait
    assert limiter.wait_seconds("10.0.0.1") == 0  # the oldest failure has been forgotten
    limiter.failed("10.0.0.1")
    assert limiter.wait_seconds("10.0.0.1") > 0  # three within the window again


def test_a_successful_login_clears_the_record():
    clock = Clock()
    limiter = LoginLimiter(max_failures=2, window=600, clock=clock)
    limiter.failed("a")
    limiter.succeeded("a")
    limiter.failed("a")
    assert limiter.wait_seconds("a") == 0


def test_one_long_job_per_user():
    jobs = UserJobs()
    first = jobs.run("ann", iter(["a1", "a2"]))
    assert next(first) == "a1" and jobs.running("ann")
    with pytest.raises(Busy, match="already have a request running"):
        next(jobs.run("ann", iter(["again"])))
    assert list(jobs.run("bob", iter(["b1"]))) == ["b1"]  # other users go on
    first.close()  # Stop (or a dropped connection) closes the generator: the slot is free
    assert not jobs.running("ann")
    assert list(jobs.run("ann", iter(["a3"]))) == ["a3"]


def test_a_waiting_job_starts_when_the_first_ends_and_gives_up_after_its_wait():
    jobs = UserJobs()
    first = jobs.run("ann", iter(["a1", "a2"]))
    assert next(first) == "a1"
    threading.Timer(0.2, first.close).start()  # the answer ends while the upload waits
    assert list(jobs.run("ann", iter(["upload"]), wait=30)) == ["upload"]
    held = jobs.run("ann", iter(["b1", "b2"]))
    next(held)
    with pytest.raises(Busy):
        next(jobs.run("ann", iter(["late"]), wait=0.05))
    held.close()


def test_a_failing_job_frees_its_slot():
    jobs = UserJobs()

    def failing():
        yield "start"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        list(jobs.run("ann", failing()))
    assert not jobs.running("ann")


def test_redact_keeps_the_rule_and_drops_quotes_and_paths():
    message = (
        "the deadline must be the mentee's own: “by June 2027”; file 'my bio.txt' at "
        "/home/ann/.local/share/mentorprep/uploads/x/bio.md, server http://127.0.0.1:8000/api/v2"
    )
    assert redact(message) == (
        "the deadline must be the mentee's own: “…”; file “…” at …/bio.md, "
        "server http://127.0.0.1:8000/api/v2"
    )
    assert redact_paths("The vector store at /srv/data/chroma failed") == (
        "The vector store at …/chroma failed"
    )


def test_errors_shown_to_users_have_no_server_paths(caplog):
    exc = BackendUnavailable(
        "The vector store at /srv/mentorprep/home/chroma failed (InternalError).",
        fix="run `mentorprep doctor`",
    )
    with caplog.at_level(logging.WARNING):
        shown = h.error_text(exc)
    assert "/srv" not in shown and "…/chroma" in shown and "mentorprep doctor" in shown
    assert "/srv" not in caplog.text


def test_the_log_names_the_problem_not_the_users_words(caplog):
    with caplog.at_level(logging.WARNING):
        h.error_text(BadInput("The message “my secret plan zq17” is too long.", fix="shorten it"))
    assert "too long" in caplog.text and "zq17" not in caplog.text


def test_a_broken_rule_is_logged_without_the_answer(caplog, fake_model):
    from assistant.services.coaching.structured import Invalid, generate

    marker = "zqx-private-words"
    fake_model.queue(json.dumps({"goal": marker}), json.dumps({"goal": "fine"}))

    def check(data):
        if data["goal"] == marker:
            raise Invalid(f"the goal must be the mentee's own: “{data['goal']}”")
        return data

    with caplog.at_level(logging.INFO, logger="assistant"):
        result = generate(fake_model, [{"role": "user", "content": "x"}], {}, check)
    assert result.value == {"goal": "fine"} and result.attempts == 2
    assert "broke a rule: the goal must be the mentee's own" in caplog.text
    assert marker not in caplog.text
    assert marker in fake_model.prompts[1].messages[-1]["content"]  # the model is still told
