"""Degenerate output: a model that repeats itself, and JSON that was cut off.

Small models, and larger ones at low temperature, sometimes fall into a loop ("I'm excited to
learn from you. I'm excited to learn from you. ...") until they hit the token limit. Waiting for
that wastes the user's time and, for JSON answers, leaves an unclosed document. `stop_loops` ends
a stream once its tail is the same unit of text three times over; `close_json` turns the cut JSON
that remains into a usable answer where it can.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from assistant.text.sentences import split

MIN_UNIT = 16  # characters in the shortest repeated unit that counts as a loop
MAX_UNIT = 400  # ... and the longest one looked for
REPEATS = 3  # back-to-back copies of the unit before the stream is stopped
BLANK_RUN = 120  # this much trailing whitespace is a loop too (JSON grammars allow it)
CHECK_EVERY = 48  # characters of new text between checks


def loop_start(text: str) -> int | None:
    """Where a loop at the end of `text` starts to repeat: `text[:i]` keeps one copy of the unit.

    None when the text does not end in `REPEATS` back-to-back copies of a unit of
    `MIN_UNIT`..`MAX_UNIT` characters that has words in it (so rules, tables and other
    legitimately repeated punctuation do not count), nor in a long run of whitespace.
    """
    stripped = text.rstrip()
    if len(text) - len(stripped) >= BLANK_RUN:
        return len(stripped)
    n = len(text)
    for unit in range(MIN_UNIT, min(MAX_UNIT, n // REPEATS) + 1):
        tail = text[n - unit :]
        if not all(text[n - (k + 1) * unit : n - k * unit] == tail for k in range(1, REPEATS)):
            continue
        if sum(ch.isalpha() for ch in tail) < 8 or len(tail.split()) < 3:
            continue
        start = n - REPEATS * unit
        while start > 0 and text[start - 1] == text[start - 1 + unit]:
            start -= 1
        # keep one copy, ending where a sentence or line of the repeated unit ends if it can
        end = start + len(text[start : start + unit].rstrip())
        for cut in range(end, end + unit):
            if text[cut - 1] in ".!?\n":
                return cut
        return start + unit
    return None


def stop_loops(chunks: Iterator[str], on_loop=None) -> Iterator[str]:
    """Pass `chunks` through, and stop (closing the source) once the text has started to loop.

    `on_loop(text)` gets the whole text trimmed to one copy of the repeated unit.
    """
    text, checked = "", 0
    try:
        for chunk in chunks:
            yield chunk
            text += chunk
            if len(text) - checked < CHECK_EVERY:
                continue
            checked = len(text)
            if (start := loop_start(text)) is not None:
                if on_loop is not None:
                    on_loop(text[:start])
                return
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # a local model holds its lock until its generator finishes


_CUT_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{0,3})?$")
_CLOSERS = {"{": "}", "[": "]"}


def close_json(text: str) -> tuple[Any, str]:
    """Parse JSON whose end was cut off; returns (data, the closed text).

    A cut string value keeps its complete sentences; a cut key or value is dropped; open objects
    and arrays are closed. Raises ValueError when no prefix of the text makes a document.
    """
    stack: list[str] = []
    cuts: list[tuple[int, str]] = []  # (position of a ',' or an opening bracket, closers there)
    in_string = escaped = False
    string_start = 0
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string, string_start = True, i + 1
        elif ch in _CLOSERS:
            stack.append(ch)
            cuts.append((i + 1, _closing(stack)))
        elif ch in "}]":
            if not stack:
                break
            stack.pop()
        elif ch == ",":
            cuts.append((i, _closing(stack)))
    candidates = []
    if in_string:
        cut = text[string_start:]
        ends = [s.end for s in split(cut) if s.complete]
        keep = string_start + ends[-1] if ends else len(text)
        candidates.append(_CUT_ESCAPE.sub("", text[:keep]) + '"' + _closing(stack))
    else:
        candidates.append(text.rstrip().rstrip(",:") + _closing(stack))
    candidates += [text[:pos] + closers for pos, closers in reversed(cuts[-8:])]
    for candidate in candidates:
        try:
            return json.loads(candidate), candidate
        except json.JSONDecodeError:
            continue
    raise ValueError("no complete JSON document in the answer")


def _closing(stack: list[str]) -> str:
    return "".join(_CLOSERS[opener] for opener in reversed(stack))
