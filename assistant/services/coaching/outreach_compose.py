"""The outreach message as the code lays it out: the greeting, the introduction, the pieces, the
ask and the sign-off for the channel, and the plain pieces used for what the model never
got right."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.services.coaching.mentor_bio import bio_terms, names_work
from assistant.services.coaching.outreach_rubric import has_specific_goal
from assistant.text.grammar import deeds, in_past
from assistant.text.words import content_words, word_set

if TYPE_CHECKING:
    from assistant.services.coaching.outreach import OutreachRequest


# nouns that read well without "the" ("your work on UX research"); a lowercase singular noun
# otherwise takes it ("your work on the night shift")
_NO_ARTICLE = word_set(
    """research design engineering marketing data training software security analytics
    operations education policy health care finance fundraising leadership management"""
)


def _with_article(term: str) -> str:
    last = term.split()[-1]
    if last.islower() and not last.endswith("s") and last not in _NO_ARTICLE:
        return f"the {term}"
    return term


def _opening(channel: str) -> str:
    return "I wanted to ask you" if channel == "in_person" else "I'm writing to you"


def _plain_why(focus: str, is_work: bool, channel: str) -> str:
    if is_work:
        return f"{_opening(channel)} because of your work on {focus}."
    if focus:  # the mentor's role
        return f"{_opening(channel)} because of your experience as {focus}."
    return f"{_opening(channel)} because your experience is close to what I want to learn."


_PARTICIPLE = re.compile(r"\w+ed|known|seen|given|written|shown|chosen", re.I)


def _title(deed: str) -> bool:
    """A deed that says what they are ("are director of development at Riverside"), not what
    they did ("are known for running crisp meetings")."""
    first, _, rest = deed.partition(" ")
    return first.lower() in {"are", "were"} and not _PARTICIPLE.match(rest)


def _main_clause(deed: str) -> str:
    """The deed without what a comma adds ("ran the Kelby viaduct replacement, which finished
    three weeks early" → "ran the Kelby viaduct replacement"), when that leaves three words."""
    head = deed.split(",")[0].strip()
    return head if len(head.split()) >= 3 else deed


def best_deed(request: OutreachRequest, max_words: int) -> str:
    """What the bio says the mentor did that is closest in meaning to the mentee's goal and
    situation (MiniLM embeddings), worded to follow "you" ("wrote Planning Backwards, a book on
    curriculum planning"); a deed that only restates their title ("are head of science at
    Northfield") is not one. Empty if there is none."""
    from assistant.components.embeddings import get_embeddings
    from assistant.services.coaching.outreach_pieces import bio_detail_words

    detail = bio_detail_words(request)
    found = [
        deed
        for deed in map(_main_clause, deeds(request.bio, request.mentor_name.split()))
        if len(deed.split()) <= max_words and content_words(deed) & detail and not _title(deed)
    ]
    if len(found) < 2:
        return found[0] if found else ""
    mentee, *said = get_embeddings().embed([f"{request.goal} {request.about_me}", *found])
    return max(zip(said @ mentee, found, strict=True), key=lambda pair: pair[0])[1]


def fallback_pieces(request: OutreachRequest, failed: list[str], short: bool = False) -> dict:
    """Plain pieces for what the model could not write: correct, if less personal; `short`
    ones for a message that must fit a few hundred characters."""
    terms = [
        t
        for t in bio_terms(request.bio)
        if t.lower() not in request.mentor_name.lower() and names_work(t)
    ]
    focus = _with_article(terms[0]) if terms else request.mentor_role
    deed = best_deed(request, 9 if short else 20)
    goal = " ".join(request.goal.strip().rstrip(".").split())
    goal = re.sub(r"^my goal(?: is)?:\s*", "", goal, flags=re.I)
    plain = {
        "why_you": f"{_opening(request.channel)} because you {deed}."
        if deed
        else _plain_why(focus, bool(terms), request.channel),
        "goal": goal + "."
        if has_specific_goal(goal) or re.match(r"I (?:want|will|plan|hope|aim)\b", goal)
        else f"I want to work towards one goal: {goal[:1].lower() + goal[1:]}.",
        "offer": "I'll come prepared with specific questions and keep to time.",
        "question": f"What did you learn when you {deed}?"
        if deed and len(deed.split()) <= 14 and in_past(deed)
        else "What do you wish you had known when you were at my stage?",
        "subject": "A short mentoring request",
    }
    if short:
        plain.update(
            why_you=f"I'm writing because you {deed}."
            if deed
            else f"Your work on {focus} is why I'm writing."
            if terms
            else plain["why_you"],
            offer="I'll come prepared.",
            question="What helped you most?",
        )
    return {name: plain[name] for name in failed}


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
