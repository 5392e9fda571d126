"""Phrase lists kept as data (assistant/text/phrases/*.txt), one meaning per file."""

from __future__ import annotations

import re
from functools import cache

from assistant.text.words import PHRASES, words

HERE = PHRASES


@cache
def phrases(name: str) -> tuple[tuple[str, ...], ...]:
    """The phrases of `name`.txt, each as its word tokens."""
    lines = (HERE / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(tuple(words(line)) for line in lines if line.strip() and not line.startswith("#"))


def found(name: str, text: str) -> list[str]:
    """The phrases of list `name` that `text` contains, as whole words."""
    tokens = " " + " ".join(words(text)) + " "
    return [" ".join(p) for p in phrases(name) if f" {' '.join(p)} " in tokens]


def has_markup(text: str) -> bool:
    """Code, a list or markdown in what should be plain speech."""
    return bool(
        re.search(r"```|^\s*(?:[-*•]|\d+[.)]|#+)\s+|\*\*|__|^\s*(?:def|class|import) ", text, re.M)
        or re.search(r"[{};]\s*$|\b\w+\(\w*\)", text, re.M)
    )


def count(name: str, text: str) -> int:
    """How many times the phrases of list `name` occur in `text` (as whole words)."""
    tokens = " " + " ".join(words(text)) + " "
    return sum(tokens.count(f" {' '.join(p)} ") for p in phrases(name))


def found_all(name: str) -> list[str]:
    """Every phrase of list `name`."""
    return [" ".join(p) for p in phrases(name)]
