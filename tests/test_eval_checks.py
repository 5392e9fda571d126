"""The evaluation's output checks: each fails on the failures the issue saw in real output, and
passes on a message a mentee would send."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assistant.evals import conversation_checks as cc
from assistant.evals import output_checks as oc
from assistant.text.dates import deadline_date, same_deadline

TODAY = date(2026, 12, 2)
ELENA = {
    "id": "t",
    "goal": "I want to grow into a senior engineer",
    "answers": [
        "Own the design of a cross-team service end to end",
        "Promotion to senior engineer at the next review",
        "Before the March promotion cycle",
    ],
    "mentor": {"name": "Elena Petrova", "role": "Staff Engineer at Orbital"},
    "bio": "Elena Petrova is a staff engineer at Orbital who led the migration of the payments "
    "platform to event sourcing. She mentors engineers through the company's promotion process.",
    "channel": "email",
    "sender_name": "Sam Okoye",
}
GOOD = """Hi Elena,

I'm Sam, a software engineer on the billing team. Your migration of the payments platform to event sourcing is the kind of cross-team design work I want to learn to lead.

My goal is to own the design of a cross-team service end to end before the March promotion cycle. Would you be open to a 30-minute call once a month for the next three months?

In return, I'd be glad to write up what I learn for your promotion-process sessions. What do you wish engineers at my stage asked you more often?

Best,
Sam Okoye"""


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("By the end of Q2 next year", date(2027, 6, 30)),
        ("Within 9 months", date(2027, 9, 2)),
        ("next summer", date(2027, 8, 31)),
        ("before the fall semester", date(2027, 9, 1)),
        ("By September", date(2027, 9, 30)),
        ("By the end of this quarter", date(2026, 12, 31)),
        ("In the next 90 days", date(2027, 3, 2)),
        ("By the end of the year", date(2026, 12, 31)),
        ("Before the March promotion cycle", date(2027, 3, 31)),
        ("by 30 June 2027", date(2027, 6, 30)),
        ("in the new year", date(2027, 1, 31)),
        ("as soon as I can", None),
        # persona run 1d60e34: a month named beats the season; quarters count as three months
        ("Before the winter schedule starts at the end of October", date(2027, 10, 31)),
        ("Within the next two quarters", date(2027, 6, 2)),
        ("by the end of 9 months", date(2027, 9, 2)),
    ],
)
def test_deadlines_in_words_become_dates(phrase, expected):
    assert deadline_date(phrase, TODAY) == expected


def test_a_replaced_relative_deadline_is_not_the_same_deadline():
    assert same_deadline("next summer", "by 31 August 2027", TODAY)
    assert not same_deadline("next summer", "by 2 March 2027 (about 90 days)", TODAY)


def test_a_deadline_answer_swapped_for_a_suggested_or_wrong_date_is_not_kept():
    undatable = {**ELENA, "answers": [*ELENA["answers"][:2], "In time for the 2027-28 season"]}
    suggested = {**CARD, "deadline": "by 2 March 2027 (about 90 days)"}
    assert not oc.check_goal_card(suggested, undatable, TODAY).checks["deadline_kept"]
    kept = {**CARD, "deadline": "In time for the 2027-28 season"}
    assert oc.check_goal_card(kept, undatable, TODAY).checks["deadline_kept"]
    october = {**ELENA, "answers": [*ELENA["answers"][:2], "Before the end of October"]}
    wrong = {**CARD, "deadline": "Before the end of October (28 February 2027)"}
    assert not oc.check_goal_card(wrong, october, TODAY).checks["deadline_kept"]
    right = {**CARD, "deadline": "Before the end of October (31 October 2027)"}
    assert oc.check_goal_card(right, october, TODAY).checks["deadline_kept"]


def test_a_draft_a_mentee_would_send_passes_every_check():
    verdict = oc.check_draft("Learning cross-team design from you", GOOD, ELENA)
    assert verdict.passed, verdict.why


@pytest.mark.parametrize(
    "change, check",
    [
        (("Hi Elena,\n\n", ""), "greets_by_name"),
        (
            (
                "Your migration of the payments platform",
                "Elena Petrova, Staff Engineer at Orbital,"
                " led the migration of the payments platform. That",
            ),
            "addresses_as_you",
        ),
        (
            (
                "I'm Sam, a software engineer",
                "I am a staff engineer at Orbital, a software engineer",
            ),
            "no_claimed_role",
        ),
        (("Best,\nSam Okoye", "Best,\n[Your Name]"), "no_placeholder"),
        (("Best,\nSam Okoye", "Best regards"), "signed_by_sender"),
        (
            ("My goal is to own", "My goal is to by the end of March 2027, I will own"),
            "sentences_parse",
        ),
        (
            (
                "Your migration of the payments platform to event sourcing is the kind of",
                "Your experience as a staff engineer is the kind of",
            ),
            "uses_bio_detail",
        ),
    ],
)
def test_each_failure_seen_in_real_drafts_fails_its_check(change, check):
    old, new = change
    assert old in GOOD
    draft = GOOD.replace(old, new).replace(" for your promotion-process sessions", "")
    verdict = oc.check_draft("Learning from you", draft, ELENA)
    assert not verdict.checks[check], verdict.checks


def test_a_bio_deed_the_mentee_shares_told_back_to_the_mentor_is_a_bio_detail():
    persona = {
        **ELENA,
        "goal": "get back into my career after a break",
        "answers": ["Return to a part-time UX research role"],
        "mentor": {"name": "Hannah Okafor", "role": "UX Research Lead at Brightline"},
        "bio": "Hannah Okafor leads UX research at Brightline and returned to work after a"
        " two-year career break herself.",
    }
    told = "Hi Hannah,\n\nI'm writing because you returned to work after a two-year career break."
    assert oc.check_draft("", told, persona).checks["uses_bio_detail"]
    role_only = "Hi Hannah,\n\nI'm writing because you lead UX research at Brightline."
    assert not oc.check_draft("", role_only, persona).checks["uses_bio_detail"]


def test_she_about_the_mentor_is_third_person_but_my_manager_is_not():
    base = "Hi Elena,\n\nI'm excited to learn from her about design."
    assert not oc.check_draft("", base, ELENA).checks["addresses_as_you"]
    fine = "Hi Elena,\n\nMy manager said she thinks you would be a great person to ask."
    assert oc.check_draft("", fine, ELENA).checks["addresses_as_you"]


CARD = {
    "goal": "Own the design of a cross-team service end to end before the March promotion cycle",
    "why": "It is the scope the senior level asks for.",
    "measures": ["Promotion to senior engineer at the next review"],
    "deadline": "Before the March promotion cycle",
    "first_steps": [
        "Ask my manager which cross-team service needs an owner",
        "Write a one-page design proposal and share it with Elena",
    ],
    "ask_mentor": ["Feedback on my design proposal"],
}


def test_a_faithful_goal_card_passes():
    verdict = oc.check_goal_card(CARD, ELENA, TODAY)
    assert verdict.passed, verdict.why


def test_goal_card_failures():
    moved = {**CARD, "deadline": "by 2 March 2028"}
    assert not oc.check_goal_card(moved, ELENA, TODAY).checks["deadline_kept"]
    echo = {**CARD, "first_steps": ["Promotion to senior engineer at the next review"]}
    assert not oc.check_goal_card(echo, ELENA, TODAY).checks["first_steps_own"]
    counted = {**CARD, "measures": ["Complete two case studies and apply to five roles"]}
    counted["first_steps"] = ["Start by reviewing my case studies and applying to five roles"]
    assert not oc.check_goal_card(counted, ELENA, TODAY).checks["first_steps_own"]
    advice = {**CARD, "first_steps": ["Don't stack five goals into one ask"]}
    assert not oc.check_goal_card(advice, ELENA, TODAY).checks["first_steps_own"]
    told = {**CARD, "first_steps": ["Tell your manager you want the next cross-team service"]}
    assert not oc.check_goal_card(told, ELENA, TODAY).checks["mentee_voice"]
    # the question the mentee will ask someone says "you" to that person: still their voice
    asks = {**CARD, "first_steps": ["Ask my manager: “Which service would you trust me with?”"]}
    assert oc.check_goal_card(asks, ELENA, TODAY).checks["mentee_voice"]
    loaded = {**CARD, "goal": "Become a better senior engineer"}
    persona = {**ELENA, "goal": "I want to be a better engineer"}
    assert not oc.check_goal_card(loaded, persona, TODAY).checks["loaded_words_gone"]
    lost = {**CARD, "measures": ["Get promoted"]}
    persona = {
        **ELENA,
        "answers": [ELENA["answers"][0], "Average 1:1 usefulness of 4/5", "By June"],
    }
    assert not oc.check_goal_card(lost, persona, TODAY).checks["measure_kept"]


AGENDA = {
    "first_meeting": True,
    "updates": ["A short introduction: my role and why I asked you"],
    "topics": ["My goal of owning a cross-team design"],
    "questions": [
        "What made your event-sourcing migration succeed?",
        "How should I choose a service to propose?",
    ],
    "commitments": ["Send a recap within 24 hours"],
}


def test_agenda_checks():
    assert oc.check_agenda(AGENDA, ELENA).passed
    invented = {**AGENDA, "updates": ["Progress on my design proposal since last time"]}
    assert not oc.check_agenda(invented, ELENA).checks["no_invented_progress"]
    same = {**AGENDA, "questions": ["My goal of owning a cross-team design?", "How?"]}
    assert not oc.check_agenda(same, ELENA).checks["questions_distinct"]
    blank = {**AGENDA, "questions": ["How would you handle X?", "What next?"]}
    assert not oc.check_agenda(blank, ELENA).checks["no_template_blanks"]


@pytest.mark.parametrize(
    "reply, check",
    [
        ("I'm here to help. What can I do to assist you further?", "no_helpdesk"),
        ("I'm sorry, but I can't assist with that.", "no_refusal"),
        ("Thank you for considering me. I'd love to learn from you.", "no_role_reversal"),
        ("Sure:\n```python\nprint('hi')\n```", "plain_speech"),
        ("Here is the plan:\n- one\n- two", "plain_speech"),
    ],
)
def test_reply_failures(reply, check):
    assert not cc.check_reply(reply, ["Would you be open to 30 minutes a month?"]).checks[check]


def test_a_reply_in_character_passes():
    verdict = cc.check_reply(
        "Maybe. What would you want from those 30 minutes, specifically?",
        ["Would you be open to 30 minutes a month?"],
    )
    assert verdict.passed, verdict.why


def test_temperaments():
    assert not cc.check_temperament(["That's a great idea! Count me in."], "skeptical").passed
    assert cc.check_temperament(
        ["Hmm, why me? What exactly do you need?", "Okay, that's fair, let's try it."], "skeptical"
    ).passed
    busy = ["Sure, go on.", "Fine, but I've only got a minute."]
    assert cc.check_temperament(busy, "busy").passed
    assert not cc.check_temperament(["Sure, go on.", "Okay."], "busy").passed


def test_debrief_checks_count_what_is_shown():
    debrief = {
        "summary": "The mentor's response was positive.",
        "went_well": [{"quote": "a", "why": "Kept it short.", "source": "model"}],
        "improve": [{"quote": "b", "why": "Kept it short.", "source": "model", "note": "x"}],
    }
    verdict = cc.check_debrief(debrief, "You had 2 strong moment(s) and 1 to work on.")
    assert verdict.checks == {
        "points_cite_notes": False,
        "counts_match_points": False,
        "summary_about_mentee": False,
        "reasons_differ": False,
    }


def test_debrief_set_counts_caught_and_wrongly_criticised(fake_model, local_kb, monkeypatch):
    from assistant.settings import get_settings

    monkeypatch.setenv("MENTORPREP_DEBRIEF_REWRITES", "true")  # the model's line is counted
    get_settings.cache_clear()
    from assistant.evals import debrief_set

    case = {
        "id": "c",
        "scenario": "critical_feedback",
        "temperament": "supportive",
        "counterpart": "Sam",
        "turns": [
            {"counterpart": "I have some feedback on your talk. Is now okay?"},
            {
                "mentee": [
                    "Sure, go ahead.",
                    {"text": "That's not my fault, nobody told me.", "mistake": "defending"},
                ]
            },
        ],
        "missing": ["no_thanks"],
    }
    fake_model.queue(json.dumps({"line_1": "Thanks. Can you show me where it went wrong?"}))
    result = debrief_set.run_case(case, fake_model, local_kb)
    caught = {s["text"]: s["caught_shown"] for s in result["sentences"]}
    assert caught == {"Sure, go ahead.": False, "That's not my fault, nobody told me.": True}
    assert result["omissions"] == {"no_thanks": True}
    summary = debrief_set.summarise([{**result, "set": "tuning"}])["tuning"]
    assert summary["clean_criticised_shown"]["hit"] == 0
    assert summary["planted_caught_shown"] == {"hit": 1, "of": 1, "rate": 1.0}
    assert summary["rewrites_by_model"] == {"hit": 1, "of": 1}


def test_judging_questions_and_packets_hold_no_verdicts(tmp_path):
    from assistant.evals import judging

    asked = judging.questions()
    assert set(asked) == {"draft", "goal_card", "rehearsal", "debrief", "agenda"}
    assert all(len(qs) >= 3 for qs in asked.values())
    result = {
        "id": "t",
        "set": "tuning",
        "goal_card": {"markdown": "## Goal card", "checks": {"x": False}, "origin": "fallback"},
        "draft": {"subject": "Hi", "body": GOOD, "checks": {"rubric": False}},
        "rehearsal": {
            "scenario": "promotion",
            "temperament": "skeptical",
            "opening": "Hello.",
            "replies": [{"mentee": "Hi.", "reply": "Why?", "origin": "clean"}],
        },
        "debrief": {"markdown": "## Debrief"},
        "agenda": {"markdown": "## Agenda", "origin": "model"},
    }
    persona = {**ELENA, "situation": "I'm a backend engineer of four years at Orbital"}
    n = judging.write_packets({"results": [result]}, {"t": persona}, tmp_path)
    assert n == 5
    text = " ".join(p.read_text() for p in tmp_path.glob("p*.md"))
    # every input the mentee typed is shown: the first round of judges called the "About you"
    # line of drafts and agendas invented, because the packets left it out
    assert text.count("I'm a backend engineer of four years at Orbital") == 5
    for secret in ("fallback", "origin", "rubric", "checks"):
        assert secret not in text
    key = json.loads((tmp_path / "key.json").read_text())
    verdicts = {p: {"q": {"answer": "yes", "reason": "."}} for p in key}
    (tmp_path / "verdicts-a.json").write_text(json.dumps(verdicts))
    (tmp_path / "verdicts-b.json").write_text(json.dumps(verdicts))
    run = judging.merge_verdicts({"results": [result]}, tmp_path)
    assert run["judging"]["agreement"]["rate"] == 1.0
    assert set(result["judges"]) == {"draft", "goal_card", "rehearsal", "debrief", "agenda"}


def test_a_counterpart_that_wants_what_the_mentee_wants_is_a_role_reversal():
    mentee = ["I'm a management accountant and I'm learning Power BI and SQL."]
    assert not cc.check_reply("I'd like to learn Power BI and SQL.", mentee).checks[
        "no_role_reversal"
    ]
    assert cc.check_reply("I'd like to see your Power BI dashboards.", mentee).checks[
        "no_role_reversal"
    ]


def test_recheck_applies_todays_checks_to_a_recorded_run():
    """The 1d60e34 run's physio card swapped 'In time for the 2027-28 season' for a suggested
    date; the run's own checks could not see it (no parser dates the answer), today's can."""
    from pathlib import Path

    from assistant.evals.recheck import recheck

    path = Path(__file__).parent.parent / "eval/workflows/runs/2026-12-04-1d60e34.json"
    run = json.loads(path.read_text(encoding="utf-8"))
    again = recheck(run, {"commit": "abc", "uncommitted_changes": False})
    physio = next(r for r in again["results"] if r["id"] == "physio-into-rugby")
    assert (
        "has_deadline"
        in next(r for r in run["results"] if r["id"] == "physio-into-rugby")["goal_card"]["checks"]
    )
    assert physio["goal_card"]["checks"]["deadline_kept"] is False
    assert again["meta"]["outputs_commit"] == run["meta"]["commit"]
    assert again["meta"]["checks_commit"] == "abc"
    assert again["summary"]["heldout_2"]["personas"] == 6


def test_the_judges_majority_counts_an_output_good_when_most_said_so():
    from assistant.evals import judging

    verdicts = {
        "a": {"send": {"answer": "light_edits"}, "accurate": {"answer": "yes"}},
        "b": {"send": {"answer": "not_at_all"}, "accurate": {"answer": "no"}},
        "c": {"send": {"answer": "as_is"}, "accurate": {"answer": "no"}},
    }
    table = judging.majority([{"set": "heldout", "judges": {"draft": verdicts}}])
    assert table["heldout"]["draft"]["send"] == {"positive": 1, "of": 1}
    assert table["heldout"]["draft"]["accurate"] == {"positive": 0, "of": 1}


def test_everyday_words_shared_with_the_guidance_are_no_borrowed_example():
    from dataclasses import dataclass

    from assistant.services.coaching.structured import borrowed_phrase

    @dataclass
    class Note:
        text: str

    notes = [Note("Write it down to make sure your senior analyst role is named by March.")]
    assert borrowed_phrase("I will check in weekly to make sure it sticks", notes, "") is None
    assert borrowed_phrase("Land a senior analyst role", notes, "land") == "senior analyst role"
