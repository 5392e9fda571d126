"""The UI and the CLI save the same artifact for the same input (both call services/workflows.py):
each workflow runs once through a UI handler and once through `mentorprep`, on the fake model
with the same replies, and the saved artifacts are compared."""

import json

import pytest

from assistant.cli import common, main
from assistant.services.store import Store
from assistant.ui import handlers as h
from assistant.ui import workflow_handlers as wf
from tests.test_coaching_workflows import CARD, PASSING_EMAIL

GOAL = "Lead two cross-team projects by June 2027"
AGENDA = {"questions": ["How do you open a 1:1?", "What do you ask a quiet report?"]}


@pytest.fixture
def both(fake_model, local_kb, tmp_path, monkeypatch):
    """One store; the CLI works as user "cli", the UI as user "ui"."""
    from assistant.settings import get_settings

    store = Store(f"sqlite:///{tmp_path / 'same.db'}")
    monkeypatch.setattr(common, "services", lambda: (fake_model, local_kb, store))
    deps = h.Deps(lambda: fake_model, lambda: local_kb, lambda: store, get_settings())
    yield fake_model, store, deps
    store.close()


def run(model, replies: list[str], call) -> None:
    """Run `call` with the model answering `replies` (and "OK" after them)."""
    model.replies = list(replies)
    result = call()
    if hasattr(result, "__next__"):
        list(result)  # a UI handler yields its updates


def same_artifact(store: Store, kind: str) -> dict:
    cli, ui = store.latest_artifact("cli", kind), store.latest_artifact("ui", kind)
    assert cli is not None and ui is not None
    assert cli["data"] == ui["data"]
    assert cli["markdown"] == ui["markdown"]
    return cli


def test_goal_card_draft_and_agenda_are_the_same_from_the_ui_and_the_cli(both, capsys):
    model, store, deps = both
    card = [json.dumps(CARD)]
    run(model, card, lambda: main(["clarify", GOAL, "--user", "cli", "--json"]))
    run(model, card, lambda: wf.clarify_turn(deps, "ui", GOAL, [], None))
    assert same_artifact(store, "goal_card")["data"]["goal"]

    email = [json.dumps(PASSING_EMAIL)]
    mentor, role = "Marcus Lee", "Senior PM at Fieldnote"
    me = "I'm a data analyst at a grocery chain"
    cli_draft = ["draft", "--mentor", mentor, "--role", role, "--user", "cli", "--json"]
    run(model, email, lambda: main([*cli_draft, "--about-me", me]))
    run(
        model,
        email,
        lambda: wf.draft(deps, "ui", mentor, role, "", "", "email", "", "cold", "", me),
    )
    assert "grocery chain" in same_artifact(store, "draft")["data"]["body"]

    agenda = [json.dumps(AGENDA)]
    run(model, agenda, lambda: main(["prep", "--first", "--user", "cli", "--json"]))
    run(model, agenda, lambda: wf.prepare(deps, "ui", "", "", True, 30))
    assert same_artifact(store, "agenda")["data"]["first_meeting"] is True
    capsys.readouterr()


def test_debrief_is_the_same_from_the_ui_and_the_cli(both, capsys):
    model, store, deps = both
    line = "I guess I was ready."
    replies = [
        json.dumps({"reply": "You wanted to talk about on-call and the promotion. Go ahead."}),
        json.dumps({"reply": "What was missing, in your view?"}),
        json.dumps({"summary": "Good.", "went_well": [], "improve": []}),
    ]
    me = "I lead the billing team's on-call rota"
    cli = ["rehearse", "--scenario", "promotion", "--line", line, "--user", "cli", "--json"]
    run(model, replies, lambda: main([*cli, "--about-me", me]))

    def ui() -> None:
        _, session, _ = wf.start_rehearsal(deps, "ui", "promotion", "Alex", "", "supportive", me)
        list(wf.rehearse_turn(deps, "ui", line, [], session))
        list(wf.end_rehearsal(deps, "ui", session))

    run(model, replies, ui)
    debrief = same_artifact(store, "debrief")
    assert debrief["data"]["transcript"][-1]["content"] == "What was missing, in your view?"
    said = {
        user: [(m["role"], m["content"]) for m in store.messages(conversation["id"], user)]
        for user in ("cli", "ui")
        for conversation in store.list_conversations(user)
    }
    assert said["cli"] == said["ui"] and len(said["ui"]) == 3  # opening, line, reply
    assert "on-call" in said["ui"][0][1]  # the opening fits what the mentee said about them
    capsys.readouterr()
