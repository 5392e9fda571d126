"""Outreach drafter: write a request to a prospective mentor, check it, revise it until it passes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant import prompts
from assistant.components.llm import Model
from assistant.errors import MentorPrepError
from assistant.services.coaching.outreach_rubric import (
    CHANNELS,
    MAX_SUBJECT_CHARS,
    RubricReport,
    bio_terms,
    check_outreach,
)
from assistant.services.coaching.structured import Invalid, generate
from assistant.services.output_guard import urls_in
from assistant.services.retrieval import Passage

DRAFT_SCHEMA = {
    "type": "object",
    "properties": {"subject": {"type": "string"}, "body": {"type": "string"}},
    "required": ["subject", "body"],
}
RELATIONSHIPS = {
    "cold": "a cold contact: they do not know the mentee",
    "warm": "a warm introduction: someone they know introduced the mentee",
    "colleague": "a colleague in the same organisation",
}
DEFAULT_ASK = "30 minutes once a month"


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

    def validate(self) -> None:
        from assistant.errors import BadInput

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
    revisions: list[str] = field(default_factory=list)  # the failed items each revision fixed

    def to_dict(self) -> dict:
        return {
            "channel": self.channel,
            "subject": self.subject,
            "body": self.body,
            "rubric": self.report.to_dict(),
            "attempts": self.attempts,
            "revisions": self.revisions,
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


def _terms(request: OutreachRequest) -> list[str]:
    return bio_terms(" ".join([request.mentor_role, request.bio]))


def check_draft(subject: str, body: str, request: OutreachRequest) -> RubricReport:
    return check_outreach(
        body,
        request.channel,
        subject=subject or None,
        mentor_name=request.mentor_name,
        mentor_terms=_terms(request),
    )


_PLACEHOLDER = re.compile(
    r"\[(?P<who>your|sender'?s?|my|recipient'?s?|mentor'?s?|their|first)[^\]\n]{0,24}\]", re.I
)


def _clean(text: str, request: OutreachRequest | None = None) -> str:
    """A message as it can be sent: no citations, HTML line breaks as lines, and template
    placeholders ('[Your Name]', 'Dear [Recipient's Name]') filled in or removed."""
    text = re.sub(r"\[(\d{1,2})\]", "", text)  # citations belong to advice, not to a message
    text = re.sub(r"\s*<br\s*/?>\s*", "\n", text, flags=re.I)
    if request is not None:
        mentor = request.mentor_name.split()[0] if request.mentor_name.strip() else ""

        def fill(match: re.Match) -> str:
            who = match.group("who").lower()
            own = who.startswith(("your", "sender", "my"))
            return request.sender_name if own else mentor

        text = _PLACEHOLDER.sub(fill, text)
        text = "\n".join(
            line.rstrip(" ,") if not line.strip(" ,") else line for line in text.split("\n")
        )
    text = re.sub(r"\n{3,}", "\n\n", text)
    return re.sub(r"[ \t]+\n", "\n", text).strip()


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
    max_revisions: int = 1,
    user_id: str | None = None,
) -> tuple[Draft, list[Passage]]:
    """Draft, check against the rubric, and revise the failing items (bounded) before returning."""
    request.validate()
    passages = knowledge_base.search(
        f"{CHANNELS[request.channel].label} request to a prospective mentor", k=3,
        workflow="outreach", user_id=user_id,
    )  # fmt: skip
    rule = length_rule(request.channel)
    messages = prompts.chat(
        "outreach",
        passages=passages,
        mentor_name=prompts.fence(request.mentor_name),
        mentor_role=prompts.fence(request.mentor_role),
        bio=prompts.fence(_screened(request.bio, model)),
        goal=prompts.fence(request.goal),
        relationship=RELATIONSHIPS[request.relationship],
        channel_label=CHANNELS[request.channel].label,
        length_rule=rule,
        ask=prompts.fence(request.ask),
        sender_name=prompts.fence(request.sender_name),
    )

    def parse(data: dict) -> tuple[str, str]:
        body = _clean(str(data.get("body", "")), request)
        if not body:
            raise Invalid("the body is empty")
        subject = (
            _clean(str(data.get("subject", ""))) if CHANNELS[request.channel].needs_subject else ""
        )
        return subject, body

    best: Draft | None = None
    revisions: list[str] = []
    attempts = 0
    for _ in range(max_revisions + 1):
        try:
            generated = generate(
                model, messages, DRAFT_SCHEMA, parse, attempts=2, max_tokens=500,
                allowed_urls=urls_in(request.goal, request.ask, request.sender_name),
            )  # fmt: skip
        except Invalid as exc:
            if best is not None:
                break
            raise MentorPrepError(
                f"The model did not write a usable draft ({exc}).", fix="press Draft again"
            ) from exc
        attempts += generated.attempts
        subject, body = generated.value
        report = check_draft(subject, body, request)
        draft = Draft(request.channel, subject, body, report, attempts, list(revisions))
        if best is None or _score(report) > _score(best.report):
            best = draft
        if report.passed:
            return draft, passages
        failed = report.failed()
        revisions.append(", ".join(item.id for item in failed))
        messages = [
            *messages[:2],
            {"role": "assistant", "content": _as_json(subject, body)},
            {
                "role": "user",
                "content": prompts.render("outreach_revise", failed=failed, length_rule=rule),
            },
        ]
    assert best is not None
    subject, body, fixed = repair_draft(best.subject, best.body, request, best.report)
    report = check_draft(subject, body, request)
    if fixed and _score(report) > _score(best.report):
        revisions.append("repaired by MentorPrep: " + ", ".join(fixed))
        best = Draft(request.channel, subject, body, report, attempts, revisions)
    best.attempts, best.revisions = attempts, revisions
    return best, passages


_LEAD_IN = re.compile(r"^(i want to|i'd like to|i would like to|i will|i'll|to)\s+", re.I)
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon))\b[^,.!?\n]{0,40},\s*", re.I
)
_SIGN_OFF = re.compile(
    r"^(thanks|thank you|best|cheers|regards|kind regards|warmly|sincerely)\b", re.I
)


def _sentence_list(text: str) -> list[str]:
    """Sentences, with a leading greeting ('Hi Marcus,') as a sentence of its own."""
    sentences = [p.strip() for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p.strip()]
    if (
        sentences
        and (greeting := _GREETING.match(sentences[0]))
        and greeting.end() < len(sentences[0])
    ):
        sentences[:1] = [greeting.group(0).strip(), sentences[0][greeting.end() :].strip()]
    return sentences


_DANGLING = {"in", "to", "of", "and", "or", "a", "an", "the", "for", "with", "by", "on", "at"}


def _goal_sentence(goal: str, limit: int = 200) -> str:
    """The goal as one plain sentence of at most `limit` characters: 'My goal is to …' when it
    starts with an intention or a verb, 'My goal is that …' when it is a statement (a goal card
    often starts 'By June, I …'). A long goal is cut at a word, never after 'in' or 'and'."""
    words = goal.strip().rstrip(".").split()
    while len(" ".join(words)) > max(limit - 20, 20) and len(words) > 4:
        words.pop()
    while len(words) > 4 and (words[-1].lower().strip(",;") in _DANGLING or words[-1][-1] in ",;"):
        words.pop()
    goal = " ".join(words)
    if _LEAD_IN.match(goal):
        phrase = _LEAD_IN.sub("", goal)
        return f"My goal is to {phrase[:1].lower() + phrase[1:]}."
    first, _, rest = goal.partition(" ")
    if first not in ("I", "I'm", "I've", "I'll") and not first.isupper():
        goal = first[:1].lower() + first[1:] + (" " + rest if rest else "")
    statement = re.match(r"(by|before|within|in|over|during|at|this|next|i|i'm|i'll)\b", goal, re.I)
    return f"My goal is {'that' if statement else 'to'} {goal}."


def repair_draft(
    subject: str, body: str, request: OutreachRequest, report: RubricReport
) -> tuple[str, str, list[str]]:
    """Fix what the model could not: add a plain sentence for each failed item, then fit the
    channel's length by dropping the model's middle sentences. Dropping a sentence can lose an
    item that passed, so the result is checked and repaired again (bounded).
    Returns (subject, body, the items fixed)."""
    fixed: list[str] = []
    for _ in range(3):
        if report.passed:
            break
        subject, repaired, items = _repair_once(subject, body, request, report)
        if repaired == body:
            break
        body = repaired
        fixed += [item for item in items if item not in fixed]
        report = check_draft(subject, body, request)
    max_chars = CHANNELS[request.channel].max_chars
    if not report.passed and max_chars:  # too little room to patch: the plain compact message
        compact = _compact_message(request, max_chars)
        if _score(check_draft(subject, compact, request)) > _score(report):
            body = compact
            fixed = sorted({*fixed, *(item.id for item in report.failed())})
    return subject, body, sorted(fixed)


def _why_sentence(request: OutreachRequest) -> str:
    """'Why this person' in one plain sentence, from their role or a term of their bio ('' when
    there is neither)."""
    terms = [t for t in _terms(request) if t.lower() not in request.mentor_name.lower()]
    focus = request.mentor_role or (terms[0] if terms else "")
    return f"I'm reaching out because of your work as {focus}." if focus else ""


def _compact_message(request: OutreachRequest, max_chars: int) -> str:
    """Every rubric item in one plain sentence each, the goal shortened to what room is left."""
    first = request.mentor_name.split()[0] if request.mentor_name.strip() else "there"
    parts = [
        f"Hi {first},",
        _why_sentence(request),
        "",  # the goal goes here
        f"Would you be open to {request.ask}?",
        "No pressure if now isn't a good time.",
    ]
    room = max_chars - len(" ".join(p for p in parts if p)) - 1
    parts[2] = _goal_sentence(request.goal, limit=room)
    return " ".join(p for p in parts if p)[:max_chars]


def _repair_once(
    subject: str, body: str, request: OutreachRequest, report: RubricReport
) -> tuple[str, str, list[str]]:
    failed = {item.id for item in report.failed()}
    if not failed:
        return subject, body, []
    note = request.channel == "linkedin_note"
    why = _why_sentence(request)
    additions: list[str] = []
    if "personalized" in failed and why:
        additions.append(why)
    if "specific_goal" in failed:
        additions.append(_goal_sentence(request.goal))
    if "bounded_ask" in failed or "question" in failed:
        additions.append(f"Would you be open to {request.ask}?")
    if "reciprocity" in failed:
        additions.append(
            "No pressure if now isn't a good time." if note
            else "I know your time is valuable, so I'll come prepared and keep to time."
        )  # fmt: skip
    additions = [a for a in additions if a not in body]  # a second copy fixes nothing
    lines = body.strip().splitlines()
    closing = [lines.pop()] if len(lines) > 1 and (
        _SIGN_OFF.match(lines[-1].strip()) or len(lines[-1].split()) <= 3
    ) else []  # fmt: skip
    while len(lines) > 1 and _SIGN_OFF.match(lines[-1].strip()):
        closing.insert(0, lines.pop())
    main, courtesy = _split_courtesy("\n".join(lines).strip())
    text = "\n".join([_join(main, *additions, courtesy), *closing]).strip()
    rule = CHANNELS[request.channel]
    # the model's sentences, then MentorPrep's additions, then the closing courtesies; a note
    # that is too long loses the model's or the courtesies' sentences, never the greeting
    sentences, thanks = _sentence_list(main), _sentence_list(courtesy)

    def without(part: list[str], index: int) -> str:
        kept = [s for i, s in enumerate(part) if i != index]
        mine, theirs = (kept, thanks) if part is sentences else (sentences, kept)
        return " ".join([*mine, *additions, *theirs, *closing]).strip()

    while rule.max_chars and len(text) > rule.max_chars and len(sentences) + len(thanks) > 1:
        # drop the sentence whose loss costs the fewest rubric items (longest first)
        options = [(sentences, i) for i in range(1, len(sentences))]
        options += [(thanks, i) for i in range(len(thanks))]  # never empty: 2+ sentences left
        part, drop = max(
            options,
            key=lambda o: (_score(check_draft(subject, without(*o), request)), len(o[0][o[1]])),
        )
        text = without(part, drop)
        part.pop(drop)
    if rule.max_chars and len(text) > rule.max_chars:
        # only the plain sentences fit: they must carry every item, not just the failed ones
        first = request.mentor_name.split()[0]
        if why and why not in additions:
            additions.insert(0, why)
        if not any(a.startswith("My goal") for a in additions):
            additions.insert(1 if why else 0, _goal_sentence(request.goal))
        text = " ".join([f"Hi {first},", *additions])[: rule.max_chars]
    if not note and "length" in failed and len(text.split()) > rule.max_words:
        sentences = _sentence_list(main)
        while len(" ".join(sentences + additions).split()) > rule.max_words and len(sentences) > 2:
            sentences.pop(len(sentences) // 2)
        text = "\n".join([_join(" ".join(sentences), *additions, courtesy), *closing])
    if rule.needs_subject and not subject.strip():
        subject = f"A question about mentoring: {_LEAD_IN.sub('', request.goal)}"
    if rule.needs_subject:
        subject = _fit_subject(subject)
    fixed = sorted(failed)
    return subject, text, fixed


def _fit_subject(subject: str) -> str:
    """A subject line within MAX_SUBJECT_CHARS, cut at a word, never after 'for' or 'and'."""
    subject = " ".join(subject.split())
    if len(subject) <= MAX_SUBJECT_CHARS:
        return subject
    words = subject[: MAX_SUBJECT_CHARS + 1].split()[:-1]  # the last word may be cut
    # end before a clause the cut left half-done ("… 1:1s and giving")
    tail = [i for i in range(max(len(words) - 3, 2), len(words)) if words[i].lower() in _DANGLING]
    if tail:
        words = words[: tail[0]]
    return " ".join(words).rstrip(",;:-") + ("?" if subject.endswith("?") else "")


_COURTESY = re.compile(
    r"^(?:thank you|thanks|many thanks|i look forward|looking forward|i hope to hear|"
    r"i appreciate your|i would appreciate your time)\b",
    re.I,
)


def _split_courtesy(main: str) -> tuple[str, str]:
    """The message and its closing courtesies ('Thank you for considering this. I look forward
    to hearing from you.'), so that added sentences go before them, not after."""
    head, sep, last = main.rpartition("\n")
    sentences = _sentence_list(last)
    cut = len(sentences)
    while cut > 1 and _COURTESY.match(sentences[cut - 1]):
        cut -= 1
    if cut == len(sentences):
        return main, ""
    return (head + sep + " ".join(sentences[:cut])).strip(), " ".join(sentences[cut:])


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p.strip())


def _score(report: RubricReport) -> int:
    return sum(item.passed for item in report.items)


def _as_json(subject: str, body: str) -> str:
    import json

    return json.dumps({"subject": subject, "body": body}, ensure_ascii=False)
