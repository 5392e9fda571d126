"""Health checks for `mentorprep doctor`: each says what is wrong and how to fix it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from assistant.errors import MentorPrepError
from assistant.settings import Settings, get_settings


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _run(name: str, fn: Callable[[], str]) -> Check:
    try:
        return Check(name, True, fn())
    except MentorPrepError as exc:
        return Check(name, False, exc.message, exc.fix)
    except Exception as exc:  # a check must report, never crash the doctor
        return Check(name, False, f"{type(exc).__name__}: {exc}")


def _model_file(settings: Settings) -> str:
    from assistant.components.model_files import MODELS, resolve_model_file, verify_model

    spec = MODELS.get(settings.model)
    if spec is None:
        return f"{resolve_model_file(settings.model, settings.models_dir)} (a GGUF file)"
    path = verify_model(spec, settings.models_dir)
    return f"{spec.title} at {path}, sha256 verified"


def _embeddings() -> str:
    from assistant.components.embeddings import get_embeddings

    vector = get_embeddings().embed(["a mentor helps you grow"])[0]
    return f"all-MiniLM-L6-v2 (ONNX) gives {vector.shape[0]}-dimensional vectors"


def _tokens() -> str:
    from assistant.components.tokens import count_tokens

    n = count_tokens("mentorship")
    return f"cl100k_base offline ({n} token{'s' if n != 1 else ''} for 'mentorship')"


def _index() -> str:
    from assistant.services.knowledge_base import get_knowledge_base

    size = get_knowledge_base().knowledge_size()
    if size == 0:
        raise MentorPrepError("The knowledge index is empty.", fix="run `mentorprep ingest`")
    return f"{size} knowledge chunks indexed"


def _backend(settings: Settings) -> str:
    from assistant.components.llm import Prompt, get_model

    model = get_model(settings)
    reply = model.complete(
        Prompt([{"role": "user", "content": "Say OK."}], max_tokens=4, temperature=0.0)
    )
    return f"{settings.backend} backend answered ({model.name}: {reply.strip()[:20]!r})"


def run_checks(settings: Settings | None = None) -> Iterator[Check]:
    """Yield each check as it completes."""
    settings = settings or get_settings()
    yield Check("settings", True, f"backend={settings.backend}, data home {settings.home}")
    if settings.backend == "local":
        model_check = _run("model file", lambda: _model_file(settings))
        yield model_check
    yield _run("embedding model", _embeddings)
    yield _run("tokenizer", _tokens)
    yield _run("knowledge index", _index)
    if settings.backend == "openai" or model_check.ok:
        yield _run("LLM backend", lambda: _backend(settings))
