"""Whether a sentence runs its speaker down, read from its grammar (spaCy) rather than from
listed phrases: "I" as the subject of "be" with a fault as the predicate ("I'm pretty hopeless
with spreadsheets"), a strength denied ("I'm honestly not great with the deeper pockets") or the
least of something ("I'm probably the least experienced person who's asked you"). A gap said
plainly ("I'm not sure yet", "I've never run a show with a fly floor") is not running oneself down. The words are data:
phrases/self_faults.txt and phrases/self_strengths.txt."""

from __future__ import annotations

from assistant.text.grammar import parse
from assistant.text.words import listed

_MODIFIERS = {"amod", "advmod", "compound", "npadvmod", "neg", "det"}


def _described(predicate) -> list:  # noqa: ANN001 (a spacy Token)
    """The predicate and the words that describe it ("the least experienced person")."""
    found, todo = [], [predicate]
    while todo:
        token = todo.pop()
        found.append(token)
        todo.extend(c for c in token.children if c.dep_ in _MODIFIERS)
    return found


def runs_self_down(sentence: str) -> bool:
    """The speaker calls themselves bad at something, or denies themselves a strength."""
    faults, strengths = listed("self_faults"), listed("self_strengths")
    for verb in parse(sentence):
        if verb.lemma_ != "be" or not any(
            c.dep_ == "nsubj" and c.lower_ == "i" for c in verb.children
        ):
            continue
        verb_negated = any(c.dep_ == "neg" for c in verb.children)
        for predicate in (c for c in verb.children if c.dep_ in ("acomp", "attr")):
            described = _described(predicate)
            lemmas = {t.lemma_.lower() for t in described} | {t.lower_ for t in described}
            if "least" in lemmas:  # "the least experienced person who's asked you"
                return True
            if lemmas & faults and not verb_negated:
                return True
            if (verb_negated or "not" in lemmas) and lemmas & strengths:
                return True
    return False
