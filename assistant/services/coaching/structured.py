"""Schema-constrained generation with validation: parse, check, retry with feedback, or fail."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from assistant.components.llm import Model, Prompt
from assistant.errors import BackendUnavailable
from assistant.logs import redact
from assistant.services.ask import strip_invalid_citations
from assistant.services.output_guard import check_data
from assistant.services.retrieval import Passage
from assistant.text.words import STOPWORDS, stem

log = logging.getLogger(__name__)

T = TypeVar("T")


class Invalid(ValueError):
    """What the model returned breaks a rule; the message is fed back to it."""


@dataclass
class Generated:
    value: Any
    attempts: int
    problems: list[str]  # rule violations seen on the way (empty when the first answer was fine)


def generate(
    model: Model,
    messages: list[dict],
    schema: dict,
    check: Callable[[dict], T],
    *,
    attempts: int = 3,
    max_tokens: int = 700,
    temperature: float | None = None,
    allowed_urls: Iterable[str] = (),
) -> Generated:
    """Ask for JSON matching `schema`; `check` turns it into a value or raises Invalid.

    On a violation the model sees its answer and the problem, and tries again. After the last
    attempt the last Invalid is raised, so callers can fall back to a deterministic answer.
    Every string is checked by the output guard first: images and links the user did not type
    (`allowed_urls`) are removed, and an answer that repeats the instructions is refused.
    """
    history = list(messages)
    problems: list[str] = []
    last: Invalid | None = None
    for attempt in range(1, attempts + 1):
        prompt = Prompt(history, schema=schema, max_tokens=max_tokens, temperature=temperature)
        try:
            data = model.complete_json(prompt)
        except BackendUnavailable as exc:
            if "malformed JSON" not in exc.message:
                raise
            last = Invalid("the answer was not complete JSON; answer more briefly")
            problems.append(str(last))
            log.info("attempt %d/%d: %s", attempt, attempts, redact(exc.message))
            continue
        data, leaked = check_data(data, allowed_urls)
        try:
            if leaked:
                raise Invalid("it repeats your instructions; answer the request in your own words")
            return Generated(check(data), attempt, problems)
        except Invalid as exc:
            last = exc
            problems.append(str(exc))
            log.info("attempt %d/%d broke a rule: %s", attempt, attempts, redact(str(exc)))
            history = [
                *messages,
                {"role": "assistant", "content": _compact(data)},
                {
                    "role": "user",
                    "content": f"That answer breaks a rule: {exc}. Answer again, fixed.",
                },
            ]
    assert last is not None
    raise last


COPY_RUN_WORDS = 8  # this many consecutive words of a retrieved passage make a copied answer
_WORD = re.compile(r"[a-z0-9']+")


def copies_passage(text: str, passages: list[Passage]) -> bool:
    """True when `text` repeats a run of COPY_RUN_WORDS words of a retrieved passage: the model
    copied an example from the guidance instead of writing about the mentee."""
    words = _WORD.findall(text.lower())
    runs = {tuple(words[i : i + COPY_RUN_WORDS]) for i in range(len(words) - COPY_RUN_WORDS + 1)}
    for passage in passages if runs else []:
        source = _WORD.findall(passage.text.lower())
        n = len(source) - COPY_RUN_WORDS + 1
        if any(tuple(source[i : i + COPY_RUN_WORDS]) in runs for i in range(n)):
            return True
    return False


# words any mentoring text may share with the guidance without having copied an example from it
_COMMON_TEXT = """
    mentor mentors mentoring mentee mentorship meeting meetings meet goal goals feedback
    question questions agenda time minutes hour month monthly week weekly session sessions
    progress next first last step steps call help advice review update updates share plan ask
    topic topics discuss talk work career role skills learn one what how make sure"""
_COMMON = frozenset(_COMMON_TEXT.split())


# a card or agenda written about "the mentee" instead of in their voice
THIRD_PERSON = re.compile(r"\bthe mentee'?s?\b", re.IGNORECASE)


def borrowed_phrase(text: str, passages: list[Passage], own_text: str) -> str | None:
    """A three-word phrase of `text` that stands in a retrieved passage and brings two or more
    words the mentee never used ('two direct reports', 'senior analyst role'): the model took an
    example from the guidance as if it were the mentee's. None when there is no such phrase."""
    own = {stem(w) for w in _WORD.findall(own_text.lower())}
    words = _WORD.findall(text.lower())
    sources = [" " + " ".join(_WORD.findall(p.text.lower())) + " " for p in passages]
    for i in range(len(words) - 2):
        run = words[i : i + 3]
        foreign = [w for w in run if w not in STOPWORDS and w not in _COMMON and stem(w) not in own]
        found = [src for src in sources if f" {' '.join(run)} " in src] if len(foreign) >= 2 else []
        if found:  # the whole borrowed phrase, as far as it goes on
            end = i + 3
            while end < len(words) and any(f" {' '.join(words[i : end + 1])} " in s for s in found):
                end += 1
            return " ".join(words[i:end])
    return None


def _compact(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


def clean_citations(text: str, passages: list[Passage]) -> str:
    """Drop citations of sources that were not retrieved, and tidy the spacing left behind."""
    return " ".join(strip_invalid_citations(text, len(passages)).split())


def cited(texts: list[str], passages: list[Passage]) -> list[int]:
    """The retrieved sources (1-based) that the texts cite."""
    from assistant.services.ask import cited_numbers

    found: set[int] = set()
    for text in texts:
        found.update(cited_numbers(text, len(passages))[0])
    return sorted(found)


def cited_sources(texts: list[str], passages: list[Passage]) -> list[dict]:
    """The cited passages as {n, title, source}, for a workflow result's `sources`."""
    return [
        {"n": n, "title": passages[n - 1].title, "source": passages[n - 1].source}
        for n in cited(texts, passages)
    ]


def sources_markdown(passages: list[Passage], used: list[int]) -> str:
    """A 'Sources' list: the cited notes, or every retrieved note when none was cited."""
    numbers = used or list(range(1, len(passages) + 1))
    if not numbers:
        return ""
    label = "Sources" if used else "Based on"
    lines = [f"**{label}:**"]
    lines += [f"- [{n}] {passages[n - 1].title} (`{passages[n - 1].source}`)" for n in numbers]
    return "\n".join(lines)
