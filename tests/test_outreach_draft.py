"""Outreach: the code composes the message (greeting, who I am, the ask, the sign-off) around the
model's four checked pieces; a piece that fails is asked again alone."""

from __future__ import annotations

import json

import pytest

from assistant.services.coaching.outreach import OutreachRequest, check_draft, draft_outreach

PIECES = {
    "why_you": "Your move from customer success into product at Fieldnote is the path I hope to follow.",
    "goal": "I want to move into an associate product manager role within nine months.",
    "offer": "I'll come with specific questions and share what I learn from our customer calls.",
    "question": "What do you wish you had known when you moved into product?",
}


def request(**overrides) -> OutreachRequest:
    values = dict(
        mentor_name="Marcus Lee",
        mentor_role="Senior Product Manager at Fieldnote",
        bio="Marcus moved from customer success into product at Fieldnote. He speaks at ProductCamp.",
        goal="Move into an associate product manager role within nine months",
        sender_name="Dana Reyes",
        about_me="I lead customer support at a SaaS company",
    )
    values.update(overrides)
    return OutreachRequest(**values)


def draft(fake_model, local_kb, *answers, **overrides):
    fake_model.queue(*[json.dumps(a) for a in answers])
    return draft_outreach(request(**overrides), fake_model, local_kb)[0]


def test_an_email_is_composed_around_the_pieces_and_passes_the_rubric(fake_model, local_kb):
    result = draft(fake_model, local_kb, {**PIECES, "subject": "Learning from your path"})
    body = result.body
    assert body.startswith("Hi Marcus,\n\nI'm Dana. I lead customer support at a SaaS company.")
    assert "Would you be open to 30 minutes once a month?" in body
    assert body.endswith("Best,\nDana Reyes")
    assert result.subject == "Learning from your path"
    assert result.report.passed, result.to_markdown()
    assert result.origin == "model" and result.from_code == []


@pytest.mark.parametrize("channel", ["linkedin_note", "linkedin_message", "in_person"])
def test_every_channel_fits_its_length(fake_model, local_kb, channel):
    short = {
        "why_you": "Your move from customer success into product at Fieldnote inspires me.",
        "goal": "I want to move into associate product management this year.",
        "offer": "I'll keep it short and come prepared.",
        "question": "What helped you most in that move?",
    }
    result = draft(fake_model, local_kb, short, channel=channel)
    assert result.report.passed, result.to_markdown()
    if channel == "linkedin_note":
        assert len(result.body) <= 300 and result.body.endswith("– Dana")


@pytest.mark.parametrize(
    "piece, bad, feedback",
    [
        ("why_you", "Marcus Lee led the move into product at Fieldnote.", "as 'you'"),
        ("why_you", "Your role as a senior product manager is impressive to me.", "specific"),
        ("goal", "I am a senior product manager at Fieldnote and want to grow.", "title"),
        ("offer", "Could you mentor me?", "start with"),
        ("question", "Would you mentor me for 30 minutes?", "MentorPrep makes the ask"),
        (
            "why_you",
            "Dear [Mentor Name], your work at Fieldnote on customer success inspires me.",
            "placeholders",
        ),
    ],
)
def test_a_failed_piece_is_asked_again_alone(fake_model, local_kb, piece, bad, feedback):
    result = draft(
        fake_model, local_kb, {**PIECES, piece: bad, "subject": "Hello"}, {piece: PIECES[piece]}
    )
    retry = fake_model.prompts[1]
    assert set(retry.schema["properties"]) == {piece}
    assert feedback in retry.messages[-1]["content"]
    assert PIECES[piece] in result.body and result.origin == "model-retry"


def test_a_piece_copied_from_the_worked_example_is_refused(fake_model, local_kb):
    copied = "I'll bring notes from my own hive checks and keep to the time we agree."
    draft(
        fake_model,
        local_kb,
        {**PIECES, "offer": copied, "subject": "Hi"},
        {"offer": PIECES["offer"]},
    )
    assert "worked example" in fake_model.prompts[1].messages[-1]["content"]


def test_pieces_the_model_never_gets_right_are_plain_and_counted(fake_model, local_kb):
    result = draft(fake_model, local_kb, *["nonsense"] * 3)
    assert result.origin == "fallback"
    assert set(result.from_code) == {"why_you", "goal", "offer", "question", "subject"}
    assert "[" not in result.body and "Best,\nDana Reyes" in result.body
    assert result.report.passed, result.to_markdown()


def test_a_users_edit_is_checked_by_the_rubric(fake_model, local_kb):
    report = check_draft("", "Hi Marcus, can we chat sometime?", request(channel="linkedin_note"))
    failed = {item.id for item in report.failed()}
    assert {"bounded_ask", "reciprocity"} <= failed


def test_the_plain_why_you_names_work_not_a_title_or_a_modifier():
    """Judged garbled in the final persona run: 'because of your work on staff engineer',
    '… on director of development', '… on Michelin-starred'."""
    from assistant.services.coaching.outreach_compose import fallback_pieces

    def why(bio: str, role: str = "") -> str:
        request = OutreachRequest(
            mentor_name="Lucía Fernández", goal="x", bio=bio, mentor_role=role
        )
        return fallback_pieces(request, ["why_you"])["why_you"]

    assert why("Lucía Fernández is director of development at Riverside Hospice.") == (
        "I'm writing to you because of your work on Riverside Hospice."
    )
    assert why("Lucía ran a Michelin-starred kitchen before opening Brasa.") == (
        "I'm writing to you because you ran a Michelin-starred kitchen before opening Brasa."
    )
    assert why("She is BAFTA-nominated.") == (  # nothing to name, no role: no "as your work"
        "I'm writing to you because your experience is close to what I want to learn."
    )
    assert why("She leads the night shift at the depot.").endswith(
        "you lead the night shift at the depot."
    )
    assert why("She is a staff engineer.", "Staff Engineer") == (
        "I'm writing to you because of your experience as Staff Engineer."
    )


def test_a_piece_that_refills_the_worked_examples_frame_is_sent_back():
    from assistant.services.coaching.outreach_pieces import copies_example_wording

    assert copies_example_wording(
        "Giving 12-minute talks is the change I am trying to make with my own lab."
    )
    assert copies_example_wording("I'll bring notes from my own lab checks to every call.")
    assert not copies_example_wording("What do you wish you had known when you moved into product?")
    assert not copies_example_wording("Your talk on returning after a career break stayed with me.")
