"""UI event handlers: plain (generator) functions over the services, testable without a browser.

Each takes `deps` (how to reach the model, knowledge base, store and settings) and the user id,
so tests pass fakes and the app passes the real thing. Errors become readable messages; nothing
the user typed or the model already wrote is lost.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import MentorPrepError
from assistant.logs import redact, redact_paths
from assistant.services.ask import Turn, ask
from assistant.services.retrieval import Passage
from assistant.ui.identity import Identities

History = list[dict]
SAVE_EVERY = 0.5  # seconds between writes of a streaming answer to the store
log = logging.getLogger(__name__)


@dataclass
class Deps:
    model: Callable
    knowledge_base: Callable
    store: Callable
    settings: object


def request_user(
    username: str | None, cookie: str | None, identities: Identities, login_required: bool
) -> str:
    """Logged-in users by name; anonymous visitors by the identity cookie the server issued
    (checked here again: a value the server did not sign is refused)."""
    if username:
        return f"user:{username}"
    if login_required:
        raise MentorPrepError("You are not logged in.", fix="reload the page and log in")
    user_id = identities.user_id(cookie)
    if user_id is None:
        raise MentorPrepError(
            "This browser has no session cookie from MentorPrep.",
            fix="allow cookies for this site and reload the page (API clients: keep the "
            "cookies the server sets, e.g. gradio_client does)",
        )
    return user_id


def as_text(text: str) -> str:
    """Outside text (a document, a file name, a server's message) for a Markdown view: HTML
    tags show as typed instead of rendering, and images as text, so nothing loads by itself."""
    return text.replace("<", "&lt;").replace("![", "!\\[")


def plain_error(exc: MentorPrepError) -> str:
    """An error as plain text, without server paths (for a Gradio toast)."""
    text = redact_paths(exc.message)
    return text + (f" To fix: {redact_paths(exc.fix)}" if exc.fix else "")


def error_text(exc: Exception) -> str:
    """What the user sees of an error (no server paths); the server log gets it too, naming the
    problem without the user's words (a traceback if it is not one of MentorPrep's own)."""
    if isinstance(exc, MentorPrepError):
        log.warning("%s: %s", type(exc).__name__, redact(exc.message))
        fix = f"\n\nTo fix: {redact_paths(exc.fix)}" if exc.fix else ""
        return f"⚠️ {as_text(redact_paths(exc.message))}" + fix
    log.error("unexpected error in a UI handler", exc_info=exc)
    return f"⚠️ Something went wrong ({type(exc).__name__}). Your work so far is saved; try again."


def format_sources(passages: list[Passage]) -> str:
    """Markdown for the Sources panel: the cited notes and the passage used."""
    if not passages:
        return "_No guidance passage matched; the answer is general advice._"
    lines = ["**Sources**"]
    for i, p in enumerate(passages, 1):  # uploaded documents are shown as text, never rendered
        section = "" if p.section in ("", p.title) else f" — {as_text(p.section)}"
        excerpt = p.text if len(p.text) <= 300 else p.text[:300].rsplit(" ", 1)[0] + " …"
        quoted = "\n".join(f"> {line}" if line else ">" for line in as_text(excerpt).splitlines())
        source = p.source.replace("`", "'")
        lines.append(f"\n**[{i}] {as_text(p.title)}**{section}  \n`{source}`\n\n{quoted}")
    return "\n".join(lines)


def model_history(store, user_id: str, conversation_id: str | None) -> list[Turn]:
    """Earlier turns as the model saw them (user messages with their passages), from the store.

    Only finished exchanges count: an interrupted or failed answer is not fed back to the model.
    """
    if not conversation_id:
        return []
    turns: list[Turn] = []
    pending: Turn | None = None
    for m in store.messages(conversation_id, user_id):
        if m["role"] == "user":
            pending = Turn("user", m["meta"].get("sent") or m["content"])
        elif pending is not None and m["status"] == "complete":
            turns += [pending, Turn("assistant", m["content"])]
            pending = None
    return turns


# Ask -----------------------------------------------------------------------------------------


def ask_turn(
    deps: Deps, user_id: str, conversation_id: str | None, message: str, history: History | None
) -> Iterator[tuple[History, str, str | None]]:
    """Stream one answer. Yields (history, sources markdown, conversation id).

    The question is stored before generation starts and the answer is stored as it streams
    (status `partial`), so a crash or a Stop keeps what was written.
    """
    store = deps.store()
    history = list(history or [])
    if not (message or "").strip():
        history.append({"role": "assistant", "content": "⚠️ Type a question first."})
        yield history, "", conversation_id
        return
    if conversation_id is not None and not store.messages(conversation_id, user_id):
        conversation_id = None  # not this user's (or gone): a new conversation
    if conversation_id is None:
        conversation_id = store.create_conversation(user_id, "ask", message.strip()[:80])
    earlier = model_history(store, user_id, conversation_id)
    question_id = store.add_message(conversation_id, user_id, "user", message)
    history.append({"role": "user", "content": message})
    answer = {"role": "assistant", "content": ""}
    history.append(answer)
    message_id = store.add_message(conversation_id, user_id, "assistant", "", status="partial")
    sources, saved_at = "", time.monotonic()
    try:
        settings = deps.settings
        stream = ask(
            message,
            deps.model(),
            deps.knowledge_base(),
            history=earlier,
            user_id=user_id,
            k=settings.retrieval_k,
            token_budget=settings.context_token_budget,
            context_size=settings.context_size,
            max_tokens=settings.max_tokens,
        )
        store.update_message(question_id, user_id, message, "complete", {"sent": stream.sent})
        sources = format_sources(stream.sources)
        meta = {"sources": [p.to_dict() for p in stream.sources]}
        if stream.notices:
            answer["content"] = "".join(f"_{n}_\n\n" for n in stream.notices)
        yield history, sources, conversation_id
        for chunk in stream.chunks:
            answer["content"] += chunk
            if time.monotonic() - saved_at > SAVE_EVERY:
                store.update_message(message_id, user_id, answer["content"], "partial", meta)
                saved_at = time.monotonic()
            yield history, sources, conversation_id
        store.update_message(message_id, user_id, answer["content"], "complete", meta)
    except Exception as exc:  # shown in the chat, never as a stack trace
        note = error_text(exc)
        answer["content"] = (answer["content"] + "\n\n" if answer["content"] else "") + note
        store.update_message(message_id, user_id, answer["content"], "error")
        yield history, sources, conversation_id


def retry_last(
    deps: Deps, user_id: str, conversation_id: str | None, history: History | None
) -> Iterator[tuple[History, str, str | None]]:
    """Ask the last question again (after an error, a Stop or a poor answer)."""
    history = list(history or [])
    last_user = next(
        (i for i in range(len(history) - 1, -1, -1) if history[i]["role"] == "user"), None
    )
    if last_user is None:
        yield history, "", conversation_id
        return
    question = message_text(history[last_user]["content"])
    yield from ask_turn(deps, user_id, conversation_id, question, history[:last_user])


def message_text(content) -> str:
    """A chat message's text: Gradio 6's chatbot hands content back as a list of parts."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""


# History -------------------------------------------------------------------------------------

KIND_LABELS = {
    "ask": "Ask",
    "clarify": "Goal",
    "outreach": "Outreach",
    "rehearse": "Rehearsal",
    "prepare": "Meeting prep",
}


def history_choices(deps: Deps, user_id: str) -> list[tuple[str, str]]:
    rows = deps.store().list_conversations(user_id)
    return [
        (
            f"{KIND_LABELS.get(r['kind'], r['kind'])} · {r['title']} · {r['updated_at']:%d %b %H:%M}",
            r["id"],
        )
        for r in rows
    ]


def load_conversation(deps: Deps, user_id: str, conversation_id: str | None) -> tuple[History, str]:
    """A stored conversation as chat messages; interrupted answers are marked."""
    if not conversation_id:
        return [], ""
    history: History = []
    sources = ""
    for m in deps.store().messages(conversation_id, user_id):
        content = m["content"]
        if m["status"] == "partial":
            content += "\n\n_(interrupted: this answer was cut off; press Retry to ask again)_"
        history.append({"role": m["role"], "content": content})
        if m["meta"].get("sources"):
            sources = format_sources([Passage(**p) for p in m["meta"]["sources"]])
    return history, sources


def delete_conversation(deps: Deps, user_id: str, conversation_id: str | None) -> str:
    if conversation_id and deps.store().delete_conversation(conversation_id, user_id):
        return "Conversation deleted."
    return "Choose a conversation to delete."


def delete_all_data(deps: Deps, user_id: str) -> str:
    """Uploads and their vectors first: if the vector store is down, nothing is deleted and the
    user is told, rather than a half-done deletion reported as done. Then the stored work, with
    the database's free pages wiped (see Store.delete_user)."""
    try:
        deps.knowledge_base().delete_user_data(user_id)
    except MentorPrepError as exc:
        return error_text(exc) + "\n\nNothing was deleted; try again."
    deps.store().delete_user(user_id)
    return "All your conversations, saved work and uploaded documents were deleted."


# Documents -----------------------------------------------------------------------------------


def upload_documents(
    deps: Deps,
    user_id: str,
    paths: list[str] | None,
    progress=None,
    temp_root: Path | None = None,
) -> str:
    """Add uploaded files to the user's private collection; one message per file. The copies
    Gradio kept of the uploads (under `temp_root`, its temporary folder) are deleted once read:
    the knowledge base keeps its own."""
    if not paths:
        return "Choose one or more .md, .txt or .pdf files."
    try:
        kb = deps.knowledge_base()
    except MentorPrepError as exc:  # e.g. the Chroma server is down: nothing was added
        _discard(paths, temp_root)
        return error_text(exc)
    lines = []
    try:
        for i, path in enumerate(paths):
            name = Path(path).name
            if progress:
                progress((i, len(paths)), desc=f"Adding {name}")
            try:
                report = kb.add_user_document(user_id, name, read_upload(path))
                lines.append(
                    f"✅ {as_text(name)}: {report.added} passages added"
                    if report.added
                    else f"✅ {as_text(name)}: already up to date"
                )
            except MentorPrepError as exc:
                lines.append(f"❌ {as_text(exc.message)}" + (f" ({exc.fix})" if exc.fix else ""))
    finally:
        _discard(paths, temp_root)
    docs = [as_text(doc) for doc in kb.user_documents(user_id)]
    lines.append("\nYour documents: " + (", ".join(docs) if docs else "none yet"))
    return "\n".join(lines)


def read_upload(path: str | Path) -> bytes:
    """An upload's bytes; its size is checked before it is read."""
    from assistant.services.documents import MAX_UPLOAD_BYTES, too_large

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise too_large(path.name, size)
    return path.read_bytes()


def _discard(paths: list[str], temp_root: Path | None) -> None:
    """Delete Gradio's copies of uploads (each in a folder of its own, named by its hash); only
    files inside `temp_root`, whatever path a client managed to send."""
    root = temp_root.resolve() if temp_root else None
    for path in (Path(p).resolve() for p in paths):
        if root is None or not path.is_relative_to(root) or path.parent == root:
            continue
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # only when empty


# Prep pack -----------------------------------------------------------------------------------


def prep_pack(deps: Deps, user_id: str) -> str:
    """The prep pack as Markdown (the web app serves it as a file from memory: nothing is
    written to disk)."""
    from assistant.services.coaching.prep_pack import build_prep_pack

    return build_prep_pack(deps.store(), user_id)
