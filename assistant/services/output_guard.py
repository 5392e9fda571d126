"""What the model writes is checked before anyone sees it.

Two dangers, both from text the model was only asked to read (a pasted bio, an uploaded
document, a poisoned note) or from a user fishing for the prompt:
- leaking the instructions: the output carries the canary planted in every system prompt,
  repeats a run of words from one, or restates their rules in other words (leak_meaning.py:
  sentence embeddings compared with the prompts' confidential sentences);
- exfiltration: a Markdown/HTML image or link whose address could carry the user's data out
  when the page renders it (images load by themselves) or the user clicks it.

Images are always removed; links and bare addresses are removed unless the user typed that
exact address themselves (`allowed_urls`). E-mail addresses are always removed: MentorPrep's
advice never needs one (the code writes a draft's sign-off), and "send your review to …" is
how an injected request gets the user to mail their data out. Streams hold back a tail that could still become a
leak or a link (an unfinished word, an open bracket, words that begin a run of a system
prompt), so nothing is shown before the check can see it, and no more is delayed than that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.prompts import CANARY
from assistant.services.leak_meaning import Watch, leaks_meaning
from assistant.text.sentences import complete_end

LEAK_RUN_WORDS = 8  # this many consecutive words of a system prompt count as a leak
WITHHELD = "⚠️ The rest of this answer was withheld: it repeated MentorPrep's internal instructions."

_URL = r"(?:[a-z][a-z0-9+.-]*:|www\.)[^\s<>()\[\]]*"
_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*([^)\s]*)[^)]*\)")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*([^)\s]*)[^)]*\)")
_MD_REFERENCE = re.compile(r"^\s*\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE)
_HTML_MEDIA = re.compile(
    r"<\s*(img|image|iframe|script|object|embed|video|audio|source|link|svg|style)\b[^>]*>"
    r"(?:.*?<\s*/\s*\1\s*>)?",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANCHOR = re.compile(r"<\s*a\b[^>]*>(.*?)<\s*/\s*a\s*>", re.IGNORECASE | re.DOTALL)
_PAIRED_OPEN = re.compile(r"<\s*(a|script|iframe|object|svg|style|video|audio)\b[^>]*>", re.I)
# style (CSS url() loads images) and on* (script) attributes on any tag that survives
_RISKY_ATTRIBUTE = re.compile(
    r"""(<[^>]*?)\s(?:style|on\w+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE
)
# not after "(" (a Markdown link's target, handled above); after "[" it is still an address:
# "[https://x.example/?q=]text" is no link syntax and was shown as it was
_BARE_URL = re.compile(r"(?<![\w(])(?:https?://|ftp://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9']+")


@dataclass
class Checked:
    text: str
    withheld: bool = False  # the output leaked the instructions
    removed: list[str] = field(default_factory=list)  # "image", "link", "html", "email"


def urls_in(*texts: str) -> set[str]:
    """Addresses the user typed: links to these may stay in an answer. Not one with a query or
    a fragment: that is how a link carries data out (`…/collect?u=`), typed or not."""
    found: set[str] = set()
    for text in texts:
        for url in re.findall(_URL, text or "", flags=re.IGNORECASE):
            url = url.rstrip(".,;:!?'\"")
            if ("://" in url or url.lower().startswith("www.")) and not re.search(r"[?#]", url):
                found.add(url)
    return found


def is_instructions(stem: str) -> bool:
    """Whether a prompt file is instructions a leak would repeat: the system prompts, the
    counterpart's, and the reminder after the data in every user prompt."""
    return stem.endswith("_system") or stem in ("rehearsal_counterpart", "data_reminder")


@lru_cache(maxsize=1)
def _instruction_runs() -> frozenset[tuple[str, ...]]:
    """Every run of LEAK_RUN_WORDS words in the system prompts (template syntax removed)."""
    from assistant.prompts import PROMPTS_DIR

    runs: set[tuple[str, ...]] = set()
    for path in PROMPTS_DIR.glob("*.md"):
        if not is_instructions(path.stem):
            continue
        text = re.sub(r"\{[{%#].*?[}%#]\}", " ", path.read_text(encoding="utf-8"))
        words = _WORD.findall(text.lower())
        runs.update(
            tuple(words[i : i + LEAK_RUN_WORDS]) for i in range(len(words) - LEAK_RUN_WORDS + 1)
        )
    return frozenset(runs)


def leaks_instructions(text: str) -> bool:
    """True when `text` carries the canary or repeats a run of a system prompt."""
    if CANARY.lower() in text.lower():
        return True
    words = _WORD.findall(text.lower())
    runs = _instruction_runs()
    return any(
        tuple(words[i : i + LEAK_RUN_WORDS]) in runs for i in range(len(words) - LEAK_RUN_WORDS + 1)
    )


def check_output(text: str, allowed_urls: Iterable[str] = (), meaning: bool = True) -> Checked:
    """The text as it may be shown: leaks withheld, images and foreign links removed.
    `meaning=False` skips the leak check by meaning (a stream runs it sentence by sentence)."""
    if leaks_instructions(text) or (meaning and leaks_meaning(text)):
        return Checked(WITHHELD, withheld=True)
    allowed = {u.rstrip("/") for u in allowed_urls}
    removed: list[str] = []

    def ok(url: str) -> bool:
        return url.rstrip(".,;:!?'\"/") in allowed

    def image(_: re.Match) -> str:
        removed.append("image")
        return "[image removed]"

    def link(m: re.Match) -> str:
        if ok(m.group(2)):
            return m.group(0)
        removed.append("link")
        return f"{m.group(1)} (link removed)"

    def html(m: re.Match) -> str:
        removed.append("html")
        return "[image removed]" if m.group(1).lower() in ("img", "image") else "[content removed]"

    def anchor(m: re.Match) -> str:
        removed.append("link")
        return f"{m.group(1)} (link removed)"

    def bare(m: re.Match) -> str:
        if ok(m.group(0)):
            return m.group(0)
        removed.append("link")
        return "(link removed)"

    while (stripped := _RISKY_ATTRIBUTE.sub(r"\1", text)) != text:
        removed.append("html")
        text = stripped
    text = _HTML_MEDIA.sub(html, text)
    text = _HTML_ANCHOR.sub(anchor, text)
    text = _MD_IMAGE.sub(image, text)
    text = _MD_LINK.sub(link, text)
    text = _MD_REFERENCE.sub(lambda m: removed.append("link") or "(link removed)", text)
    text = _BARE_URL.sub(bare, text)
    text = _EMAIL.sub(lambda m: removed.append("email") or "(e-mail address removed)", text)
    return Checked(text, removed=removed)


@lru_cache(maxsize=1)
def _run_prefixes() -> frozenset[tuple[str, ...]]:
    return frozenset(run[:n] for run in _instruction_runs() for n in range(1, LEAK_RUN_WORDS))


def _held_back(raw: str) -> str:
    """`raw` without a tail that may still turn into a leak or a link: the unfinished last
    word, an unclosed `[`, `![` or `<`, and trailing words that begin a run of a system prompt."""
    raw = _without_open_markup(raw)
    words = list(_WORD.finditer(raw.lower()))
    prefixes = _run_prefixes()
    for j in range(max(0, len(words) - LEAK_RUN_WORDS + 1), len(words)):
        if tuple(w.group(0) for w in words[j:]) in prefixes:
            return _without_open_markup(raw[: _token_start(raw, words[j].start() + 1)])
    return raw


def _without_open_markup(raw: str) -> str:
    while True:
        if raw and not raw[-1].isspace():  # the last word may be unfinished
            raw = raw[: _token_start(raw, len(raw))]
            continue
        bracket = raw.rfind("[")
        if bracket >= 0 and not re.match(r"\[[^\]\n]*\](?:\([^)]*\)|[^(:])", raw[bracket:]):
            raw = raw[: bracket - 1 if raw[bracket - 1 : bracket] == "!" else bracket]
            continue
        angle = raw.rfind("<")
        if angle >= 0 and ">" not in raw[angle:]:
            raw = raw[:angle]
            continue
        opened = list(_PAIRED_OPEN.finditer(raw))
        if opened and not re.search(
            rf"<\s*/\s*{opened[-1].group(1)}\s*>", raw[opened[-1].end() :], re.I
        ):
            raw = raw[: opened[-1].start()]  # e.g. <a href=…>text: its closing tag is to come
            continue
        return raw


def _token_start(raw: str, end: int) -> int:
    """Where the whitespace-separated token that contains position `end - 1` starts."""
    return max(raw.rfind(" ", 0, end), raw.rfind("\n", 0, end), raw.rfind("\t", 0, end)) + 1


def _complete_sentences(text: str) -> str:
    """`text` up to the end of its last complete sentence."""
    return text[: complete_end(text)]


def guard_stream(chunks: Iterator[str], allowed_urls: Iterable[str] = ()) -> Iterator[str]:
    """Yield the checked text of a stream as it grows, holding back its last few words.

    A leak stops the stream (the model is not asked for more) and ends it with a notice. Once
    a sentence resembles a confidential rule of the prompts, only complete sentences are shown,
    so the sentence that would make it a leak is never shown.
    """
    allowed = tuple(allowed_urls)
    raw, shown = "", ""
    watch = Watch()
    try:
        try:
            for chunk in chunks:
                raw += chunk
                watch.feed(raw)
                if leaks_instructions(raw) or watch.leaked:
                    yield ("\n\n" if shown else "") + WITHHELD
                    return
                held = _held_back(raw)
                if watch.suspicious:
                    held = _complete_sentences(held)
                visible = check_output(held, allowed, meaning=False).text
                if visible.startswith(shown) and len(visible) > len(shown):
                    yield visible[len(shown) :]
                    shown = visible
        except Exception:  # the backend failed: show what it wrote (checked), then the error
            final = check_output(raw, allowed)
            if not final.withheld and final.text.startswith(shown):
                yield final.text[len(shown) :]
            raise
        watch.feed(raw, complete=True)
        final = check_output(raw, allowed, meaning=False)
        if final.withheld or watch.leaked:
            yield ("\n\n" if shown else "") + WITHHELD
        elif final.text.startswith(shown):
            yield final.text[len(shown) :]
        else:  # a link longer than the hold-back was cut after its start was shown
            yield "\n\n(A link in this answer was removed.)"
    finally:
        close = getattr(chunks, "close", None)
        if close:
            close()


def check_data(data: object, allowed_urls: Iterable[str] = ()) -> tuple[object, bool]:
    """Every string in a model's JSON answer checked; (the data as it may be shown, leaked).
    The leak check by meaning reads all the strings together: a leak may be spread over
    several fields (one rule per 'first step')."""
    leaked = False
    strings: list[str] = []

    def walk(value: object) -> object:
        nonlocal leaked
        if isinstance(value, str):
            strings.append(value)
            checked = check_output(value, allowed_urls, meaning=False)
            leaked = leaked or checked.withheld
            return checked.text
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    shown = walk(data)
    return shown, leaked or leaks_meaning("\n".join(strings))
