"""Deterministic signals in what the mentee said during a rehearsed conversation: defensiveness,
blame, hedging and over-apology to work on; questions, specific asks, thanks, acknowledgement and
next steps that worked. Pure stdlib; every quote is a verbatim substring of the user's turn.

The cues follow the knowledge notes on receiving critical feedback and asking for mentorship.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.sentences import split

# a sentence can show several kinds; the debrief quotes it once, for the first kind listed here,
# so the more telling kind comes first ("Would you be open to 30 minutes a month?" is a
# specific ask before it is a question)
KINDS = (
    "defensive",
    "blame",
    "hedging",
    "apology",
    "specific_ask",
    "question",
    "thanks",
    "acknowledge",
    "next_step",
)
POSITIVE_KINDS = frozenset({"question", "specific_ask", "thanks", "acknowledge", "next_step"})
NEGATIVE_KINDS = frozenset({"defensive", "blame", "hedging", "apology"})


@dataclass
class Signal:
    kind: str  # one of KINDS
    positive: bool
    quote: str  # verbatim substring of user_turns[turn]: the sentence containing the cue
    turn: int  # index into the list of user turns
    advice: str  # one sentence: what to do instead (negative) or why it worked (positive)


ADVICE: dict[str, str] = {
    "defensive": (
        "Hold the explanation for now: paraphrase what you heard and ask for an example first."
    ),
    "blame": "Talk about what you saw and what you'll do next, not about who failed you.",
    "hedging": "Say what you want plainly; softeners make a clear ask sound optional.",
    "apology": "One apology is plenty; thank them for their time instead of apologising again.",
    "question": "An open question invites specifics and shows you want to understand.",
    "specific_ask": "A concrete ask tells them exactly what you need, so it is easy to say yes to.",
    "thanks": "Thanking them shows you value their time and what they said, which keeps them open.",
    "acknowledge": "Acknowledging their view first shows you listened before responding.",
    "next_step": "Naming a next step shows you'll act on it and gives you a reason to follow up.",
}

_APOS = "['’]"


def thanked(text: str) -> bool:
    """Whether `text` thanks the other person ("thank you", "I've really valued these months")."""
    return bool(_CUES["thanks"].search(text))


def _rx(*patterns: str) -> re.Pattern[str]:
    """Case-insensitive alternation. In a pattern, ' is an optional apostrophe (straight or curly:
    "thats" counts as "that's") and ~ a required one ("I'll", never the word "ill")."""
    body = "|".join(p.replace("'", _APOS + "?").replace("~", _APOS) for p in patterns)
    return re.compile(rf"\b(?:{body})(?![\w'’])", re.IGNORECASE)


_CUES: dict[str, re.Pattern[str]] = {
    "defensive": _rx(
        r"but\s+I",
        r"that's\s+not\s+fair",
        r"that's\s+not\s+true",
        r"that\s+is\s+not\s+(?:fair|true)",
        r"you\s+don't\s+understand",
        r"you\s+do\s+not\s+understand",
        r"I\s+already",
        r"I've\s+already",
        r"actually,?\s+I",
        r"I\s+was\s+just(?!\s+(?:wondering|curious|checking))",
        r"not\s+my\s+fault",
        r"(?:wasn't|isn't|it's\s+not|it\s+was\s+not)\s+my\s+fault",
        r"(?:yes|yeah),?\s+but",
    ),
    "blame": _rx(
        r"they\s+never",
        r"(?:my|the)\s+(?:manager|boss|lead|team|pm|client)\s+never",
        r"because\s+of\s+them",
        r"(?:it|that)\s+(?:was|is|'s)\s+(?:his|her|their|[\w]+'s)\s+fault",
        r"nobody\s+told\s+me",
        r"no\s+one\s+told\s+me",
        r"they\s+didn't\s+give\s+me",
        r"they\s+did\s+not\s+give\s+me",
    ),
    "hedging": _rx(
        r"I\s+guess",
        r"(?<!\bwhat\s)(?<!\bwhich\s)(?<!\bthis\s)(?<!\bthat\s)(?<!\bthe\s)(?<!\ba\s)(?<!\bany\s)"
        r"(?<!\bsome\s)(?<!\bsame\s)(?:sort|kind)\s+of",
        r"I\s+think\s+maybe",
        r"maybe",
        r"perhaps",
        r"just\s+wondering",
        r"if\s+it's\s+not\s+too\s+much\s+trouble",
        r"I'm\s+not\s+sure\s+but",
        r"I\s+don't\s+know\s+if",
    ),
    "thanks": _rx(
        r"thank\s+you",
        r"thanks",
        r"thx",
        r"I\s+(?:really\s+)?appreciate",
        r"I'm\s+(?:really\s+|very\s+)?grateful",
        r"I(?:~ve)?\s+(?:really\s+|always\s+)?(?:valued|appreciated)",
        r"(?:are|is|were|was)\s+the\s+reason\s+I",  # "the mock trials you ran are the reason I …"
        r"I\s+owe\s+you",
        r"made\s+(?:a\s+(?:real\s+|big\s+)?|all\s+the\s+)difference",
    ),
    "acknowledge": _rx(
        r"that's\s+fair",
        r"that\s+is\s+fair",
        r"fair\s+point",
        r"good\s+point",
        r"you're\s+right",
        r"you\s+are\s+right",
        r"I\s+hear\s+you",
        r"I\s+see\s+what\s+you\s+mean",
        r"that\s+makes\s+sense",
        r"point\s+taken",
    ),
    "next_step": _rx(
        r"I\s+will",
        r"I~ll",
        r"I'm\s+going\s+to",
        r"I\s+plan\s+to",
        r"next\s+steps?",
        r"by\s+next\s+week",
        r"follow(?:ing)?(?:\s+|-)?up",
        r"come\s+back\s+to\s+you",
        r"get\s+back\s+to\s+you",
    ),
    "specific_ask": _rx(
        r"(?:\d+|fifteen|twenty|thirty|forty-five|sixty)[\s-]*(?:minutes?|mins?)",
        r"(?:an|one|half\s+an)\s+hour",
        r"(?:once|twice)\s+(?:a|per|every)\s+(?:week|month|quarter|fortnight)",
        r"every\s+(?:other\s+week|two\s+weeks|few\s+weeks|month|quarter)",
        r"(?:could|can)\s+we\s+(?:meet|set\s+up|schedule|book|find\s+time)",
        r"would\s+you\s+be\s+(?:willing|open)\s+to",
        r"what\s+would\s+it\s+take",
        r"(?:can|could|would)\s+you\s+(?:give|show)\s+me\s+(?:an|one|a\s+specific|a\s+concrete)"
        r"\s+example",
        r"(?:can|could|would)\s+you\s+walk\s+me\s+through",
        r"(?:can|could|would)\s+you\s+(?:review|look\s+at|introduce\s+me)",
    ),
}

_SORRY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies)\b", re.IGNORECASE)
_STRONG_SORRY = _rx(
    r"(?:so|really|very)\s+sorry\s+(?:to\s+bother|for\s+bothering)",
    r"sorry\s+to\s+bother\s+you\s+again",
    r"sorry\s+sorry",
)

_OPEN_QUESTION = re.compile(
    r"^(?:(?:so|and|ok|okay|then|also|well|but|right)\b[\s,]*)?"
    r"(?:what|how|which|when|where|who|could\s+you|would\s+you|can\s+you|could\s+we|can\s+we)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:—–]|\s-\s")


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence with a letter or digit in it, verbatim offsets."""
    return [(s.start, s.end) for s in split(text) if any(ch.isalnum() for ch in s.text)]


def sentence_texts(text: str) -> list[str]:
    """The sentences of a turn, verbatim (the units the signals and the debrief quote)."""
    return [text[start:end] for start, end in _sentences(text)]


def _is_open_question(sentence: str) -> bool:
    if not sentence.rstrip().endswith("?"):
        return False
    # "That makes sense, how would you approach it?" -> check each clause start.
    clauses = [sentence, *(_CLAUSE_BREAK.split(sentence)[1:])]
    return any(_OPEN_QUESTION.match(c.strip().lstrip("\"'“‘(")) for c in clauses)


def analyse(user_turns: list[str]) -> list[Signal]:
    """Signals in the user's turns, in order of turn, then sentence, then KINDS order."""
    signals: list[Signal] = []
    sorry_seen = 0
    for turn, text in enumerate(user_turns):
        text = text or ""
        for start, end in _sentences(text):
            sentence = text[start:end]
            kinds = [kind for kind, cue in _CUES.items() if cue.search(sentence)]
            sorries = len(_SORRY.findall(sentence))
            if sorries and (sorry_seen >= 1 or sorries >= 2 or _STRONG_SORRY.search(sentence)):
                kinds.append("apology")
            sorry_seen += sorries
            if _is_open_question(sentence):
                kinds.append("question")
            for kind in KINDS:
                if kind in kinds:
                    signals.append(
                        Signal(
                            kind=kind,
                            positive=kind in POSITIVE_KINDS,
                            quote=sentence,
                            turn=turn,
                            advice=ADVICE[kind],
                        )
                    )
    return signals


# --------------------------------------------------------------------------- rewrites

_HEDGE_STRIP = re.compile(
    r"\b(?:I\s+think\s+maybe|I\s+guess|I\s+was\s+(?:just\s+)?wondering\s+(?:if|whether)"
    r"|I\s+wonder\s+(?:if|whether)|just\s+wondering(?:\s+if|\s+whether)?|maybe|perhaps|sort\s+of"
    r"|kind\s+of|if\s+it['’]?s\s+not\s+too\s+much\s+trouble|I['’]?m\s+not\s+sure\s+but"
    r"|I\s+don['’]?t\s+know\s+if)\b",
    re.IGNORECASE,
)
# After "I was wondering if" goes: "you'd be open to..." -> "Would you be open to...".
_YOU_WOULD = re.compile(r"^you(?:['’]d|\s+would)\s+", re.IGNORECASE)
_YOU_COULD = re.compile(r"^you\s+could\s+", re.IGNORECASE)
_SORRY_STRIP = re.compile(
    r"\b(?:I['’]?m\s+)?(?:so\s+|really\s+|very\s+)?(?:sorry|apologies)(?:\s+sorry)*"
    r"(?:\s+(?:to\s+bother\s+you|for\s+bothering\s+you|about\s+that|for\s+asking)(?:\s+again)?)?"
    r"|\bI\s+apologi[sz]e\b",
    re.IGNORECASE,
)


def _tidy(text: str) -> str:
    """Clean up after removing words: spaces, doubled or leading punctuation, capital letter."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"[,;:]\s*([.!?])", r"\1", text)
    text = text.strip(" ,;:-—–")
    return text[:1].upper() + text[1:] if text else text


def _strip_cues(quote: str, pattern: re.Pattern[str]) -> str | None:
    cleaned = _tidy(pattern.sub(" ", quote))
    return cleaned if len(re.findall(r"[A-Za-z]+", cleaned)) >= 3 else None


def suggest_rewrite(signal: Signal) -> str | None:
    """A 'try saying instead' line for a negative signal; None for a positive one."""
    if signal.positive or signal.kind not in NEGATIVE_KINDS:
        return None
    if signal.kind == "hedging":
        plain = _strip_cues(signal.quote, _HEDGE_STRIP)
        if plain:
            plain = _strip_cues(plain, _HEDGE_STRIP) or plain  # "I was sort of wondering if"
            if plain.endswith("?"):
                plain = _YOU_WOULD.sub("Would you ", plain, count=1)
                plain = _YOU_COULD.sub("Could you ", plain, count=1)
            return plain if plain[-1] in ".!?" else plain + "."
        return "I'd like your help with this. Could we find 30 minutes in the next two weeks?"
    if signal.kind == "apology":
        rest = _strip_cues(signal.quote, _SORRY_STRIP)
        lead = "Thanks for making the time."
        if rest:
            return f"{lead} {rest if rest[-1] in '.!?' else rest + '.'}"
        return lead
    if signal.kind == "defensive":
        return (
            "That's useful to hear. Can you walk me through an example, so I can see what you saw?"
        )
    # blame
    return (
        "Looking back, I didn't get what I needed there, and next time I'll ask for it earlier. "
        "What would you have done in my position?"
    )
