"""What a counterpart's line in a rehearsal must not do, each rule with the feedback the model
gets when it breaks it: step out of the role (AI, help desk, narration, lists), speak as the
mentee, say the note it was given aloud, leave a blank to fill, or say its last line again."""

from __future__ import annotations

import re
import unicodedata

from assistant.text.grammar import action_verb, lemmas
from assistant.text.phrases import found, has_markup
from assistant.text.sentences import sentences
from assistant.text.words import NO_TOPIC, content_words, overlap, word_set, words

# being an AI, in the languages a mentee may switch to
_AI = re.compile(
    r"\b(as an ai|an ai\b|language model|assistant|chatbot|openai|anthropic|qwen|role-?play|"
    r"inteligencia artificial|asistente|modelo de lenguaje|intelligence artificielle|"
    r"modèle de langage|künstliche intelligenz|ki-assistent|sprachmodell)|人工智能|语言模型|助手",
    re.I,
)
_INLINE_LIST = re.compile(r"(?:^|\s)1[.)]\s.*?\s2[.)](?:\s|$)", re.S)  # "… 1. You're late. 2."
_QUOTED = re.compile(r"[\"“«„]\s*([^\"”»“]{4,120}?)\s*[\"”»“]")
# a string of accusations: "you're always late, you never finish your work, you always …"
_ACCUSATION = re.compile(r"\byou(?:'re| are)?\s+(?:always|never)\b", re.I)
_BLANK = re.compile(r"\[[^\]]{1,30}\]|\{[^}]{1,30}\}|<[A-Za-z ]{1,20}>")  # "[name]", "{topic}"
# words of a note about the mentee or about the line itself: said aloud, the note leaked
# ("… on one condition that fits what they said", "I am busy: one or two short sentences")
_NOTE_WORDS = word_set("they them their sentence sentences line note told")
_RUN = 3
_RECITED = 6
# a first-person sentence that makes the mentee's promise ("I will try to ensure the main point
# comes first in future presentations")
_OWN_PROMISE = re.compile(r"^\s*I(?:'ll| will| promise)\b", re.I)
# what the mentee offers to do ("I can send you my exam notes", "I'll bring an agenda")
_OFFER = re.compile(r"\bI(?:'ll|’ll| will| can| could|'d| would)\s+(.+)", re.I)
_MY = re.compile(r"\bmy\s+((?:[\w'-]+\s+){0,2}[\w'-]+)", re.I)
_EVERYONE = word_set("time team work meeting meetings day week calendar diary inbox email")
# what the mentee wants, said as the counterpart's own want ("I want to talk about how to manage
# my team and improve my 1:1s", "I'd like to learn Power BI and SQL")
_WANT = re.compile(
    r"^\s*(?:and|but|so|well|yes|ok(?:ay)?)?[\s,]*I(?:'d|’d| would)?\s+(?:really\s+)?"
    r"(?:want|like|love|need|hope|plan|am\s+trying|'m\s+trying|’m\s+trying)\s+to\s+([^,;]+)",
    re.I,
)
# what a counterpart may well want to do with the mentee's things: hear, see, read, help …
_TO_THEM = word_set("help hear see read know understand support check watch review look meet")
_ABOUT_ME = re.compile(r"\b(?:me|my|mine)\b", re.I)
_TO_YOU = re.compile(r"\b(?:you|your|yours)\b", re.I)
# what the counterpart is about to do, said as a plan instead of done ("I'll acknowledge that
# you want to improve and ask what you will try next time")
_STAGE = re.compile(
    r"\bI(?:'ll|’ll| will| am going to|'m going to)\s+(?:acknowledge|concede|raise|respond|reply|"
    r"point out|summari[sz]e|ask (?:what|whether|if|how|why|about|them))\b",
    re.I,
)


# worded as a remark on the line, not as something to say (the earlier "you said that already;
# move the conversation on" came back as "I said that already." in 2 of 6 retries on 8c83547)
SAID_ALREADY = "that line repeats an earlier one; the next line must bring something new"
# the feedback a counterpart's tries get, in words it might say back (names left out)
FEEDBACK = (
    SAID_ALREADY,
    "you said that already; move the conversation on",
    "I said that already; move the conversation on",  # the same, said back as their own
    "don't tell them about themselves; they know it",
    "plain speech only: no lists, code or markdown",
    "never mention AI or the role-play",
    "at work, not like a help desk",
    "no abusive or harmful language; stay professional",
    "answer them, don't speak as the person asking",
    "speak as yourself, without your name in front",
    "no blanks to fill in such as [name]; leave out what you don't know",
    "don't say the note aloud",
    "is their part; you are",
    "you are busy: one or two short sentences",
    "answer them instead of repeating their words",
    "say it your own way, not a phrase they told you to say",
    "say a whole sentence to them, as",
    "don't read the note out",
    "first answer their question in one sentence",
    "In your own words as",
    "Input should be a valid string",  # pydantic's own words, in the retry feedback
)


def dictated(line: str) -> list[str]:
    """Phrases of three words or more the mentee put in quotation marks: a counterpart who says
    one back has been told what to say ("start with 'Once upon a time'"), not answered."""
    return [q for q in _QUOTED.findall(line) if len(words(q)) >= 3]


def rule_violations(text: str, name: str) -> list[str]:
    """Which in-character rules a counterpart reply breaks."""
    problems = []
    if not text.strip():
        problems.append("say something")
    if has_markup(text) or _INLINE_LIST.search(text) or "\n\n" in text.strip():
        problems.append("plain speech only: no lists, code or markdown")
    if _AI.search(text):
        problems.append(f"you are {name}, a person; never mention AI or the role-play")
    if found("helpdesk", text) or found("refusal", text):
        problems.append(f"talk like {name} at work, not like a help desk")
    if found("abuse", text) or len(_ACCUSATION.findall(text)) >= 3:
        problems.append("no abusive or harmful language; stay professional")
    if found("mentee_only", text):
        problems.append(f"you are {name}; answer them, don't speak as the person asking")
    if re.match(rf"\s*\**{re.escape(name)}\**\s*:", text) or re.search(
        rf"(?<!I'm )(?<!I am )(?<!name is )(?<!this is )\b{re.escape(name)}\b(?! here)", text
    ):  # "Alex says …", "a young man named Alex": narrating, not speaking
        problems.append("speak as yourself, without your name in front")
    if len(sentences(text)) > 3:
        problems.append("at most 3 sentences")
    if _BLANK.search(text):
        problems.append("no blanks to fill in such as [name]; leave out what you don't know")
    if _STAGE.search(text):  # "I'll acknowledge that you want …": the turn's note, as a plan
        problems.append(f"say it to them as {name} would, not what you are going to do")
    return problems


def foreign_script(text: str, mentee: str) -> str:
    """A letter of a script other than Latin that the mentee has not written in ("time limit for
    your会议"): a small model slipping into another language mid-line; empty if none."""
    theirs = {"LATIN"} | {_script(c) for c in mentee if c.isalpha()}
    return next((c for c in text if c.isalpha() and _script(c) not in theirs), "")


def _script(char: str) -> str:
    """The script a letter is written in, by the first word of its Unicode name ('LATIN',
    'CJK', 'CYRILLIC' …)."""
    return unicodedata.name(char, "UNKNOWN").split()[0]


def _runs(text: str, n: int = _RUN) -> set[tuple[str, ...]]:
    w = [x.lower() for x in words(text)]
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


_FEEDBACK_RUNS = {run for line in FEEDBACK for run in _runs(line, 4)}


def leaked_note(text: str, notes: list[str]) -> str:
    """Three words in a row of a note the counterpart was given, about the mentee or the line
    itself ("what they said", "short sentences"), said aloud, or four of the feedback its
    earlier tries got ("I said that already. Move the conversation on."); empty if none."""
    said = _runs(text)
    for note in notes:
        for run in _runs(note):
            if run in said and set(run) & _NOTE_WORDS:
                return " ".join(run)
    return next((" ".join(run) for run in _runs(text, 4) & _FEEDBACK_RUNS), "")


def speaks_as_mentee(text: str, mentee: str, own: str) -> str:
    """A sentence in which the counterpart takes the mentee's part: "my model" or "my
    procurement needs" about what only the mentee has (`mentee`: their lines and situation; not
    what the counterpart's card gives them, `own`), the promise the mentee owes about the
    counterpart's own concern ("I will try to make the main point clearer in future
    presentations"), or the mentee's own offer made back to them (they said "I can send you my
    exam notes", the counterpart says "I'll send you the exam notes"). Empty if none."""
    theirs = content_words(mentee) - content_words(own) - _EVERYONE
    offers = [m.group(1) for s in sentences(mentee) if (m := _OFFER.search(s))]
    for sentence in sentences(text):
        if (said := _OFFER.search(sentence)) and _OWN_PROMISE.match(sentence):
            verb = action_verb(said.group(1)) or "-"
            for offer in offers:  # the same deed on the same thing: "send … exam notes"
                shared = content_words(said.group(1)) & content_words(offer) - content_words(verb)
                if not shared or overlap(said.group(1), offer) < 0.6:
                    continue
                # or another verb on the mentee's own thing: "I'll come with an agenda and keep
                # it to time" made "I'll send you an agenda … and keep it to time"
                if verb == action_verb(offer) or (verb not in _TO_THEM and shared - _EVERYONE):
                    return sentence
        for match in _MY.finditer(sentence):
            if mine := content_words(match.group(1)) & theirs - NO_TOPIC:
                return f"my {sorted(mine)[0]}"
        promise = _OWN_PROMISE.match(sentence) and content_words(sentence) & content_words(own)
        if promise and not re.search(r"\byou(?:r)?\b", sentence, re.I):
            return sentence
        if wants_as_mentee(sentence, theirs):
            return sentence
        if echoes(sentence, mentee):
            return sentence
    return ""


def wants_as_mentee(sentence: str, theirs: set[str]) -> bool:
    """A sentence in which the counterpart wants what the mentee wants: "I'd like to learn Power
    BI and SQL" (two or more of `theirs`, the words only the mentee has used, in what is wanted),
    not what a counterpart wants to do with them ("I'd like to see your plan")."""
    want = _WANT.match(sentence)
    if not want or _TO_YOU.search(want.group(1)):
        return False
    if action_verb(want.group(1)) in _TO_THEM:
        return False
    return (
        len(lemmas(want.group(1)) & ({w.lower() for w in theirs} | lemmas(" ".join(theirs)))) >= 2
    )


def echoes(sentence: str, mentee: str) -> bool:
    """The mentee's own sentence about themselves said back as the counterpart's ("I want to
    understand why the head of science post went to Alex and not me"): most of its words, with
    "me" or "my" and no "you"."""
    if not _ABOUT_ME.search(sentence) or _TO_YOU.search(sentence) or len(words(sentence)) < 6:
        return False
    return any(
        overlap(sentence, line) >= 0.7 for line in sentences(mentee) if len(words(line)) >= 6
    )


def recites(text: str, situation: str) -> bool:
    """Six words in a row of the mentee's situation told back to them ("I understand that you
    are a software engineer who was passed over for promotion to senior this cycle")."""
    return bool(situation) and bool(_runs(text, _RECITED) & _runs(situation, _RECITED))


def check_line(text: str, facts: dict) -> list[str]:
    """Every rule for one counterpart line, from the turn's facts: name, say (the note), notes,
    mentee (their words so far), own (the card), said (the counterpart's lines so far),
    situation (the mentee's, for an opening)."""
    name = facts["name"]
    problems = rule_violations(text, name)
    if leaked := leaked_note(text, facts.get("notes", [])):
        problems.append(f"don't say the note aloud (“{leaked}”); talk to them as {name}")
    if who := speaks_as_mentee(text, facts.get("mentee", ""), facts.get("own", "")):
        problems.append(f"“{who}” is their part; you are {name}, answer them")
    if letter := foreign_script(text, facts.get("mentee", "")):
        problems.append(f"speak in the language of the conversation only (not “{letter}”)")
    if recites(text, facts.get("situation", "")):
        problems.append("don't tell them about themselves; they know it")
    if says_again(text, facts.get("said", [])):
        problems.append(SAID_ALREADY)
    return problems


def says_again(text: str, said: list[str]) -> bool:
    """The line repeats the counterpart's last line, or one of its sentences says again a
    sentence it said before, in an earlier line or in this one ("The main point was buried in
    detail" twice)."""
    previous = said[-1] if said else ""
    if len(words(previous)) > 4 and overlap(text, previous) >= 0.7:
        return True
    before = [s for line in said for s in sentences(line) if len(words(s)) >= 5]
    for sentence in (s for s in sentences(text) if len(words(s)) >= 5):
        if any(overlap(sentence, b) >= 0.8 for b in before):
            return True
        before.append(sentence)
    return False
