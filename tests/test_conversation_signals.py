"""Deterministic signals in the mentee's side of a rehearsed conversation."""

from __future__ import annotations

import re

import pytest

from assistant.services.coaching.conversation_signals import (
    ADVICE,
    KINDS,
    NEGATIVE_KINDS,
    POSITIVE_KINDS,
    Signal,
    analyse,
    suggest_rewrite,
)

NEGATIVE = {"defensive", "blame", "hedging", "apology"}

# name -> (user turns, kinds that must be found, kinds that must not be found)
TRANSCRIPTS: dict[str, tuple[list[str], set[str], set[str]]] = {
    "ask_for_mentorship_hedged": (
        [
            "Hi Priya, I'm so sorry to bother you. I guess I was sort of wondering if maybe you'd "
            "be open to mentoring me?",
            "Sorry, I know you're busy. Would you be willing to meet for 30 minutes once a month?",
            "Thank you, I really appreciate it. I'll send a calendar invite by next week.",
        ],
        {"apology", "hedging", "question", "specific_ask", "thanks", "next_step"},
        {"defensive", "blame", "acknowledge"},
    ),
    "ask_for_mentorship_clean": (
        [
            "Hi Dana, I'm Sam, a backend engineer on the payments team. I'm working toward leading "
            "our Q3 migration and I'd value your perspective on running cross-team projects.\n"
            "Would you be willing to meet for 30 minutes once a month for the next quarter?",
            "That makes sense. What would be most useful for me to bring to the first meeting?",
            "Thank you. I'll send an invite for next Tuesday and a one-page summary of the project.",
        ],
        {"specific_ask", "question", "acknowledge", "thanks", "next_step"},
        NEGATIVE,
    ),
    "critical_feedback_defensive": (
        [
            "But I did send the update on Friday. That's not fair, nobody told me the directors "
            "wanted a summary.",
            "Actually, I already shortened it twice. My manager never reviews them anyway.",
            "OK. That makes sense. Can you give me an example of an update that worked well?",
        ],
        {"defensive", "blame", "acknowledge", "question", "specific_ask"},
        {"hedging", "apology", "thanks"},
    ),
    "critical_feedback_received_well": (
        [
            "Thats fair. what would it look like if I did this well?",
            "Thanks for being straight with me.\nI’ll try a one-paragraph summary first and "
            "follow up after the next review.",
        ],
        {"acknowledge", "question", "thanks", "next_step"},
        NEGATIVE | {"specific_ask"},
    ),
    "asking_about_promotion": (
        [
            "I wanted to talk about promotion to senior. What would it take for me to get there in "
            "the next cycle?",
            "I guess I sort of assumed my project work would speak for itself.",
            "You're right, I haven't made my impact visible. Could you give me an example of a "
            "promo packet that worked?",
            "I'll draft mine by next week and follow up with you on Friday.",
        ],
        {"question", "specific_ask", "hedging", "acknowledge", "next_step"},
        {"defensive", "blame", "apology", "thanks"},
    ),
    "ending_a_mentorship": (
        [
            "Sorry, this is awkward. I've really valued our sessions.",
            "I think maybe it's time to wrap up our regular meetings, if it's not too much "
            "trouble. I'm sorry, I know that's sudden.",
            "Thanks for everything, I appreciate how much time you've given me.",
            "Would you be open to a check-in once a quarter? I'll send you an update after my "
            "review.",
        ],
        {"apology", "hedging", "thanks", "specific_ask", "question", "next_step"},
        {"defensive", "blame", "acknowledge"},
    ),
    "following_up": (
        [
            "Hi Lee, following up on our chat two weeks ago.",
            "I tried sending a one-paragraph summary first, like you suggested. Did the last "
            "update work better?",
            "How did it land with the directors?",
            "Thanks again. Next step for me is to do the same for the quarterly review.",
        ],
        {"next_step", "question", "thanks"},
        NEGATIVE | {"acknowledge", "specific_ask"},
    ),
    "blame_with_curly_apostrophes": (
        [
            "It wasn’t my fault, they didn’t give me the specs until Thursday.",
            "Nobody told me the deadline moved. It was their fault the launch slipped, honestly.",
            "The team never documents anything. You don’t understand how messy it is.",
        ],
        {"defensive", "blame"},
        {"hedging", "apology", "question", "specific_ask", "thanks", "acknowledge", "next_step"},
    ),
    "neutral_status_update": (
        [
            "I joined the platform team in January. We run the billing service and I own the "
            "invoicing jobs.",
            "I was ill on Monday, so the release moved to Wednesday.",
            "The migration finished last week and the on-call load dropped by half.",
        ],
        set(),
        set(KINDS),
    ),
}


def _all_signals():
    for name, (turns, _, _) in TRANSCRIPTS.items():
        for signal in analyse(turns):
            yield name, turns, signal


@pytest.mark.parametrize("name", list(TRANSCRIPTS))
def test_expected_kinds_found_and_absent_kinds_not(name):
    turns, present, absent = TRANSCRIPTS[name]
    kinds = {s.kind for s in analyse(turns)}
    assert present <= kinds, f"missing {present - kinds}"
    assert not (absent & kinds), f"unexpected {absent & kinds}"


@pytest.mark.parametrize("name", list(TRANSCRIPTS))
def test_every_quote_is_verbatim_in_its_turn(name):
    turns = TRANSCRIPTS[name][0]
    signals = analyse(turns)
    for signal in signals:
        assert 0 <= signal.turn < len(turns)
        assert signal.quote, signal
        assert signal.quote in turns[signal.turn], signal
        assert signal.quote == signal.quote.strip()
        assert "\n" not in signal.quote  # one sentence, never two lines


def test_signal_fields_are_consistent():
    count = 0
    for _, _, signal in _all_signals():
        count += 1
        assert signal.kind in KINDS
        assert signal.positive is (signal.kind in POSITIVE_KINDS)
        assert signal.advice == ADVICE[signal.kind]
        assert signal.advice.endswith(".") and signal.advice.count(". ") == 0  # one sentence
    assert count > 30
    assert set(KINDS) == POSITIVE_KINDS | NEGATIVE_KINDS
    assert NEGATIVE_KINDS == NEGATIVE


def test_suggest_rewrite_for_negatives_only():
    seen = set()
    for _, _, signal in _all_signals():
        rewrite = suggest_rewrite(signal)
        seen.add(signal.kind)
        if signal.positive:
            assert rewrite is None
        else:
            assert isinstance(rewrite, str) and rewrite.strip()
            assert rewrite != signal.quote
    assert seen == set(KINDS)  # the transcripts exercise every kind


def test_signals_are_ordered_by_turn_and_position():
    turns = TRANSCRIPTS["critical_feedback_defensive"][0]
    signals = analyse(turns)
    keys = [(s.turn, turns[s.turn].index(s.quote)) for s in signals]
    assert keys == sorted(keys)
    first = signals[0]
    assert (first.kind, first.turn, first.quote) == (
        "defensive",
        0,
        "But I did send the update on Friday.",
    )


def test_one_sentence_can_carry_several_kinds():
    signals = analyse(["That's not fair, nobody told me the directors wanted a summary."])
    assert [s.kind for s in signals] == ["defensive", "blame"]
    assert {s.quote for s in signals} == {
        "That's not fair, nobody told me the directors wanted a summary."
    }


# ------------------------------------------------------------------ individual cues


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Yes, but I was told to prioritise the migration.", "defensive"),
        ("That's not true, the tests were green.", "defensive"),
        ("You don't understand the constraints.", "defensive"),
        ("I was just trying to help.", "defensive"),
        ("That's not my fault.", "defensive"),
        ("They never answer on Slack.", "blame"),
        ("It was his fault the deploy failed.", "blame"),
        ("We missed it because of them.", "blame"),
        ("They didn't give me access until March.", "blame"),
        ("I'm not sure but it could be the tests.", "hedging"),
        ("I was just wondering whether you'd have time.", "hedging"),
        ("It's kind of a big ask.", "hedging"),
        ("Could you review my promo doc?", "specific_ask"),
        ("Can we find time every other week?", "specific_ask"),
        ("Could we meet after the demo on Thursday?", "specific_ask"),
        ("What would it take to lead the next launch?", "specific_ask"),
        ("I hear you.", "acknowledge"),
        ("I see what you mean about the detail.", "acknowledge"),
        ("I’m going to try that in Thursday’s update.", "next_step"),
        ("Let me think about it and come back to you.", "next_step"),
        ("I appreciate you saying that.", "thanks"),
        ("Which of these matters most?", "question"),
        ("So how would you approach it?", "question"),
        ("That makes sense, how did you learn it?", "question"),
    ],
)
def test_single_cue(text, kind):
    signals = analyse([text])
    assert kind in {s.kind for s in signals}
    assert all(s.quote in text for s in signals)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I was just wondering if you have time.", "defensive"),  # a hedge, not a defence
        ("What kind of projects do you look for?", "hedging"),  # "kind of" meaning type
        ("I was ill last week.", "next_step"),  # not "I'll"
        ("Do you have time next week?", "question"),  # closed question
        ("What I mean is the release slipped.", "question"),  # no question mark
        ("I'm sorry to hear that.", "apology"),  # a single, ordinary sorry
        ("He thanked the team.", "thanks"),
        ("The API manager never restarts.", "blame"),  # not a person we're blaming
    ],
)
def test_cue_not_found(text, kind):
    assert kind not in {s.kind for s in analyse([text])}


def test_first_sorry_is_fine_the_second_is_flagged():
    turns = ["Sorry I'm late.", "Thanks for waiting.", "Sorry, one more thing: could we meet?"]
    apologies = [s for s in analyse(turns) if s.kind == "apology"]
    assert [(s.turn, s.quote) for s in apologies] == [(2, "Sorry, one more thing: could we meet?")]
    assert apologies[0].positive is False


def test_every_sorry_beyond_the_first_is_flagged():
    turns = ["Sorry for the delay.", "Sorry again.", "I'm sorry, I know.", "Ok."]
    apologies = [s for s in analyse(turns) if s.kind == "apology"]
    assert [s.turn for s in apologies] == [1, 2]


def test_so_sorry_to_bother_is_flagged_the_first_time():
    signals = analyse(["I'm so sorry to bother you, do you have a minute?"])
    assert [s.kind for s in signals] == ["apology"]


def test_empty_input():
    assert analyse([]) == []
    assert analyse(["", "   ", "\n"]) == []


# ------------------------------------------------------------------ rewrites


def _signal(kind: str, quote: str) -> Signal:
    return Signal(kind, kind in POSITIVE_KINDS, quote, 0, ADVICE[kind])


def test_hedging_rewrite_drops_the_softeners_and_keeps_the_ask():
    quote = "I guess I was sort of wondering if maybe you'd be open to mentoring me?"
    assert suggest_rewrite(_signal("hedging", quote)) == "Would you be open to mentoring me?"
    quote = "I think maybe it's time to wrap up our regular meetings, if it's not too much trouble."
    assert (
        suggest_rewrite(_signal("hedging", quote)) == "It's time to wrap up our regular meetings."
    )


def test_hedging_rewrite_falls_back_when_nothing_is_left():
    rewrite = suggest_rewrite(_signal("hedging", "Maybe, I guess."))
    assert rewrite and "30 minutes" in rewrite


def test_apology_rewrite_thanks_instead():
    rewrite = suggest_rewrite(_signal("apology", "Sorry, I know you're busy."))
    assert rewrite == "Thanks for making the time. I know you're busy."
    assert not re.search(r"sorry", rewrite, re.IGNORECASE)


def test_defensive_and_blame_rewrites_ask_for_an_example_or_own_the_next_step():
    defensive = suggest_rewrite(_signal("defensive", "But I did send it on Friday."))
    blame = suggest_rewrite(_signal("blame", "Nobody told me the deadline moved."))
    assert defensive and "example" in defensive and "but i" not in defensive.lower()
    assert blame and "next time I'll" in blame and "nobody" not in blame.lower()


@pytest.mark.parametrize("kind", sorted(POSITIVE_KINDS))
def test_no_rewrite_for_positive_signals(kind):
    assert suggest_rewrite(_signal(kind, "Thank you, that makes sense.")) is None
