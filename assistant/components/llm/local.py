"""llama.cpp in-process (llama-cpp-python). The KV cache is reused for a shared prompt prefix."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from assistant.components.llm.base import Model, Prompt, Usage
from assistant.components.llm.state_cache import SystemPromptStates
from assistant.errors import ModelNotReady


class LocalModel(Model):
    """A GGUF model run by llama.cpp in this process.

    llama-cpp-python keeps the KV cache of the previous prompt and re-evaluates only the tokens
    after the longest common prefix, so prompts are laid out stable-first (system, history, new).
    Switching workflows (system prompts) restores that workflow's saved state (state_cache.py).
    One generation runs at a time (a lock): llama.cpp contexts are not thread-safe.
    """

    def __init__(
        self,
        path: Path,
        *,
        context_size: int = 4096,
        threads: int = 2,
        temperature: float = 0.3,
        max_tokens: int = 512,
        state_cache: int = 6,
    ) -> None:
        super().__init__()
        from llama_cpp import Llama

        self.name = path.name
        self.temperature = temperature
        self.max_tokens = max_tokens
        self._lock = threading.Lock()
        try:
            self.llama = Llama(
                model_path=str(path),
                n_ctx=context_size,
                n_threads=threads,
                n_threads_batch=threads,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelNotReady(
                f"llama.cpp could not load {path}: {exc}",
                fix="check the file with `mentorprep doctor`; set MENTORPREP_MODEL=default or small",
            ) from exc
        self.states = SystemPromptStates(self.llama, state_cache)

    @property
    def context_size(self) -> int:
        return self.llama.n_ctx()

    def count_tokens(self, text: str) -> int:
        return len(self.llama.tokenize(text.encode(), add_bos=False, special=True))

    def _perf(self) -> tuple[int, int]:
        """llama.cpp's own counters: (prompt tokens evaluated, tokens generated) so far."""
        import llama_cpp

        data = llama_cpp.llama_perf_context(self.llama._ctx.ctx)  # noqa: SLF001
        return data.n_p_eval, data.n_eval

    def execute(self, prompt: Prompt) -> Iterator[str]:
        kwargs: dict = {"repeat_penalty": 1.1}  # small models loop without it
        if prompt.schema is not None:
            # a grammar built from the schema; no repeat penalty: JSON repeats quotes and braces
            kwargs = {"response_format": {"type": "json_object", "schema": prompt.schema}}
        if prompt.explore:
            kwargs |= {"top_k": 0, "top_p": 1.0, "min_p": 0.0}
        with self._lock:
            self.last_prompt = prompt
            if prompt.messages and prompt.messages[0]["role"] == "system":
                self.states.switch_to(prompt.messages[0]["content"])
            evaluated_before, generated_before = self._perf()
            stream = self.llama.create_chat_completion(
                messages=prompt.messages,
                temperature=self.temperature if prompt.temperature is None else prompt.temperature,
                max_tokens=prompt.max_tokens or self.max_tokens,
                stop=prompt.stop or None,
                seed=prompt.seed,
                stream=True,
                **kwargs,
            )
            try:
                for chunk in stream:
                    delta = chunk["choices"][0].get("delta", {}).get("content")
                    if delta:
                        yield delta
            finally:
                evaluated, generated = self._perf()
                generated -= generated_before
                self.last_usage = Usage(
                    prompt_tokens=max(self.llama.n_tokens - generated, 0),
                    completion_tokens=generated,
                    prompt_tokens_evaluated=evaluated - evaluated_before,
                )
