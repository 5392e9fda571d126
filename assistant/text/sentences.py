"""The one sentence splitter: sentence spans with character positions.

A sentence ends after . ! ? (one or more, then any closing quotes or brackets) when whitespace or
the end of the text follows ("evil.example", "3.5" do not end one), after 。！？ (no space needed),
and at a line break. Not an end: "e.g." / "i.e." and a few titles ("Dr."), or a list number at
the start of a line ("1. Ask"). With `join_wrapped`, a single line break is read as a space (a
wrapped line goes on); a blank line still ends the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLOSERS = "\"'”’»」』)\\]"  # closing quotes and brackets that may follow an end mark
_END = re.compile(rf"[.!?]+[{CLOSERS}]*(?=\s|$)|[。！？]+[{CLOSERS}]*|\n")
_WRAPPED_END = re.compile(rf"[.!?]+[{CLOSERS}]*(?=\s|$)|[。！？]+[{CLOSERS}]*|\n\s*\n")
# a period after these words is not a sentence end
_ABBREVIATION = re.compile(r"(?:^|[^\w.])(?:e\.g|i\.e|cf|vs|dr|mr|mrs|ms|prof|approx)\.$", re.I)
_LIST_NUMBER = re.compile(r"\s*\d{1,2}\.")  # "1. Ask ..." at the start of a line
_MARKS = re.compile(rf"(?:[.!?。！？]+[{CLOSERS}]*)$")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text: text[start:end] == text (stripped of surrounding whitespace)."""

    start: int
    end: int  # after the end mark and its closing quotes or brackets
    text: str
    complete: bool  # ended by an end mark or a line break, not just by the end of the text

    @property
    def body_end(self) -> int:
        """Where the end mark (and the closers after it) begin; `end` when there is none."""
        m = _MARKS.search(self.text)
        return self.end - (len(m.group(0)) if m else 0)


def _is_end(text: str, m: re.Match[str]) -> bool:
    if m.group(0) != ".":
        return True
    if _ABBREVIATION.search(text[max(0, m.end() - 8) : m.end()]):
        return False
    line_start = text.rfind("\n", 0, m.start()) + 1
    return not _LIST_NUMBER.fullmatch(text, line_start, m.end())


def split(text: str, join_wrapped: bool = False) -> list[Sentence]:
    """The sentences of `text`, in order (empty ones left out)."""
    text = text or ""
    found: list[Sentence] = []
    start = 0
    for m in (_WRAPPED_END if join_wrapped else _END).finditer(text):
        if not _is_end(text, m):
            continue
        stop = m.start() if m.group(0).startswith("\n") else m.end()
        _add(found, text, start, stop, complete=True)
        start = m.end()
    _add(found, text, start, len(text), complete=False)
    return found


def _add(found: list[Sentence], text: str, start: int, stop: int, complete: bool) -> None:
    chunk = text[start:stop]
    if not chunk.strip():
        return
    begin = start + len(chunk) - len(chunk.lstrip())
    end = start + len(chunk.rstrip())
    found.append(Sentence(begin, end, text[begin:end], complete or bool(_MARKS.search(chunk))))


def sentences(text: str, join_wrapped: bool = False) -> list[str]:
    """The sentence texts of `text` (verbatim, stripped)."""
    return [s.text for s in split(text, join_wrapped)]


def complete_end(text: str) -> int:
    """Where the last complete sentence of a growing text ends (0 when none has): its end mark
    must already be followed by something (a stream may still add "5" to "3.")."""
    ends = [s.end for s in split(text) if s.complete and s.end < len(text)]
    return ends[-1] if ends else 0
