"""Free-form questions: retrieve guidance, build a cache-friendly prompt, stream a cited answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant import prompts
from assistant.components.llm import Model, Prompt
from assistant.components.llm.repetition import stop_loops
from assistant.components.tokens import count_tokens, truncate_to_tokens
from assistant.errors import BadInput
from assistant.services.output_guard import guard_stream, urls_in
from assistant.services.retrieval import Passage

MAX_QUESTION_TOKENS = 1000
_CITATION = re.compile(r"\[(\d{1,2})\]")


@dataclass
class Turn:
    role: str  # "user" | "assistant"
    content: str


@dataclass
class AnswerStream:
    """An answer being generated: `sources` are known at once, `chunks` stream the text
    (already checked by the output guard).

    `sent` is the user message exactly as the model saw it (passages included): keep it as this
    turn's history, so the next turn's prompt starts with the same tokens and llama.cpp reuses
    its KV cache instead of evaluating the conversation again.
    """

    question: str
    sources: list[Passage]
    chunks: Iterator[str]
    notices: list[str] = field(default_factory=list)
    sent: str = ""


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
    context_size: int = 8192,
    max_tokens: int = 512,
) -> AnswerStream:
    """Answer a question from the knowledge base. The caller iterates `chunks`.

    `history` holds earlier turns as sent (see AnswerStream.sent); the oldest are dropped when
    the conversation would overflow the context window.
    """
    question, notices = clean_question(question)
    passages = select_passages(knowledge_base.search(question, k=k, user_id=user_id), token_budget)
    passages = _screened(passages, model)
    sent = prompts.render("ask_user", passages=passages, question=question)
    # tiktoken counts differ from the model's tokenizer: keep a 20% margin
    room = int((context_size - max_tokens) / 1.2) - count_tokens(sent) - 400
    turns, dropped = fit_history(history or [], max(room, 0))
    if dropped:
        notices.append("This conversation is long: its earliest turns were left out of the prompt.")
    messages = build_messages(question, passages, turns)
    # a model that starts to repeat itself is stopped there rather than left to the token limit
    chunks = guard_stream(
        stop_loops(model.execute(Prompt(messages))), allowed_urls=urls_in(question)
    )
    return AnswerStream(question, passages, chunks, notices, sent)


def _screened(passages: list[Passage], model: Model) -> list[Passage]:
    """Passages without sentences that ask their reader to act (screen.py), if the setting is
    on: an uploaded document or a note may speak to whoever reads it."""
    from dataclasses import replace

    from assistant.services.screen import screen_all
    from assistant.settings import get_settings

    if not passages or not get_settings().screen_pasted_text:
        return passages
    texts = screen_all([p.text for p in passages], model)
    return [replace(p, text=t) for p, t in zip(passages, texts, strict=True)]


def fit_history(history: list[Turn], budget: int) -> tuple[list[Turn], bool]:
    """Drop the oldest turns until the history fits `budget` tokens; (turns, dropped any)."""
    costs = [count_tokens(t.content) + 8 for t in history]
    start, total = 0, sum(costs)
    while start < len(history) and total > budget:
        total -= costs[start]
        start += 1
    while start < len(history) and history[start].role != "user":  # start on a user turn
        start += 1
    return history[start:], start > 0
