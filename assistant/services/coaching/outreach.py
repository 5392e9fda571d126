"""Outreach: a request to a prospective mentor. The code owns the structure and the facts (the
greeting, the mentee's name and situation, why this mentor from what their bio says they did,
the ask, an offer, the sign-off, the channel's length); the model writes the short pieces it
writes well (the goal in the first person, an open question about what the mentor did, an
email's subject), each checked alone and asked for again alone when it fails. The rubric then
checks the whole message, and re-checks the user's own edits."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from assistant import prompts
from assistant.components.llm import Model
from assistant.errors import BadInput
from assistant.services.coaching.choices import DEFAULT_ASK, RELATIONSHIPS
from assistant.services.coaching.mentor_bio import bio_terms
from assistant.services.coaching.outreach_compose import best_deed, compose, fallback_pieces
from assistant.services.coaching.outreach_pieces import (
    MAX_WORDS,
    EmailPieces,
    Pieces,
    bio_detail_words,
)
from assistant.services.coaching.outreach_rubric import (
    CHANNELS,
    RubricReport,
    check_outreach,
)
from assistant.services.coaching.spec import generate
from assistant.services.output_guard import urls_in
from assistant.services.retrieval import Passage


@dataclass
class OutreachRequest:
    mentor_name: str
    goal: str
    channel: str = "email"
    mentor_role: str = ""
    bio: str = ""  # pasted by the user: data, never instructions
    ask: str = DEFAULT_ASK
    relationship: str = "cold"
    sender_name: str = ""
    about_me: str = ""  # one line in the mentee's words: who they are

    def validate(self) -> None:
        if self.channel not in CHANNELS:
            raise BadInput(f"Unknown channel {self.channel!r}.", fix=f"use one of {list(CHANNELS)}")
        if self.relationship not in RELATIONSHIPS:
            raise BadInput(
                f"Unknown relationship {self.relationship!r}.",
                fix=f"use one of {list(RELATIONSHIPS)}",
            )
        if not self.mentor_name.strip():
            raise BadInput("The mentor's name is missing.", fix="give the person's name")
        if not self.goal.strip():
            raise BadInput("Your goal is missing.", fix="say what you want help with")


COMPOSED = ["why_you", "offer"]  # MentorPrep writes these itself: see outreach_pieces.py


@dataclass
class Draft:
    channel: str
    subject: str
    body: str
    report: RubricReport
    attempts: int
    revisions: list[str] = field(default_factory=list)  # the checks' feedback to the model
    pieces: dict[str, str] = field(default_factory=dict)  # what the model wrote, by piece
    from_code: list[str] = field(default_factory=list)  # pieces MentorPrep wrote itself
    origin: str = "model"  # spec.Outcome.origin; "edited" for the user's own edit
    composed: list[str] = field(default_factory=lambda: list(COMPOSED))  # its own by design

    def to_dict(self) -> dict:
        return {
            "channel": self.channel,
            "subject": self.subject,
            "body": self.body,
            "rubric": self.report.to_dict(),
            "attempts": self.attempts,
            "revisions": self.revisions,
            "pieces": self.pieces,
            "from_code": self.from_code,
            "composed": self.composed,
            "origin": self.origin,
        }

    def to_markdown(self) -> str:
        lines = [f"## Outreach draft ({CHANNELS[self.channel].label})"]
        if self.subject:
            lines.append(f"**Subject:** {self.subject}")
        lines += ["", self.body, "", "**Rubric:**"]
        for item in self.report.items:
            mark = "✅" if item.passed else "❌"
            extra = f" — {item.suggestion}" if not item.passed else ""
            lines.append(f"- {mark} {item.id}: {item.evidence}{extra}")
        return "\n".join(lines)


def length_rule(channel: str) -> str:
    rule = CHANNELS[channel]
    if rule.max_chars:
        return f"at most {rule.max_chars} characters including spaces"
    subject = "; include a subject line under 80 characters" if rule.needs_subject else ""
    return f"{rule.min_words}–{rule.max_words} words{subject}"


def check_draft(subject: str, body: str, request: OutreachRequest) -> RubricReport:
    """The rubric, for a draft MentorPrep wrote or one the user edited."""
    return check_outreach(
        body,
        request.channel,
        subject=subject or None,
        mentor_name=request.mentor_name,
        mentor_terms=bio_terms(" ".join([request.mentor_role, request.bio])),
        mentor_details=bio_detail_words(request),
    )


def _as_data(request: OutreachRequest, screened_bio: str) -> OutreachRequest:
    """The request the code composes from: the bio screened, and every typed or pasted field
    without text that addresses the model, so that a draft the code writes from the goal or the
    bio cannot carry what the model was kept from (the prompt shows the same fields fenced,
    with a marker where text was removed)."""
    strip = prompts.strip_instructions
    return replace(
        request,
        bio=strip(screened_bio),
        goal=strip(request.goal) or request.goal,
        about_me=strip(request.about_me),
        mentor_role=strip(request.mentor_role),
    )


def _screened(bio: str, model: Model) -> str:
    """The bio without sentences that ask its reader to act (screen.py), if the setting is on."""
    from assistant.services.screen import screen
    from assistant.settings import get_settings

    return screen(bio, model) if bio.strip() and get_settings().screen_pasted_text else bio


def draft_outreach(
    request: OutreachRequest,
    model: Model,
    knowledge_base,
    *,
    user_id: str | None = None,
) -> tuple[Draft, list[Passage]]:
    """Write the pieces, compose the message, check it against the rubric."""
    request.validate()
    screened_bio = _screened(request.bio, model)
    typed, request = request, _as_data(request, screened_bio)
    passages = knowledge_base.search(
        f"{CHANNELS[request.channel].label} request to a prospective mentor",
        k=2,
        workflow="outreach",
        user_id=user_id,
    )
    needs_subject = CHANNELS[request.channel].needs_subject
    max_words = MAX_WORDS.get(request.channel, 30)
    deed = best_deed(request, max_words - 6)  # the bio's deed closest to the goal, to "you"
    messages = prompts.chat(
        "outreach",
        mentor_name=prompts.fence(request.mentor_name),
        mentor_role=prompts.fence(typed.mentor_role),
        bio=prompts.fence(screened_bio),
        goal=prompts.fence(typed.goal),
        about_me=prompts.fence(typed.about_me),
        deed=prompts.fence(deed),
        relationship=RELATIONSHIPS[request.relationship],
        channel_label=CHANNELS[request.channel].label,
        ask=prompts.fence(request.ask),
        max_words=max_words,
        needs_subject=needs_subject,
    )
    own = "\n".join([request.goal, request.about_me, request.ask, request.sender_name])
    context = {
        "max_words": max_words,
        "name_parts": [p for p in request.mentor_name.split() if len(p) > 2],
        "own": own + "\n" + request.bio + "\n" + request.mentor_role,
        "role": request.mentor_role,
        "mentee": "\n".join([request.goal, request.about_me]),
        "detail": bio_detail_words(request),
        "deed": deed,
        "goal": request.goal,
        "bio": request.bio,
        "passages": passages,
        "mentor": request.mentor_name,
        "terms": bio_terms(" ".join([request.mentor_role, request.bio])),
    }
    outcome = generate(
        model,
        messages,
        EmailPieces if needs_subject else Pieces,
        context=context,
        fallback=lambda good, failed, last: fallback_pieces(request, failed),
        max_tokens=320,
        allowed_urls=urls_in(request.goal, request.ask, request.sender_name, request.about_me),
        explore=True,  # a retry samples past the failed sentence (see spec.generate)
    )
    pieces = outcome.value.model_dump()
    body = compose(request, {**fallback_pieces(request, COMPOSED), **pieces})
    limit = CHANNELS[request.channel].max_chars
    own_short = fallback_pieces(request, COMPOSED, short=True)
    if limit and len(body) > limit:  # too long: first the code's own pieces, shorter
        body = compose(request, {**own_short, **pieces})
    if limit and len(body) > limit:  # still too long: the model's pieces shorter, once
        context["max_words"] = 8
        messages = [
            *messages,
            {
                "role": "user",
                "content": f"Shorter: each piece at most 8 "
                f"words; the whole message must fit {limit} characters.",
            },
        ]
        outcome = generate(
            model,
            messages,
            EmailPieces if needs_subject else Pieces,
            context=context,
            max_tokens=200,
            fallback=lambda good, failed, last: fallback_pieces(request, failed),
            explore=True,
        )
        pieces = outcome.value.model_dump()
        body = compose(request, {**own_short, **pieces})
        if len(body) > limit:
            short = fallback_pieces(request, ["why_you", "goal", "offer", "question"], short=True)
            body = compose(request, {**pieces, **short})
            outcome.from_code = [k for k in short if k not in COMPOSED]
    subject = pieces.get("subject", "")
    report = check_draft(subject, body, request)
    draft = Draft(
        request.channel,
        subject,
        body,
        report,
        outcome.attempts,
        outcome.problems,
        {k: v for k, v in pieces.items() if k not in outcome.from_code},
        outcome.from_code,
        outcome.origin,
    )
    return draft, passages
