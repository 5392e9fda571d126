"""Outreach: a request to a prospective mentor. The code owns the structure and the facts (the
greeting, the mentee's name and situation, the ask, the sign-off, the channel's length); the
model writes four short pieces (why this mentor, the goal, an offer, an open question), each
checked alone and asked for again alone when it fails. The rubric then checks the whole
message, and re-checks the user's own edits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from assistant import prompts
from assistant.components.llm import Model
from assistant.errors import BadInput
from assistant.services.coaching.mentor_bio import bio_terms, names_work
from assistant.services.coaching.outreach_rubric import (
    CHANNELS,
    RubricReport,
    check_outreach,
    has_open_question,
    has_reciprocity,
    has_specific_goal,
    is_personal,
)
from assistant.services.coaching.spec import facts, generate, piece
from assistant.services.coaching.structured import borrowed_phrase
from assistant.services.output_guard import urls_in
from assistant.services.retrieval import Passage
from assistant.text.words import content_words, sentences, words

RELATIONSHIPS = {
    "cold": "a cold contact: they do not know the mentee",
    "warm": "a warm introduction: someone they know introduced the mentee",
    "colleague": "a colleague in the same organisation",
}
DEFAULT_ASK = "30 minutes once a month"
EXAMPLE_TEXT = prompts.render("outreach_example")
# the worked example's own subject: a piece that brings them in took the example for the mentee
EXAMPLE_WORDS = content_words(
    "hive hives beekeeper beekeeping colony colonies apiary apiaries Ruth Adeyemi"
    " Hillside honey bees"
)
_EXAMPLE_RUNS = 5  # this many words in a row from the worked example: its wording, copied
_COMMON_STEMS = "What do you wish you had known"  # anyone's question; not the example's own


def _runs(text: str) -> set[tuple[str, ...]]:
    w = [x.lower() for x in words(text)]
    return {tuple(w[i : i + _EXAMPLE_RUNS]) for i in range(len(w) - _EXAMPLE_RUNS + 1)}


def copies_example_wording(value: str) -> bool:
    """Whether a piece reuses five words in a row of the worked example ("… is the clearest
    thing I have read on …", "I'll bring notes from my own … checks"): its frame, refilled."""
    return bool(_runs(value) & (_runs(EXAMPLE_TEXT) - _runs(_COMMON_STEMS)))


# words per piece: a LinkedIn note has 300 characters for everything
MAX_WORDS = {"linkedin_note": 12, "in_person": 24}


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
    )


# --- the pieces the model writes -------------------------------------------------------------

_THIRD = re.compile(r"\b(?:she|he|her|him|his|hers|herself|himself)\b", re.I)
_GENERIC = {"lead", "team", "work", "year", "people", "help", "group", "know", "senior",
            "director", "head", "now", "compan"}  # fmt: skip


def bio_detail_words(request: OutreachRequest) -> set[str]:
    """Stems of the bio beyond the mentor's name and role and the mentee's own goal: what makes
    'why you' specific ('newsletter', 'event', 'sourcing', 'returners')."""
    return (
        content_words(request.bio)
        - content_words(f"{request.mentor_name} {request.mentor_role}")
        - content_words(request.goal)
        - _GENERIC
    )


def _common(value: str, info: ValidationInfo, starts: str | None = None) -> str:
    """Checks every piece shares: one sentence, short, to the mentor as 'you', nothing taken
    from the worked example or claimed from the mentor's title."""
    f = facts(info)
    value = " ".join(str(value).split()).strip()
    if len(sentences(value)) != 1 or not value:
        raise ValueError("write exactly one sentence")
    if len(words(value)) > f["max_words"]:
        raise ValueError(f"at most {f['max_words']} words")
    if _THIRD.search(value) or any(n.lower() in value.lower() for n in f["name_parts"]):
        raise ValueError("speak to the mentor as 'you', never by name or as 'she'/'he'")
    if content_words(value) & EXAMPLE_WORDS - content_words(f["own"]):
        raise ValueError("that is from the worked example, not about this mentee and mentor")
    if copies_example_wording(value):
        raise ValueError("that copies the worked example's wording; say it in your own words")
    if re.search(r"\[[^\]\d]+\]", value):
        raise ValueError("no placeholders in brackets")
    if starts and not re.match(starts, value, re.I):
        raise ValueError(f"start with {starts.strip('()').split('|')[0]!r}")
    claim = re.search(r"\b(?:i am|i'm|as an?)\b(.{0,50})", value, re.I)
    role = content_words(f["role"]) - content_words(f["mentee"])
    if claim and role and len(content_words(claim.group(1)) & role) >= min(2, len(role)):
        raise ValueError("that is the mentor's title, not the mentee's")
    return value


class Pieces(BaseModel):
    why_you: str = Field(max_length=260)
    goal: str = Field(max_length=260)
    offer: str = Field(max_length=220)
    question: str = Field(max_length=220)

    @field_validator("why_you")
    @piece
    def _why(cls, value: str, info: ValidationInfo) -> str:
        value = _common(value, info)
        if not re.search(r"\b(?:you|your)\b", value, re.I):
            raise ValueError("speak to the mentor as 'you'/'your'")
        f = facts(info)
        if not content_words(value) & f["detail"] or not is_personal(
            value, f["mentor"], f["terms"]
        ):
            raise ValueError("name something specific from their details, not only their title")
        return value

    @field_validator("goal")
    @piece
    def _goal(cls, value: str, info: ValidationInfo) -> str:
        value = _common(value, info, r"(?:i|my)\b")
        if len(content_words(value) & content_words(facts(info)["goal"])) < 2:
            raise ValueError("state the mentee's own goal, in their words")
        if not has_specific_goal(value):
            raise ValueError("say it as 'I want to …' or 'My goal is to …' and what exactly")
        if phrase := borrowed_phrase(value, facts(info)["passages"], facts(info)["own"]):
            raise ValueError(f"“{phrase}” is not the mentee's goal")
        return value

    @field_validator("offer")
    @piece
    def _offer(cls, value: str, info: ValidationInfo) -> str:
        value = _common(value, info, r"(?:i|i'll|i'd|i will|i would|i can|happy)\b")
        if value.endswith("?") or not has_reciprocity(value):
            raise ValueError("offer something back or promise to respect their time")
        return value

    @field_validator("question")
    @piece
    def _question(cls, value: str, info: ValidationInfo) -> str:
        value = _common(value, info)
        if not value.endswith("?") or not has_open_question(value):
            raise ValueError("one open question about their experience, ending with '?'")
        if re.search(r"\bmentor me\b|\bbe my mentor\b|\bminutes\b", value, re.I):
            raise ValueError("MentorPrep makes the ask; ask about their experience instead")
        return value


class EmailPieces(Pieces):
    subject: str = Field(max_length=80)

    @field_validator("subject")
    @piece
    def _subject(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(str(value).split()).strip(" .")
        if not value or len(value) > 70 or re.search(r"\[[^\]]*\]", value):
            raise ValueError("a subject of at most 70 characters, no placeholders")
        return value


# nouns that read well without "the" ("your work on UX research"); a lowercase singular noun
# otherwise takes it ("your work on the night shift")
_NO_ARTICLE = frozenset(
    [
        "research",
        "design",
        "engineering",
        "marketing",
        "data",
        "training",
        "software",
        "security",
        "analytics",
        "operations",
        "education",
        "policy",
        "health",
        "care",
        "finance",
        "fundraising",
        "leadership",
        "management",
    ]
)


def _with_article(term: str) -> str:
    last = term.split()[-1]
    if last.islower() and not last.endswith("s") and last not in _NO_ARTICLE:
        return f"the {term}"
    return term


def _plain_why(focus: str, is_work: bool) -> str:
    if is_work:
        return f"I'm writing to you because of your work on {focus}."
    if focus:  # the mentor's role
        return f"I'm writing to you because of your experience as {focus}."
    return "I'm writing to you because your experience is close to what I want to learn."


def _fallback(request: OutreachRequest, failed: list[str], short: bool = False) -> dict:
    """Plain pieces for what the model could not write: correct, if less personal; `short`
    ones for a message that must fit a few hundred characters."""
    terms = [
        t
        for t in bio_terms(request.bio)
        if t.lower() not in request.mentor_name.lower() and names_work(t)
    ]
    focus = _with_article(terms[0]) if terms else request.mentor_role
    goal = " ".join(request.goal.strip().rstrip(".").split())
    goal = re.sub(r"^my goal(?: is)?:\s*", "", goal, flags=re.I)
    plain = {
        "why_you": _plain_why(focus, bool(terms)),
        "goal": goal + "."
        if has_specific_goal(goal) or re.match(r"I (?:want|will|plan|hope|aim)\b", goal)
        else f"I want to work towards one goal: {goal[:1].lower() + goal[1:]}.",
        "offer": "I'll come prepared with specific questions and keep our calls short.",
        "question": "What do you wish you had known when you were at my stage?",
        "subject": "A short mentoring request",
    }
    if short:
        plain.update(
            why_you=f"Your work on {focus} is why I'm writing." if terms else plain["why_you"],
            offer="I'll come prepared.",
            question="What helped you most?",
        )
    return {name: plain[name] for name in failed}


# --- composing the message -------------------------------------------------------------------


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def compose(request: OutreachRequest, pieces: dict[str, str]) -> str:
    """The message: greeting, who I am, why you, my goal, the ask, my offer, a question, and the
    sign-off, laid out for the channel."""
    first = request.mentor_name.split()[0]
    sender = request.sender_name.strip()
    intro = _sentence(request.about_me)
    if sender and intro and sender.split()[0].lower() not in intro.lower():
        intro = f"I'm {sender.split()[0]}. {intro}"
    elif sender and not intro:
        intro = f"I'm {sender.split()[0]}."
    ask = f"Would you be open to {request.ask.strip().rstrip('.?')}?"
    body = [
        _sentence(pieces["why_you"]),
        _sentence(pieces["goal"]),
        ask,
        _sentence(pieces["offer"]),
        _sentence(pieces["question"]),
    ]
    if request.channel == "linkedin_note":  # 300 characters: no introduction, no question
        sign = f" – {sender.split()[0]}" if sender else ""
        return " ".join([f"Hi {first},", *body[:4]]).replace("  ", " ").strip() + sign
    if request.channel == "in_person":
        return " ".join([f"Hi {first},", intro, *body]).replace("  ", " ").strip()
    paragraphs = [
        f"Hi {first},",
        " ".join(p for p in [intro, body[0]] if p),
        " ".join(body[1:4]),
        body[4],
        "Best,\n" + sender if sender else "Best wishes",
    ]
    return "\n\n".join(p for p in paragraphs if p)


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
    passages = knowledge_base.search(
        f"{CHANNELS[request.channel].label} request to a prospective mentor",
        k=2,
        workflow="outreach",
        user_id=user_id,
    )
    needs_subject = CHANNELS[request.channel].needs_subject
    max_words = MAX_WORDS.get(request.channel, 30)
    messages = prompts.chat(
        "outreach",
        example=EXAMPLE_TEXT,
        mentor_name=prompts.fence(request.mentor_name),
        mentor_role=prompts.fence(request.mentor_role),
        bio=prompts.fence(_screened(request.bio, model)),
        goal=prompts.fence(request.goal),
        about_me=prompts.fence(request.about_me),
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
        "example": _Text(EXAMPLE_TEXT),
        "own": own + "\n" + request.bio + "\n" + request.mentor_role,
        "role": request.mentor_role,
        "mentee": "\n".join([request.goal, request.about_me]),
        "detail": bio_detail_words(request),
        "goal": request.goal,
        "passages": passages,
        "mentor": request.mentor_name,
        "terms": bio_terms(" ".join([request.mentor_role, request.bio])),
    }
    outcome = generate(
        model,
        messages,
        EmailPieces if needs_subject else Pieces,
        context=context,
        fallback=lambda good, failed, last: _fallback(request, failed),
        max_tokens=320,
        allowed_urls=urls_in(request.goal, request.ask, request.sender_name, request.about_me),
    )
    pieces = outcome.value.model_dump()
    body = compose(request, pieces)
    limit = CHANNELS[request.channel].max_chars
    if limit and len(body) > limit:  # too long for the channel: shorter pieces, once
        context["max_words"] = 8
        messages = [*messages, {"role": "user", "content": f"Shorter: each piece at most 8 "
                                f"words; the whole message must fit {limit} characters."}]  # fmt: skip
        outcome = generate(model, messages, EmailPieces if needs_subject else Pieces,
                           context=context, max_tokens=200,
                           fallback=lambda good, failed, last: _fallback(request, failed))  # fmt: skip
        pieces = outcome.value.model_dump()
        body = compose(request, pieces)
        if len(body) > limit:
            short = _fallback(request, ["why_you", "goal", "offer", "question"], short=True)
            body = compose(request, {**pieces, **short})
            outcome.from_code = list(short)
    subject = pieces.get("subject", "")
    report = check_draft(subject, body, request)
    draft = Draft(
        request.channel, subject, body, report, outcome.attempts, outcome.problems,
        {k: v for k, v in pieces.items() if k not in outcome.from_code}, outcome.from_code,
        outcome.origin,
    )  # fmt: skip
    return draft, passages


@dataclass(frozen=True)
class _Text:
    text: str
