"""Screening third-party text by meaning before a workflow's model reads it.

The phrase neutraliser (prompts.py) knows English phrasings ("ignore previous instructions",
"note to the AI"); a request put politely, addressed to "whoever drafts this" or written in
German passes it. Here the model itself, in a narrow task of its own (label each numbered
sentence; JSON with sentence numbers only), marks the sentences of a pasted text that ask its
reader or writer to do something, in any language, and they are replaced by a marker. The task
cannot be talked into writing anything else: its answer is a list of numbers from a schema.
"""

from __future__ import annotations

import logging
import re

from assistant import prompts
from assistant.components.llm import Model, Prompt
from assistant.errors import BackendUnavailable
from assistant.text.sentences import split

log = logging.getLogger(__name__)

REMOVED = "[request removed]"
MAX_SENTENCES = 60  # at most this many sentences are screened in one call


def sentences_to_screen(text: str) -> list[str]:
    """The sentences of `text`, in order, a wrapped line joined to the sentence it goes on
    (text/sentences.py; a blank line ends one)."""
    return [s.text for s in split(_joined(text)) if len(s.text) > 1]


def schema(count: int) -> dict:
    """One label per numbered sentence, in order: the model must look at each one."""
    label = {"type": "string", "enum": ["describes", "asks"]}
    return {
        "type": "object",
        "properties": {
            "labels": {"type": "array", "items": label, "minItems": count, "maxItems": count}
        },
        "required": ["labels"],
    }


def _marked(found: list[str], model: Model) -> set[int] | None:
    """Indexes (0-based) of the sentences the model marks as asking the reader to act; None
    when it could not answer."""
    messages = prompts.chat("screen", sentences=[prompts.fence(s) for s in found])
    try:
        data = model.complete_json(
            Prompt(messages, schema=schema(len(found)), max_tokens=120, temperature=0.0)
        )
    except BackendUnavailable as exc:
        log.info("screening failed, text kept as it was: %s", exc.message)
        return None
    labels = data.get("labels", []) if isinstance(data, dict) else []
    return {i for i, label in enumerate(labels[: len(found)]) if label == "asks"}


def _joined(text: str) -> str:
    """`text` with each wrapped line joined to the one before (same length, same positions)."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text or "")


def screen(text: str, model: Model) -> str:
    """`text` (wrapped lines joined) with every sentence that asks its reader or writer to do
    something replaced by REMOVED. When the model cannot answer, nothing is removed (the fence,
    the neutraliser and the output guard still apply)."""
    return screen_all([text], model)[0]


_SCREENED: dict[str, str] = {}  # text -> screened text, for passages retrieved again
_CACHE_SIZE = 512


def screen_all(texts: list[str], model: Model) -> list[str]:
    """Each text screened, with one model call for all the sentences of the texts not screened
    before in this process (retrieved passages come back often)."""
    todo = [t for t in dict.fromkeys(texts) if t.strip() and t not in _SCREENED]
    owners: list[tuple[str, str]] = []  # (text, sentence) in the order they are numbered
    for text in todo:
        owners += [(text, s) for s in sentences_to_screen(text)]
    owners = owners[:MAX_SENTENCES]
    marked = _marked([s for _, s in owners], model) if owners else set()
    if marked is not None:
        screened = {t: _joined(t) for t in todo}
        for i in sorted(marked):
            text, sentence = owners[i]
            screened[text] = screened[text].replace(sentence, REMOVED)
        if len(_SCREENED) + len(screened) > _CACHE_SIZE:
            _SCREENED.clear()
        _SCREENED.update(screened)
        if marked:
            log.info("screening removed %d sentence(s) that ask the reader to act", len(marked))
    return [_SCREENED.get(t, t) for t in texts]
