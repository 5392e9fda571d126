"""The model interface every backend implements."""

from __future__ import annotations

import json
import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.components.llm.repetition import close_json, stop_loops
from assistant.errors import BackendUnavailable

Message = dict[str, str]
log = logging.getLogger(__name__)


@dataclass
class Prompt:
    """What a model is asked: chat messages plus generation options.

    With `schema` set, the model must answer with JSON matching it (grammar-constrained locally,
    `response_format` on OpenAI-compatible servers).
    """

    messages: list[Message]
    temperature: float | None = None
    max_tokens: int | None = None
    schema: dict[str, Any] | None = None
    stop: list[str] = field(default_factory=list)
    # the sampler's seed; None lets the engine choose (llama.cpp restores the same seed with a
    # cached system prompt, so a retry needs its own to sample differently)
    seed: int | None = None
    # sample from every token the grammar allows (no top-k, top-p or min-p cut): a retry, whose
    # failed answer was often the only sentence left after the cut, said again three times
    explore: bool = False


@dataclass
class Usage:
    """Token figures for the last call, as the engine reported them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    prompt_tokens_evaluated: int | None = None  # local only: tokens not served from the KV cache


class Model(ABC):
    """A chat model. Subclasses implement `execute`, which streams text chunks.

    `last_usage`, `last_text` and `last_looped` describe the last call made in the calling thread:
    the web app serves several users at once from one model object.
    """

    name: str = "model"

    def __init__(self) -> None:
        self._calls = threading.local()

    def _last(self, key: str, default: Any) -> Any:
        return getattr(self._calls, key, default)

    @property
    def last_usage(self) -> Usage:
        return self._last("usage", None) or Usage()

    @last_usage.setter
    def last_usage(self, value: Usage) -> None:
        self._calls.usage = value

    @property
    def last_text(self) -> str:
        """The exact output of the last `complete_json`, to feed back verbatim (KV-cache reuse)."""
        return self._last("text", "")

    @last_text.setter
    def last_text(self, value: str) -> None:
        self._calls.text = value

    @property
    def last_looped(self) -> bool:
        """The last `complete` was stopped because it repeated itself."""
        return self._last("looped", False)

    @last_looped.setter
    def last_looped(self, value: bool) -> None:
        self._calls.looped = value

    @abstractmethod
    def execute(self, prompt: Prompt) -> Iterator[str]:
        """Yield the answer as it is generated. Raises BackendUnavailable on backend failure."""

    def complete(self, prompt: Prompt) -> str:
        """The whole answer as one string; an answer that starts to loop is stopped and trimmed to
        one copy of what it repeats."""
        trimmed: list[str] = []
        text = "".join(stop_loops(self.execute(prompt), on_loop=trimmed.append))
        self.last_looped = bool(trimmed)
        if trimmed:
            log.info("%s repeated itself; stopped after %d characters", self.name, len(text))
        return trimmed[0] if trimmed else text

    def complete_json(self, prompt: Prompt) -> Any:
        """Run a prompt that has a schema and parse the JSON answer."""
        if prompt.schema is None:
            raise ValueError("complete_json needs a prompt with a schema")
        text = self.complete(prompt)
        self.last_text = text  # the exact output, to feed back verbatim (KV-cache reuse)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            try:  # cut by the token limit or a loop: keep what is complete
                data, self.last_text = close_json(text)
                return data
            except ValueError:
                pass
            raise BackendUnavailable(
                f"The model returned malformed JSON ({exc.msg}): {text[:200]!r}",
                fix="retry; if it persists, raise MENTORPREP_MAX_TOKENS so the answer is not cut",
            ) from exc
