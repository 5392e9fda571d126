"""Distinctive terms of a pasted mentor bio (companies, projects, role titles, topics), for the
rubric's `personalized` check and for the outreach pieces."""

from __future__ import annotations

import re

from assistant.services.coaching.rubric_text import (
    STOP,
    rx,
    sentence_bounds,
    word_set,
)
from assistant.text.words import lines

_UP = "".join(ch for ch in map(chr, range(0x250)) if ch.isupper())  # Latin capitals, with accents
_CAP_TOKEN = (  # a capitalised word ("Lucía", "Ó Briain", "Fieldnote"), or "iOS", "eBay"
    rf"(?:[{_UP}][\w&+#'’.-]*[\w+#]|[{_UP}]|[a-z]{{1,3}}[{_UP}][\w]*)"
)
_CAP_RUN = re.compile(_CAP_TOKEN + r"(?:(?: of| for| &)? " + _CAP_TOKEN + r")*")
_COMMON_CAPS = word_set(
    """the a an she he they her his their in at before after previously currently today now when
    while during outside prior also over since as this that it i we our my there here recently
    most based born earlier later then besides along with for from on by of and but or if formerly
    across through having between you your hi hello dr mr ms mrs prof she's he's they're i'm
    these those what who where how why outside today's each every many some both all
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december writes speaks leads works mentors built led
    runs helps loves enjoys formerly talks ask see"""
)
_GENERIC_TERMS = word_set(
    """engineering design product products leadership management software data technology tech
    people teams team careers career mentoring mentorship growth business engineer engineers
    manager managers director lead head vp cto ceo cpo coo cfo founder co-founder startup startups
    startups company companies work writing speaking community developer developers things
    learning teaching research security marketing sales operations strategy talks talk
    speaker experience education background about bio sre devops saas b2b b2c api"""
)
_ROLE_OF = rx(
    r"\b(?:(?:senior|executive|associate|group|global)\s+)?(?:vice president|svp|evp|vp|head"
    r"|director|chief \w+ officer|manager|lead) of (?!(?:the|a|an|my|our|their)\b)"
    r"(?:[\w-]+(?: (?:&|and) [\w-]+)?)"
)
_ROLE_LEVEL = rx(
    r"\b(?:senior|staff|principal|lead|founding|distinguished)\s+(?:(?:software|data|product|site"
    r" reliability|security|ml|machine learning|platform|backend|frontend|design|research|ux"
    r"|infrastructure)\s+)?(?:engineer|designer|scientist|manager|architect|researcher|analyst)\b"
)
_TOPIC_TRIGGER = rx(
    r"\b(?:(?:writes?|wrote|blogs?|speaks?|spoke|talks?|talked|posts?|podcasts?|presents?)"
    r"(?: regularly| often| mostly| frequently| widely)? (?:about|on)"
    r"|focus(?:es|ed|ing)? on|speciali[sz](?:es|ed|ing)? in|expert(?:ise)? in|passionate about"
    r"|known for|works? on|worked on|working on|interested in|research(?:es|ed)?(?: on| into)?"
    r"|teaches"
    r"|mentors? (?:\w+ )?(?:on|in)|author of|led|leads|built|builds|scaled|created|founded"
    r"|launched|runs|ran|grew|maintains|co-founded|co-authored)\s"
)
_PIECE_STOP = re.compile(
    r"\s(?:at|in|for|from|with|to|where|which|who|that|since|before|after|by|during|across|as"
    r"|while|using|via|on)\s",
    re.IGNORECASE,
)
_LEAD_STOP = {
    "the",
    "a",
    "an",
    "her",
    "his",
    "their",
    "its",
    "our",
    "several",
    "many",
    "two",
    "three",
    "multiple",
    "various",
    "numerous",
    "about",
    "how",
}


_TRAILING_GROUP = word_set("team teams group groups org organisation organization function")
_BARE_VERBS = word_set(
    """moving going getting switching transitioning helping making working building doing
    becoming leading managing running growing scaling starting"""
)


def _clean_term(term: str) -> str:
    term = re.sub(r"['’]s$", "", term.strip(" .,;:-—–\"'()"))
    return term.strip()


def _topic_pieces(bio: str) -> list[str]:
    out = []
    for m in _TOPIC_TRIGGER.finditer(bio):
        _, end = sentence_bounds(bio, m.end())
        segment = re.split(r"[;:(]", bio[m.end() : end])[0]
        for piece in re.split(r",|\band\b|\bor\b|&", segment)[:4]:
            if _TOPIC_TRIGGER.match(piece.strip() + " "):
                break  # a new clause ("... and ran design for ..."): the trigger loop takes it
            piece = _PIECE_STOP.split(" " + piece.strip() + " ")[0].strip()
            words = piece.split()
            if words and words[0].lower() in _BARE_VERBS:
                continue  # "moving into leadership" reads as anyone's goal, not their topic
            while words and (
                words[0].lower() in _LEAD_STOP or re.search(r"['’]s$", words[0]) or words[0] == ""
            ):
                words = words[1:]
            words = words[:4]
            while words and words[-1].lower() in STOP | _TRAILING_GROUP:
                words = words[:-1]
            if not words:
                continue
            phrase = _clean_term(" ".join(words))
            if len(words) == 1 and (
                phrase.lower() in _GENERIC_TERMS | _BARE_VERBS or len(phrase) < 4
            ):
                continue
            if all(w.lower() in STOP or w.lower() in _GENERIC_TERMS for w in words):
                continue
            out.append(phrase)
    return out


_NAME_BEFORE = rx(r"(?:^|\b(?:I'm|I am|name is|this is)\s+)$")
_NAME_AFTER = rx(r"^(?:,|\s+(?:is|has|was|leads|works|runs|helps|\())")


_CONNECTORS = {"of", "for", "&"}
_ROLE_WORDS = frozenset(role for role in lines("roles") if " " not in role)  # one-word titles


def _split_run(start: int, run: str) -> list[tuple[int, list[str]]]:
    """Split a capitalised run after a role word followed by more capitals, so that a role typed
    before a name ("Senior Product Designer Marcus Oyelaran") gives the role on its own."""
    words = run.split(" ")
    pieces, current, pos = [], [], start
    piece_start = start
    for k, word in enumerate(words):
        current.append(word)
        pos += len(word) + 1
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if word.lower() in _ROLE_WORDS and nxt and nxt.lower() not in _CONNECTORS:
            pieces.append((piece_start, current))
            current, piece_start = [], pos
    if current:
        pieces.append((piece_start, current))
    return pieces


_CREDENTIALS = word_set("phd mba msc bsc ma ba md dphil")


def names_work(term: str) -> bool:
    """Whether a bio term can follow "your work on": a topic, a project, a company ("UX
    research", "Brasa"); not a job title ("staff engineer", "director of development"), a
    credential ("PhD") or a lone modifier or verb ("Michelin-starred", "returned")."""
    words = term.lower().split()
    if not words or any(w in _ROLE_WORDS | _CREDENTIALS for w in words):
        return False
    return not (len(words) == 1 and re.search(r"(?:ed|ing)$", words[0]))


def _plain_name(word: str) -> bool:
    """A name word: "Lena", "Lucía", "O'Neill", "Okafor-Reid" (capital, then small letters)."""
    parts = re.split(r"['’-]", word)
    return bool(re.fullmatch(rf"[{_UP}][^\W\d_]*", parts[0])) and all(
        p and p[1:] == p[1:].lower() and p.isalpha() for p in parts
    )


def _looks_like_own_name(bio: str, start: int, term: str) -> bool:
    """A run of 1-4 plain capitalised words opening the bio ("Lena Park is ...", "I'm Priya")."""
    words = term.split()
    if start > 20 or not 1 <= len(words) <= 4:
        return False
    if any(w.lower() in _ROLE_WORDS for w in words):
        return False
    if not all(_plain_name(w) for w in words):
        return False
    before = bio[:start].strip(" .,-–—:")
    if before and not _NAME_BEFORE.search(before + " "):
        return len(words) >= 2 and start < 12
    return len(words) >= 2 or bool(_NAME_AFTER.match(bio[start + len(term) :])) or bool(before)


def bio_terms(bio: str) -> list[str]:
    """Distinctive terms from a pasted mentor bio, for `personalized`: companies, products and
    projects (capitalised names), role titles ("VP of Engineering", "Staff Engineer") and topics
    ("threat modelling"). The person's own name (a capitalised run opening the bio) is left out."""
    bio = bio or ""
    found: list[tuple[int, str]] = []
    name_words: set[str] = set()
    runs = [run for m in _CAP_RUN.finditer(bio) for run in _split_run(m.start(), m.group(0))]
    for i, (start, words) in enumerate(runs):
        while words and words[0].lower().rstrip(".") in _COMMON_CAPS | _CONNECTORS:
            start += len(words[0]) + 1
            words = words[1:]
        while words and words[-1].lower().rstrip(".") in _COMMON_CAPS | _CONNECTORS:
            words = words[:-1]
        if not words:
            continue
        term = _clean_term(" ".join(words))
        if i < 3 and not name_words and _looks_like_own_name(bio, start, term):
            name_words = {w.lower() for w in term.split()}
            continue
        found.append((start, term))
    for pattern in (_ROLE_OF, _ROLE_LEVEL):
        found.extend((m.start(), _clean_term(m.group(0))) for m in pattern.finditer(bio))
    found.extend((bio.find(p), p) for p in _topic_pieces(bio))

    terms: list[str] = []
    seen: set[str] = set()
    for _, term in sorted(found, key=lambda pair: (pair[0], -len(pair[1]))):
        key = term.lower()
        if len(term) < 2 or key in seen:
            continue
        if set(key.split()) <= name_words:
            continue
        if len(term.split()) == 1 and key in _GENERIC_TERMS | _COMMON_CAPS:
            continue
        if len(term.split()) == 1 and len(term) <= 2:
            continue  # "QA", "UX", "ML": a field both of you may name, not something of theirs
        seen.add(key)
        terms.append(term)
    return terms
