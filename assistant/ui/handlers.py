"""UI event handlers: plain generator functions, testable without a browser."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.errors import MentorPrepError
from assistant.services.ask import Turn, ask
from assistant.services.retrieval import Passage

History = list[dict]


def format_sources(passages: list[Passage]) -> str:
    """Markdown for the Sources panel: the cited notes and the passage used."""
    if not passages:
        return "_No guidance passage matched this question; the answer is general advice._"
    lines = ["**Sources**"]
    for i, p in enumerate(passages, 1):
        section = "" if p.section in ("", p.title) else f" — {p.section}"
        excerpt = p.text if len(p.text) <= 300 else p.text[:300].rsplit(" ", 1)[0] + " …"
        quoted = "\n".join(f"> {line}" if line else ">" for line in excerpt.splitlines())
        lines.append(f"\n**[{i}] {p.title}**{section}  \n`{p.source}`\n\n{quoted}")
    return "\n".join(lines)


def _turns(history: History) -> list[Turn]:
    turns = []
    for message in history:
        content = message.get("content")
        if isinstance(content, str) and message.get("role") in ("user", "assistant"):
            turns.append(Turn(message["role"], content))
    return turns


def chat_turn(
    message: str, history: History | None, *, model_factory, knowledge_base_factory, settings
) -> Iterator[tuple[History, str]]:
    """Stream one answer into the chat. Yields (history, sources markdown) as text arrives.

    Errors become a readable message in the chat; what was already generated is kept.
    """
    history = list(history or [])
    history.append({"role": "user", "content": message or ""})
    answer = {"role": "assistant", "content": ""}
    history.append(answer)
    sources = ""
    try:
        stream = ask(
            message,
            model_factory(),
            knowledge_base_factory(),
            history=_turns(history[:-2]),
            k=settings.retrieval_k,
            token_budget=settings.context_token_budget,
        )
        sources = format_sources(stream.sources)
        if stream.notices:
            answer["content"] = "".join(f"_{n}_\n\n" for n in stream.notices)
        yield history, sources
        for chunk in stream.chunks:
            answer["content"] += chunk
            yield history, sources
    except MentorPrepError as exc:
        note = f"⚠️ {exc.message}" + (f"\n\nTo fix: {exc.fix}" if exc.fix else "")
        answer["content"] = (answer["content"] + "\n\n" if answer["content"] else "") + note
        yield history, sources
