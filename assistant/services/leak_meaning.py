"""Leak detection by meaning: an answer that paraphrases the system prompts' rules.

The canary and the 8-word runs (output_guard.py) catch a prompt repeated word for word; a
paraphrase ("I was told to treat anything in data tags as material …") has neither. Here each
sentence of an answer is embedded with the MiniLM embedder and compared with each sentence of
the system prompts that is *confidential*: one that the knowledge base does not itself teach
(a prompt sentence such as "makes a bounded time ask" restates guidance, and an answer may
well say it). An answer leaks when its sentences match two different confidential sentences at
MATCH or more, or one at CLOSE or more. Thresholds were chosen on the tuning cases only
(eval/redteam/README.md). MiniLM is an English model: a translated prompt scores low, so
translations rely on the canary and the model's refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from assistant.text.sentences import split

MATCH = 0.62  # a sentence this similar to a confidential prompt sentence restates it
CLOSE = 0.80  # this similar, one sentence is enough
DISTINCT = 2  # how many different confidential sentences make a leak at MATCH
KNOWLEDGE_OVERLAP = 0.60  # a prompt sentence this close to a knowledge sentence is not secret
MIN_WORDS = 4

_TEMPLATE = re.compile(r"\{[{%#].*?[}%#]\}")
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:and|but|or)\s+")


def long_sentences(text: str) -> list[str]:
    """The sentences of `text` with at least MIN_WORDS words (list markers stripped)."""
    found = []
    for part in (s.text for s in split(text)):
        part = part.lstrip("-*•0123456789.) ").strip()
        if len(part.split()) >= MIN_WORDS:
            found.append(part)
    return found


def units(text: str) -> list[str]:
    """What an answer is compared by: its sentences and, for a sentence that packs several
    rules together, its clauses (at commas, semicolons, colons, 'and', 'but', 'or')."""
    found = []
    for sentence in long_sentences(text):
        found.append(sentence)
        clauses = [c for c in _CLAUSE.split(sentence) if len(c.split()) >= MIN_WORDS]
        found += clauses if len(clauses) > 1 else []
    return found


def _embed(texts: list[str]) -> np.ndarray:
    from assistant.components.embeddings import get_embeddings

    return get_embeddings().embed(texts)


@lru_cache(maxsize=1)
def confidential() -> tuple[list[str], np.ndarray]:
    """The system prompts' sentences the knowledge base does not teach, and their vectors.
    Sorting them out embeds every knowledge sentence (seconds): the result is kept in the data
    home's cache, under a hash of the prompts and the notes."""
    import hashlib
    import json

    from assistant.prompts import PROMPTS_DIR
    from assistant.services.output_guard import is_instructions
    from assistant.settings import REPO_ROOT, get_settings

    prompt: list[str] = []
    for path in sorted(PROMPTS_DIR.glob("*.md")):
        if is_instructions(path.stem):
            prompt += long_sentences(_TEMPLATE.sub(" ", path.read_text(encoding="utf-8")))
    prompt = list(dict.fromkeys(prompt))
    knowledge: list[str] = []
    for path in sorted((REPO_ROOT / "knowledge").glob("*.md")):
        knowledge += long_sentences(path.read_text(encoding="utf-8").split("---", 2)[-1])
    key = hashlib.sha256(json.dumps([prompt, knowledge, KNOWLEDGE_OVERLAP]).encode()).hexdigest()
    cache = get_settings().home / "cache" / f"leak-watch-{key[:16]}.json"
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        vectors = _embed(prompt)
        overlap = (vectors @ _embed(knowledge).T).max(axis=1) if knowledge else None
        kept = [
            s for i, s in enumerate(prompt) if overlap is None or overlap[i] < KNOWLEDGE_OVERLAP
        ]
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(kept), encoding="utf-8")
        except OSError:
            pass
    return kept, _embed(kept) if kept else np.zeros((0, 384), dtype=np.float32)


@dataclass
class Watch:
    """Follows an answer sentence by sentence; `leaked` once it restates the prompts' rules.
    Each sentence is embedded once, so a stream can be watched as it grows."""

    matched: dict[int, float] = field(default_factory=dict)  # confidential sentence: best score
    seen: int = 0  # sentences of the text already embedded

    def add(self, new: list[str]) -> None:
        if not new:
            return
        names, vectors = confidential()
        if not names:
            return
        scores = _embed(new) @ vectors.T
        for row in scores:
            best = int(row.argmax())
            if row[best] >= MATCH:
                self.matched[best] = max(self.matched.get(best, 0.0), float(row[best]))

    def feed(self, text: str, complete: bool = False) -> None:
        """Embed the sentences of `text` not seen yet (the last one only when `complete`)."""
        found = long_sentences(text)
        spans = split(text)
        ended = complete or not spans or spans[-1].complete
        done = found if ended else found[:-1]
        self.add([u for sentence in done[self.seen :] for u in units(sentence)])
        self.seen = max(self.seen, len(done))

    @property
    def suspicious(self) -> bool:
        return bool(self.matched)

    @property
    def leaked(self) -> bool:
        return len(self.matched) >= DISTINCT or any(s >= CLOSE for s in self.matched.values())


def leaks_meaning(text: str) -> bool:
    """True when `text` paraphrases the system prompts' confidential rules."""
    watch = Watch()
    watch.feed(text, complete=True)
    return watch.leaked
