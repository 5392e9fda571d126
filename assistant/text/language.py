"""Which language a sentence is in (py3langid: a small n-gram model shipped in the package)."""

from __future__ import annotations

import re
from functools import lru_cache

MIN_WORDS = 6  # shorter sentences ("Ask for examples.") are too short to tell reliably
SURE = 0.9  # normalised probability above which a guess counts


@lru_cache(maxsize=1)
def _identifier():
    import py3langid.langid as langid

    return langid.LanguageIdentifier.from_modelpath(
        langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True
    )


def language_of(sentence: str) -> str | None:
    """ISO 639-1 code of the sentence's language, or None when it is too short to tell or the
    guess is unsure. Chinese, Japanese and Korean count whatever their length."""
    cjk = re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", sentence)
    if len(re.findall(r"\w+", sentence)) < MIN_WORDS and not cjk:
        return None
    language, probability = _identifier().classify(sentence)
    return language if probability >= SURE else None


def foreign_sentences(text: str, expected: str = "en") -> list[str]:
    """The sentences of `text` that are surely in another language than `expected`."""
    from assistant.text.sentences import sentences

    return [s for s in sentences(text) if language_of(s) not in (None, expected)]
