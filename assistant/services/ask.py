"""Free-form questions: retrieve guidance, build a cache-friendly prompt, stream a cited answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant import prompts
from assistant.components.llm import Model, Prompt
from assistant.components.tokens import count_tokens, truncate_to_tokens
from assistant.errors import BadInput
from assistant.services.retrieval import Passage

MAX_QUESTION_TOKENS = 1000
_CITATION = re.compile(r"\[(\d{1,2})\]")


@dataclass
class Turn:
    role: str  # "user" | "assistant"
    content: str


@dataclass
class AnswerStream:
    """An answer being generated: `sources` are known at once, `chunks` stream the text."""

    question: str
    sources: list[Passage]
    chunks: Iterator[str]
    notices: list[str] = field(default_factory=list)


def clean_question(text: str | None) -> tuple[str, list[str]]:
    """Validate a user message; trim a huge one to the budget with a notice."""
    text = "".join(ch for ch in (text or "") if ch in "\n\t" or ch.isprintable()).strip()
    if not text:
        raise BadInput("The message is empty.", fix="type a question or a request")
    text, cut = truncate_to_tokens(text, MAX_QUESTION_TOKENS)
    notices = []
    if cut:
        notices.append(
            f"Your message was longer than {MAX_QUESTION_TOKENS} tokens; only its beginning was used."
        )
    return text, notices


def select_passages(passages: list[Passage], budget: int) -> list[Passage]:
    """Keep passages in rank order while they fit the token budget (always at least one)."""
    chosen, used = [], 0
    for passage in passages:
        cost = count_tokens(passage.text) + 12
        if chosen and used + cost > budget:
            break
        chosen.append(passage)
        used += cost
    return chosen


def build_messages(question: str, passages: list[Passage], history: list[Turn]) -> list[dict]:
    """System prompt first, then earlier turns, then this turn's passages and question.

    Keeping the stable part first lets llama.cpp reuse its KV cache for it.
    """
    messages = [{"role": "system", "content": prompts.render("ask_system")}]
    messages += [{"role": t.role, "content": t.content} for t in history]
    messages.append(
        {
            "role": "user",
            "content": prompts.render("ask_user", passages=passages, question=question),
        }
    )
    return messages


def cited_numbers(text: str, available: int) -> tuple[list[int], list[int]]:
    """(valid, invalid) citation numbers found in an answer."""
    found = sorted({int(n) for n in _CITATION.findall(text)})
    return [n for n in found if 1 <= n <= available], [n for n in found if not 1 <= n <= available]


def strip_invalid_citations(text: str, available: int) -> str:
    """Remove citations of sources that were not retrieved."""
    return _CITATION.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= available else "", text)


def ask(
    question: str,
    model: Model,
    knowledge_base,
    *,
    history: list[Turn] | None = None,
    user_id: str | None = None,
    k: int = 4,
    token_budget: int = 900,
) -> AnswerStream:
    """Answer a question from the knowledge base. The caller iterates `chunks`."""
    question, notices = clean_question(question)
    passages = select_passages(knowledge_base.search(question, k=k, user_id=user_id), token_budget)
    messages = build_messages(question, passages, history or [])
    return AnswerStream(question, passages, model.execute(Prompt(messages)), notices)
