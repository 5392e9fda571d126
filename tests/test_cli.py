"""The deterministic CLI commands, and the workflow commands with the fake model."""

import json

import pytest

from assistant.cli import main
from tests.test_coaching_workflows import CARD, PASSING_EMAIL, PASSING_EMAIL_TEXT


def test_check_goal_json(capsys):
    assert main(["check-goal", "I want to be a better manager", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"concrete", "vague_terms", "has_measure", "has_deadline", "questions"}
    assert data["concrete"] is False and "better" in data["vague_terms"]
    assert 1 <= len(data["questions"]) <= 3


def test_check_outreach_json_and_exit_code(tmp_path, capsys):
    draft = tmp_path / "draft.txt"
    draft.write_text(PASSING_EMAIL_TEXT)
    bio = tmp_path / "bio.txt"
    bio.write_text("Marcus Lee moved from customer success into product at Fieldnote.")
    assert (
        main(
            [
                "check-outreach",
                str(draft),
                "--channel",
                "email",
                "--context-file",
                str(bio),
                "--json",
            ]
        )
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is True
    assert [i["id"] for i in report["items"]] == [
        "specific_goal",
        "bounded_ask",
        "personalized",
        "reciprocity",
        "question",
        "length",
    ]
    draft.write_text("Will you be my mentor?")
    assert main(["check-outreach", str(draft), "--channel", "linkedin_note", "--json"]) == 1


@pytest.fixture
def fake_services(monkeypatch, fake_model, local_kb, tmp_path):
    from assistant.cli import common
    from assistant.services.store import Store

    store = Store(f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setattr(common, "services", lambda: (fake_model, local_kb, store))
    monkeypatch.setattr("assistant.services.store.get_store", lambda *a: store)
    return fake_model, store


def test_clarify_draft_prep_export(fake_services, capsys, tmp_path, monkeypatch):
    model, store = fake_services
    assert main(["clarify", "be a better manager", "--json"]) == 0  # not a TTY: the questions
    assert json.loads(capsys.readouterr().out)["ready"] is False
    model.queue(json.dumps(CARD))
    args = [
        "clarify",
        "be a better manager",
        "--answer",
        "Running 1:1s my five reports rate as useful",
        "--answer",
        "4/5 survey score by June 2027",
        "--json",
    ]
    assert main(args) == 0
    card = json.loads(capsys.readouterr().out)["goal_card"]
    assert card["deadline"] == "by June 2027" and card["goal"] == CARD["goal"]
    model.queue(json.dumps(PASSING_EMAIL))
    assert (
        main(["draft", "--mentor", "Marcus Lee", "--role", "Senior PM at Fieldnote", "--json"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["rubric"]["passed"] is True
    agenda = {"questions": ["How do you open a 1:1?", "What do you ask a quiet report?"]}
    model.queue(json.dumps(agenda))
    assert main(["prep", "--first", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["first_meeting"] is True
    out = tmp_path / "pack.md"
    assert main(["export", "-o", str(out)]) == 0
    pack = out.read_text()
    assert "Goal card" in pack and "Outreach draft" in pack and "agenda" in pack


def test_rehearse_non_interactive(fake_services, capsys):
    model, _ = fake_services
    model.queue(
        json.dumps({"reply": "What was missing, in your view?"}),
        json.dumps({"summary": "Good.", "went_well": [], "improve": []}),
    )
    assert (
        main(["rehearse", "--scenario", "promotion", "--line", "I guess I was ready.", "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["rehearsal"]["transcript"][-1]["content"] == "What was missing, in your view?"
    assert any(p["quote"] == "I guess I was ready." for p in data["debrief"]["improve"])


def test_draft_without_a_goal_says_what_to_do(fake_services, capsys):
    assert main(["draft", "--mentor", "Marcus"]) == 2
    assert "mentorprep clarify" in capsys.readouterr().err
