"""The outreach rubric's `personalized` check: something of the mentor's own work, role or path."""

from __future__ import annotations

import re

from assistant.services.coaching.rubric_text import (
    FIRST_PERSON,
    SECOND_PERSON,
    earliest,
    phrase,
    rx,
    sentence_bounds,
    words_before,
)
from assistant.text.sentences import sentences
from assistant.text.words import alternation, content_words

_MEDIA_WORDS = (
    r"talk|keynote|presentation|post|blog post|blog|article|essay|newsletter|book|podcast"
    r"|episode|thread|paper|video|webinar|workshop|course|panel|interview|answer|comment|writeup"
    r"|write-up|piece|tweet|lecture|slides|demo|case study|session|guide|tutorial|series|repo"
    r"|library|talks|posts|articles|essays|videos|papers|books"
)
_MEDIA = r"(?:" + _MEDIA_WORDS + r")"
_PAST = (
    r"(?:led|built|founded|co-founded|started|wrote|created|launched|ran|scaled|grew|shipped"
    r"|designed|gave|spoke|presented|mentioned|described|shared|moved|switched|transitioned"
    r"|managed|organi[sz]ed|hosted|framed|handled|approached|explained|said|made|taught|changed"
    r"|rebuilt|migrated|published|open-sourced|hired|turned|navigated|went|took|introduced"
    r"|established|developed|set up|trained|coached|mentored|won|raised|returned|opened"
    r"|completed|cut|structured)"
)
# what a mentor does now, said to them: "you write a newsletter", "you mentor engineers"
_PRESENT = (
    r"(?:write|run|lead|mentor|teach|host|organi[sz]e|coach|speak|publish|chair|edit|train"
    r"|volunteer|advise|curate|record|present)"
)
_ROLE = alternation("roles")
_PERSONAL = [
    # "your talk", "your LinkedIn post", "your 2023 PyCon keynote"
    rx(r"\byour (?:[\w-]+ ){0,2}?" + _MEDIA + r"\b"),
    rx(
        r"\byour (?:work|research|writing|projects?)"
        r" (?:on|with|around|in|at|for|leading|building|scaling)\b"
    ),
    rx(
        r"\byour (?:experience|time|years|background) (?:with|in|leading|at|as|moving|building"
        r"|running|managing|scaling|switching|transitioning|going|on)\b"
    ),
    rx(
        r"\byour (?:own )?(?:career )?"
        r"(?:path|move|switch|transition|journey|shift|jump|pivot|route)"
        r" (?:from|into|to|out of)\b"
    ),
    rx(r"\byour team's\b"),
    rx(r"\byour (?:role|position) (?:as|at|on|leading)\b"),
    rx(r"\byour (?:advice|point|points|thoughts|take|framing|approach|comments?) (?:on|about)\b"),
    rx(
        r"\bI (?:'ve |have )?(?:really |recently |just |also )?(?:read|saw|seen|watched|listened to"
        r"|heard|attended|came across|found|enjoyed|loved|appreciated|followed|bookmarked"
        r"|shared|re-read|reread) (?:your|you)\b"
        # "I saw your profile" says nothing about their work
        r"(?! (?:profile|page|linkedin(?! (?:post|article|newsletter|video))|name|email|career"
        r"|success|journey|background|achievements|accomplishments|updates|activity|resume|cv"
        r"|website)\b)"
    ),
    rx(r"\byou(?:'ve| have)? (?:also |once |recently )?(?:re-?|co-)?" + _PAST + r"\b"),
    rx(  # not a question put to them: "would you mentor …", "how do you run …"
        r"(?<!would )(?<!could )(?<!can )(?<!will )(?<!do )(?<!did )(?<!if )(?<!to )"
        r"\byou (?:also |still |now )?" + _PRESENT + r" (?!me\b|us\b|it\b)\w"
    ),
]
_AS_ROLE = rx(r"\bas (?:a|an|the) (?:(?!fellow\b)[\w-]+ ){0,3}?" + _ROLE + r"\b")
_AS_ROLE_SELF = rx(r"^,?\s*(?:I|I'm|I've|I'd|myself|me|like me)\b")


def _as_role_matches(text: str) -> list[tuple[int, str]]:
    found = []
    for m in _AS_ROLE.finditer(text):
        s, e = sentence_bounds(text, m.start())
        words = {w.lower().replace("’", "'").strip('.,;:!?"()') for w in text[s:e].split()}
        if not words & SECOND_PERSON:
            continue
        if _AS_ROLE_SELF.match(text[m.end() :]) or _last_subject_is_first(text, m.start()):
            continue
        found.append((m.start(), phrase(text, m)))
    return found


def _last_subject_is_first(text: str, pos: int) -> bool:
    for word in reversed(words_before(text, pos)):
        if word in FIRST_PERSON:
            return True
        if word in SECOND_PERSON:
            return False
    return False


def _name_forms(name: str | None) -> list[str]:
    parts = [p for p in re.findall(r"[\w'’-]+", name or "") if len(p) > 1]
    parts = [p for p in parts if p.lower().rstrip(".") not in {"dr", "mr", "ms", "mrs", "prof"}]
    forms = [" ".join(parts)] if len(parts) > 1 else []
    return forms + parts


def _term_pattern(term: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in term.split())
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE)


def find_personal(text: str, mentor_name: str | None, terms: list[str]) -> str | None:
    found: list[tuple[int, str]] = []
    for pattern in _PERSONAL:
        found.extend((m.start(), phrase(text, m)) for m in pattern.finditer(text))
    found.extend(_as_role_matches(text))
    names = _name_forms(mentor_name)
    if names:
        alts = "|".join(re.escape(n) for n in names)
        possessive = rx(
            r"\b(?:" + alts + r")'s (?:" + _MEDIA_WORDS + r"|work|team|path|move|experience)\b"
        )
        did = re.compile(r"\b(?:" + alts + r") " + _PAST + r"\b", re.IGNORECASE)
        for pattern in (possessive, did):
            found.extend((m.start(), phrase(text, m)) for m in pattern.finditer(text))
    for term in terms:
        found.extend((m.start(), m.group(0)) for m in _term_pattern(term).finditer(text))
    return earliest(found)


def find_detail(text: str, details: set[str]) -> str | None:
    """The first sentence that speaks to the mentor ("you", "your") and names two things of
    their bio (`details`: stems beyond their name and title)."""
    for sentence in sentences(text):
        said = content_words(sentence)
        if len(said & details) >= 2 and re.search(r"\byou(?:r)?\b", sentence, re.I):
            return sentence
    return None


def usable_terms(terms: list[str] | None, mentor_name: str | None) -> list[str]:
    """Mentor terms minus their name: merely saying the name does not count. A term that runs
    into the name ("Stripe Lena Park") keeps its other words ("Stripe")."""
    name_words = {n.lower() for n in _name_forms(mentor_name)}
    usable: list[str] = []
    for term in terms or []:
        piece: list[str] = []
        for word in [*term.split(), ""]:
            if word and word.lower().strip(".,") not in name_words:
                piece.append(word)
                continue
            joined = " ".join(piece).strip()
            piece = []
            if len(joined) >= 2 and joined not in usable:
                usable.append(joined)
    return usable
