"""The one place the LLM backend is chosen."""

from __future__ import annotations

import threading

from assistant.components.llm.base import Model
from assistant.settings import Settings, get_settings

_cache: dict[tuple, Model] = {}
_lock = threading.Lock()


def _key(settings: Settings) -> tuple:
    if settings.backend == "local":
        return (
            "local",
            settings.model,
            str(settings.home),
            settings.context_size,
            settings.threads,
            settings.state_cache,
        )
    return (
        "openai",
        settings.openai_base_url,
        settings.openai_model,
        settings.openai_api_key,
        settings.request_timeout,
        settings.max_retries,
    )


def get_model(settings: Settings | None = None) -> Model:
    """The model for these settings, created once per process (loading a GGUF takes seconds)."""
    settings = settings or get_settings()
    key = _key(settings)
    with _lock:
        model = _cache.get(key)
        if model is None:
            model = _cache[key] = _build(settings)
        model.temperature = settings.temperature  # type: ignore[attr-defined]
        model.max_tokens = settings.max_tokens  # type: ignore[attr-defined]
        return model


def _build(settings: Settings) -> Model:
    if settings.backend == "openai":
        from assistant.components.llm.openai_compat import OpenAICompatModel

        return OpenAICompatModel(
            settings.openai_base_url,
            settings.openai_api_key,
            settings.openai_model,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            timeout=settings.request_timeout,
            max_retries=settings.max_retries,
        )
    from assistant.components.llm.local import LocalModel
    from assistant.components.model_files import resolve_model_file

    return LocalModel(
        resolve_model_file(settings.model, settings.models_dir),
        context_size=settings.context_size,
        threads=settings.threads,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        state_cache=settings.state_cache,
    )


def clear_cache() -> None:
    with _lock:
        _cache.clear()
