"""Checks of a rehearsal (the counterpart's replies) and of a debrief, from the transcript."""

from __future__ import annotations

import re

from assistant.evals.output_checks import Verdict
from assistant.services.coaching.counterpart_checks import echoes, wants_as_mentee
from assistant.text.phrases import found, has_markup
from assistant.text.sentences import sentences
from assistant.text.words import content_words, overlap, words

BUSY_MAX_WORDS = 40


def check_reply(reply: str, mentee_lines: list[str]) -> Verdict:
    """One counterpart reply: speaks as a person in the conversation, not as a help desk, not as
    the mentee, in plain speech of one to three sentences."""
    v = Verdict()
    helpdesk = found("helpdesk", reply)
    v.add("no_helpdesk", not helpdesk, f"{helpdesk}")
    refusal = found("refusal", reply)
    v.add("no_refusal", not refusal, f"{refusal}")
    reversed_ = found("mentee_only", reply)
    echoed = [line for line in mentee_lines if overlap(reply, line) >= 0.7 and len(words(line)) > 5]
    theirs = content_words("\n".join(mentee_lines))
    echoed += [  # "I'd like to learn Power BI and SQL", "… went to Alex and not me" said back
        s
        for s in sentences(reply)
        if wants_as_mentee(s, theirs) or echoes(s, "\n".join(mentee_lines))
    ]
    v.add("no_role_reversal", not (reversed_ or echoed), f"{reversed_ or echoed[:1]}")
    v.add("plain_speech", not has_markup(reply), "code, a list or markdown")
    count = len(sentences(reply))
    v.add("one_to_three_sentences", 1 <= count <= 3, f"{count} sentences")
    return v


def check_temperament(replies: list[str], temperament: str) -> Verdict:
    """The conversation as a whole keeps the chosen temperament. Skeptical: a doubt or a pointed
    question comes before any wholehearted agreement, and the first reply does not agree at
    once. Busy: every reply is short and the time limit is said. Supportive: no refusal."""
    v = Verdict()
    if not replies:
        return v
    if temperament == "skeptical":
        agree = [i for i, r in enumerate(replies) if found("agreement", r)]
        doubt = [i for i, r in enumerate(replies) if found("doubt", r) or r.rstrip().endswith("?")]
        first_agree = agree[0] if agree else len(replies)
        v.add(
            "skeptical_doubts_first",
            bool(doubt) and doubt[0] < first_agree,
            f"agrees in reply {first_agree + 1} before any doubt",
        )
        v.add("skeptical_no_instant_yes", 0 not in agree, f"first reply: {replies[0][:80]!r}")
    elif temperament == "busy":
        long = [r for r in replies if len(words(r)) > BUSY_MAX_WORDS]
        v.add("busy_short", not long, f"{len(long)} replies over {BUSY_MAX_WORDS} words")
        v.add(
            "busy_names_time",
            any(found("time_limit", r) for r in replies),
            "never says their time is short",
        )
    else:
        v.add("supportive_no_refusal", not any(found("refusal", r) for r in replies), "refuses")
    return v


def opening_fits(opening: str, persona: dict) -> bool:
    """The counterpart's first line touches the mentee's situation (a word of their goal or
    situation line), rather than a line that would open any conversation."""
    situation = " ".join([persona.get("situation", ""), persona.get("goal", "")])
    return bool(content_words(opening) & content_words(situation))


# --- debriefs -------------------------------------------------------------------------------


def _same_sentence(quote: str, sentence: str) -> bool:
    a, b = _plain(quote), _plain(sentence)
    return bool(a) and (a in b or b in a) and min(len(a), len(b)) >= 0.5 * max(len(a), len(b))


def _plain(text: str) -> str:
    return " ".join(words(text))


def quoted(points: list[dict], sentence: str) -> bool:
    """True when one of the points quotes `sentence` (or most of it)."""
    return any(_same_sentence(p["quote"], sentence) for p in points)


def check_debrief(debrief: dict, markdown: str) -> Verdict:
    """A debrief as its reader sees it: every point cites a guidance note, the counts it states
    are the points it lists, the summary speaks about the mentee, each point has its own why."""
    v = Verdict()
    points = debrief["went_well"] + debrief["improve"]
    uncited = [p["quote"] for p in points if not p.get("note")]
    v.add("points_cite_notes", not uncited, f"{len(uncited)} of {len(points)} cite no note")
    said = re.search(r"(\d+) strong moment\S* and (\d+) (?:thing\S* )?to work on", markdown)
    if said:
        counts_ok = (int(said.group(1)), int(said.group(2))) == (
            len(debrief["went_well"]),
            len(debrief["improve"]),
        )
        v.add("counts_match_points", counts_ok, said.group(0))
    off = re.search(r"\b(?:the mentor's response|the mentee)\b", debrief["summary"], re.I)
    v.add("summary_about_mentee", not off, off.group(0) if off else "")
    whys = [p["why"] for p in points]
    v.add("reasons_differ", len(set(whys)) == len(whys), "the same reason twice")
    return v
