"""The per-workflow state cache's bookkeeping (the real save/restore is tested on the small
model in test_real_models.py)."""

import numpy as np

from assistant.components.llm.state_cache import SavedState, SystemPromptStates


class FakeLlama:
    n_tokens = 10


def states(capacity: int, max_bytes: int, size: int = 100) -> SystemPromptStates:
    cache = SystemPromptStates(FakeLlama(), capacity, max_bytes)
    cache.loaded = []
    cache._save = lambda: SavedState(b"x" * size, np.arange(10), 10)
    cache._load = lambda state: cache.loaded.append(state)
    return cache


def test_switching_saves_the_current_prompt_and_restores_the_other():
    cache = states(6, 10_000)
    cache.switch_to("ask")
    cache.switch_to("ask")  # same prompt: nothing to do
    assert cache.states == {} and cache.loaded == []
    cache.switch_to("draft")
    assert list(cache.states) == ["ask"] and cache.loaded == []
    cache.switch_to("ask")
    assert list(cache.states) == ["draft", "ask"] and len(cache.loaded) == 1


def test_the_oldest_states_go_first_by_count_and_by_bytes():
    by_count = states(2, 10_000)
    for prompt in ["a", "b", "c", "d"]:
        by_count.switch_to(prompt)
    assert list(by_count.states) == ["b", "c"]

    by_bytes = states(6, 250)
    for prompt in ["a", "b", "c", "d"]:
        by_bytes.switch_to(prompt)
    assert list(by_bytes.states) == ["b", "c"] and by_bytes.bytes_held <= 250


def test_a_capacity_of_zero_turns_it_off():
    cache = states(0, 10_000)
    cache.switch_to("a")
    cache.switch_to("b")
    assert cache.states == {} and cache.current is None
