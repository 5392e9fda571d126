"""Checks that judge a workflow's output as its reader would, from the output and the persona's
inputs alone. They know nothing of how the output was made, so they apply equally to what the
model wrote and to what the user was shown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import combinations

from assistant.services.coaching.goal_pieces import restates_measure
from assistant.services.coaching.mentor_bio import bio_terms
from assistant.services.coaching.outreach_rubric import check_outreach
from assistant.services.coaching.structured import borrowed_phrase, copies_passage
from assistant.settings import REPO_ROOT
from assistant.text.dates import deadline_date, same_deadline
from assistant.text.phrases import found, has_markup
from assistant.text.sentences import sentences
from assistant.text.words import content_words, coverage, overlap, words


@dataclass
class Verdict:
    """Each applicable check, passed or not, with a reason for each failure."""

    checks: dict[str, bool] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)

    def add(self, check: str, passed: bool, why: str = "") -> None:
        self.checks[check] = bool(passed)
        if not passed and why:
            self.why[check] = why

    @property
    def passed(self) -> bool:
        return all(self.checks.values())


@dataclass(frozen=True)
class _Note:
    text: str


@cache
def guidance() -> tuple[_Note, ...]:
    """Every knowledge note, as passages: what 'copied from the guidance' is checked against."""
    return tuple(
        _Note(p.read_text(encoding="utf-8")) for p in sorted((REPO_ROOT / "knowledge").glob("*.md"))
    )


def mentee_words(persona: dict) -> str:
    """What the mentee said of themselves: goal, answers, situation."""
    return "\n".join(
        [persona.get("goal", ""), *persona.get("answers", []), persona.get("situation", "")]
    )


def own_words(persona: dict) -> str:
    """Everything the mentee typed or pasted: goal, answers, mentor, bio, name, situation."""
    mentor = persona.get("mentor", {})
    return "\n".join(
        [
            persona.get("goal", ""),
            *persona.get("answers", []),
            mentor.get("name", ""),
            mentor.get("role", ""),
            persona.get("bio", ""),
            persona.get("sender_name", ""),
            persona.get("situation", ""),
        ]
    )


# --- outreach drafts ------------------------------------------------------------------------

_GREETING = re.compile(r"^\W*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b", re.I)
_THIRD = {"she", "her", "hers", "herself", "he", "him", "his", "himself"}
_PLACEHOLDER = re.compile(r"\[(?!\d+\])[^\]\n]+\]|<[a-z ]+>|\bXXX\b", re.I)


def check_draft(subject: str, body: str, persona: dict) -> Verdict:
    """A message to the mentor: greets them by name, speaks to them as 'you', signs with the
    sender's name, uses a specific detail of their bio, reads as English, passes the rubric."""
    v = Verdict()
    mentor = persona["mentor"]
    name = mentor["name"]
    first = name.split()[0]
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    v.add(
        "greets_by_name",
        bool(lines) and bool(_GREETING.match(lines[0])) and first.lower() in lines[0].lower(),
        f"first line: {lines[0][:60] if lines else ''!r}",
    )
    third = _third_person(body, name)
    v.add("addresses_as_you", not third, f"speaks of the mentor: {third!r}")
    sender = persona.get("sender_name", "").strip()
    if sender:
        tail = " ".join(lines[-3:]).lower()
        v.add("signed_by_sender", sender.split()[0].lower() in tail, "no signature with the name")
    placeholder = _PLACEHOLDER.search(subject + "\n" + body)
    v.add("no_placeholder", not placeholder, placeholder.group(0) if placeholder else "")
    claim = _claims_mentor_role(body, mentor.get("role", ""), persona)
    v.add("no_claimed_role", not claim, claim)
    detail = _bio_detail(body, persona)
    v.add("uses_bio_detail", bool(detail), "only the role or nothing of the bio")
    broken = _broken_sentences(body)
    v.add("sentences_parse", not broken, "; ".join(broken[:2]))
    foreign = next(
        (
            p
            for t in _goal_sentences(body)
            if (p := borrowed_phrase(t, list(guidance()), own_words(persona)))
        ),
        "",
    )
    v.add("no_foreign_goal", not foreign, f"“{foreign}” is from the guidance, not the mentee")
    report = check_outreach(
        body,
        persona["channel"],
        subject=subject or None,
        mentor_name=name,
        mentor_terms=bio_terms(" ".join([mentor.get("role", ""), persona.get("bio", "")])),
    )
    v.add("rubric", report.passed, ", ".join(i.id for i in report.failed()))
    return v


_GOAL_SENTENCE = re.compile(
    r"\b(?:my goal|i want to|i'd like to|i would like to|i'm aiming|i am aiming|i hope to|"
    r"i'm working (?:on|towards?)|i'm trying to|i plan to|i'm looking to|i am looking to)\b",
    re.I,
)


def _goal_sentences(body: str) -> list[str]:
    """The sentences in which the message states the mentee's goal."""
    return [s for s in sentences(body) if _GOAL_SENTENCE.search(s.replace("’", "'"))]


def _third_person(body: str, name: str) -> str:
    """A sentence that speaks of the mentor instead of to them ('' when there is none): their
    name as a subject ('Elena led …', 'Elena's work'), or 'she'/'his' with nobody else in the
    sentence it could mean."""
    first = name.split()[0].lower()
    mentor_names = {w.capitalize() for w in words(name)}
    for sentence in sentences(body)[1:]:  # the greeting line names them
        tokens = words(sentence)
        if name.lower() in sentence.lower():
            return sentence
        for token, nxt in zip(tokens, tokens[1:] + [""], strict=True):
            if token == f"{first}'s" or (token == first and nxt in _VERBS):
                return sentence
        if _THIRD & set(tokens):
            someone_else = set(re.findall(r"(?<=\s)[A-Z][a-z]+", sentence)) - mentor_names - {"I"}
            if not someone_else and not re.search(r"\bmy \w+", sentence, re.I):
                return sentence
    return ""


_VERBS = {
    "is",
    "has",
    "was",
    "led",
    "leads",
    "wrote",
    "writes",
    "runs",
    "built",
    "moved",
    "founded",
    "manages",
    "started",
    "speaks",
    "hosts",
    "redesigned",
    "returned",
    "grew",
    "advises",
    "mentors",
    "gave",
    "previously",
}


def _claims_mentor_role(body: str, role: str, persona: dict) -> str:
    """'I am a staff engineer at Orbital' when that is the mentor's title, not the mentee's."""
    role_words = content_words(role) - content_words(mentee_words(persona))
    if not role_words:
        return ""
    for sentence in sentences(body):
        m = re.search(r"\b(?:i am|i'm|as an?|i work as)\b(.{0,60})", sentence, re.I)
        if m and len(content_words(m.group(1)) & role_words) >= min(2, len(role_words)):
            return sentence
    return ""


_GENERIC = {
    "lead",
    "team",
    "work",
    "compan",
    "year",
    "people",
    "help",
    "group",
    "know",
    "manag",
    "senior",
    "director",
    "head",
    "engineer",
    "now",
}


def _bio_detail(body: str, persona: dict) -> set[str]:
    """Words of the bio beyond the mentor's name and role (and the mentee's own goal) that the
    draft uses: 'newsletter', 'event sourcing', 'returners'."""
    mentor = persona["mentor"]
    bio_only = (
        content_words(persona.get("bio", ""))
        - content_words(mentor["name"] + " " + mentor.get("role", ""))
        - content_words(" ".join([persona["goal"], *persona.get("answers", [])]))
        - _GENERIC
    )
    used = content_words(body) & bio_only
    if used:
        return used
    # what the mentor did, told back to them although the mentee shares it ("you returned to
    # work after a two-year career break"): five words in a row of the bio
    theirs = content_words(mentor["name"] + " " + mentor.get("role", "")) | _GENERIC
    bio, said = words(persona.get("bio", "")), " " + " ".join(words(body)) + " "
    for run in (" ".join(bio[i : i + 5]) for i in range(len(bio) - 4)):
        if f" {run} " in said and len(detail := content_words(run) - theirs) >= 2:
            return detail
    return set()


@cache
def _bad_pairs() -> tuple[str, ...]:
    from assistant.text.phrases import phrases

    return tuple(" ".join(p) for p in phrases("broken_grammar"))


def _broken_sentences(body: str) -> list[str]:
    """Sentences glued together so that they no longer read: a word pair English never has, or
    a sentence that starts in lower case."""

    def broken(sentence: str) -> bool:
        tokens = " " + " ".join(words(sentence)) + " "
        glued = any(f" {pair} " in tokens for pair in _bad_pairs())
        lower = sentence[:1].islower() and not re.match(r"(?:e\.g\.|i\.e\.|p\.s\.)", sentence)
        return glued or lower

    return [s for s in sentences(body) if broken(s)]


# --- goal cards -----------------------------------------------------------------------------


def check_goal_card(card: dict, persona: dict, today: date) -> Verdict:
    """A goal card: the mentee's own deadline and measures, no loaded words left in the goal,
    first steps that add something, in the mentee's voice."""
    v = Verdict()
    answers = persona.get("answers", [])
    # the answer to the deadline question (the third), even one no parser can date ("In time
    # for the 2027-28 season"): a card that swaps it for a suggested date has not kept it
    said_deadline = (answers[2] if len(answers) > 2 else "") or next(
        (a for a in reversed(answers) if deadline_date(a, today)), ""
    )
    if said_deadline:
        # the date the card shows, "(30 June 2027)", is what the mentee reads as their deadline
        shown_date = re.search(r"\((\d{1,2} [A-Z][a-z]+ \d{4})\)", card["deadline"])
        if shown_date and deadline_date(said_deadline, today):
            kept = same_deadline(said_deadline, shown_date.group(1), today)
        else:
            kept = same_deadline(said_deadline, card["deadline"], today) or (
                overlap(said_deadline, card["deadline"]) >= 0.8
            )
        v.add("deadline_kept", kept, f"{said_deadline!r} became {card['deadline']!r}")
    else:
        v.add("has_deadline", deadline_date(card["deadline"], today) is not None, card["deadline"])
    said_measure = answers[1] if len(answers) > 1 else ""
    if said_measure:
        numbers = set(re.findall(r"\d+(?:[/.:]\d+)?", said_measure))
        kept = any(
            numbers <= set(re.findall(r"\d+(?:[/.:]\d+)?", m)) and overlap(said_measure, m) >= 0.5
            for m in card["measures"]
        )
        v.add("measure_kept", kept, f"{said_measure!r} not among {card['measures']}")
    vague = [
        t
        for t in found("loaded_words", persona["goal"])
        if t in found("loaded_words", card["goal"])
    ]
    v.add("loaded_words_gone", not vague, f"the goal still says {vague}")
    copied = [
        step
        for step in card["first_steps"]
        if overlap(step, card["goal"]) >= 0.7
        or any(restates_measure(step, m) for m in card["measures"])
        or copies_passage(step, list(guidance()))
        or re.match(r"\s*(?:don't|do not|never|avoid)\b", step, re.I)
    ]
    v.add("first_steps_own", not copied, f"repeat the goal, a measure or the guidance: {copied}")
    texts = [card["goal"], card.get("why", ""), *card["measures"], *card["first_steps"]]
    voice = [  # a question the mentee will ask someone (“…”) says "you" to that person
        t
        for t in texts
        if re.search(r"\b(?:the mentee|you|your)\b", re.sub(r"“[^”]*”", "", t), re.I)
    ]
    v.add("mentee_voice", not voice, f"not in the mentee's voice: {voice[:2]}")
    about_me = [card["goal"], card.get("why", ""), *card["measures"]]  # the mentee's own story
    foreign = next(
        (p for t in about_me if (p := borrowed_phrase(t, list(guidance()), own_words(persona)))),
        "",
    )
    v.add("no_borrowed_example", not foreign, f"“{foreign}” is the guidance's example")
    return v


def _has_word(text: str, term: str) -> bool:
    return bool(re.search(rf"\b{re.escape(term)}\b", text, re.I))


# --- agendas --------------------------------------------------------------------------------


def check_agenda(agenda: dict, persona: dict) -> Verdict:
    """An agenda: no progress invented for a first meeting, questions distinct from the topics
    and from each other, no template blanks, nothing borrowed from the guidance's examples."""
    v = Verdict()
    items = agenda["updates"] + agenda["topics"] + agenda["questions"] + agenda["commitments"]
    if agenda["first_meeting"]:
        claims = [u for u in agenda["updates"] if found("progress_claims", u)]
        v.add("no_invented_progress", not claims, f"{claims}")
    same = [
        (a, b)
        for a, b in combinations(agenda["questions"] + agenda["topics"], 2)
        # a question about the goal shares its words; it repeats it when it holds most of it
        if (
            coverage(a, b.removeprefix("My goal:")) >= 0.7
            if b.startswith("My goal:")
            else overlap(a, b) >= 0.75
        )
    ]
    v.add("questions_distinct", not same, f"{same[:1]}")
    blanks = [t for t in items if re.search(r"\bX\b|\[(?!\d+\])[^\]]*\]|_{3,}|\.\.\.", t)]
    v.add("no_template_blanks", not blanks, f"{blanks}")
    about_me = agenda["updates"] + agenda["topics"]  # where the mentee's own situation is told
    foreign = next(
        (p for t in about_me if (p := borrowed_phrase(t, list(guidance()), own_words(persona)))),
        "",
    )
    v.add("no_borrowed_example", not foreign, f"“{foreign}” is the guidance's example")
    v.add("no_markup", not any(has_markup(t) for t in items), "code or markdown in an item")
    return v
