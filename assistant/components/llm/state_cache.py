"""llama.cpp KV states kept per system prompt, so switching workflows costs no prompt work.

One llama.cpp context holds one token sequence. Without this, asking a question after drafting
an email evaluates the Ask system prompt (and the conversation) again. Before a call whose
system prompt differs from the one in the context, the context's state is saved under its
system prompt and the new one's saved state, if any, is loaded; llama-cpp-python then reuses
the longest common token prefix as usual. Only the KV cells in use are copied (about 28 kB a
token for the 1.5B model), and only when the workflow changes.
"""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np


@dataclass
class SavedState:
    data: bytes
    input_ids: np.ndarray
    n_tokens: int


class SystemPromptStates:
    """The last `capacity` contexts, one per system prompt, least recently used dropped first,
    holding at most `max_bytes` together (the newest is always kept)."""

    def __init__(self, llama, capacity: int = 6, max_bytes: int = 512 << 20) -> None:
        self.llama = llama
        self.capacity = capacity
        self.max_bytes = max_bytes  # long conversations make big states: memory stays bounded
        self.current: str | None = None
        self.states: OrderedDict[str, SavedState] = OrderedDict()

    def switch_to(self, system: str) -> None:
        """Call before a completion whose system message is `system` (under the model's lock)."""
        if self.capacity <= 0 or system == self.current:
            return
        if self.current is not None and self.llama.n_tokens > 0:
            self.states[self.current] = self._save()
            self.states.move_to_end(self.current)
            while len(self.states) > self.capacity or (
                len(self.states) > 1 and self.bytes_held > self.max_bytes
            ):
                self.states.popitem(last=False)
        state = self.states.get(system)
        if state is not None:
            self._load(state)
            self.states.move_to_end(system)
        self.current = system

    def forget(self) -> None:
        """The context was reset or cut short: what it holds belongs to no saved prompt."""
        self.current = None

    @property
    def bytes_held(self) -> int:
        return sum(len(s.data) for s in self.states.values())

    def _save(self) -> SavedState:
        import llama_cpp

        ctx = self.llama._ctx.ctx  # noqa: SLF001
        size = llama_cpp.llama_state_get_size(ctx)
        buffer = (ctypes.c_uint8 * size)()
        written = llama_cpp.llama_state_get_data(ctx, buffer, size)
        n = self.llama.n_tokens
        return SavedState(bytes(buffer[:written]), self.llama.input_ids[:n].copy(), n)

    def _load(self, state: SavedState) -> None:
        import llama_cpp

        buffer = (ctypes.c_uint8 * len(state.data)).from_buffer_copy(state.data)
        ctx = self.llama._ctx.ctx  # noqa: SLF001
        if llama_cpp.llama_state_set_data(ctx, buffer, len(state.data)) != len(state.data):
            self.llama.reset()  # an unusable state: start clean rather than from garbage
            return
        self.llama.input_ids[: state.n_tokens] = state.input_ids
        self.llama.n_tokens = state.n_tokens
        # the logits were not saved: this makes llama-cpp-python evaluate at least the prompt's
        # last token again, which recomputes them
        self.llama._requires_eval = True  # noqa: SLF001
