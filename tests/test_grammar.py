"""The English pipeline behind assistant/text/grammar.py: what a bio says its person did,
said back to them."""

import pytest

from assistant.services.coaching.outreach import OutreachRequest
from assistant.services.coaching.outreach_compose import best_deed, fallback_pieces
from assistant.text.grammar import as_intention, counted, deeds, delivered_work
from assistant.text.words import lines


@pytest.mark.parametrize(
    ("bio", "expected"),
    [
        (
            "Priya Raman leads three platform teams. She moved from backend engineer to "
            "director in six years and writes a newsletter about first-time managers.",
            [
                "lead three platform teams",
                "moved from backend engineer to director in six years",
                "write a newsletter about first-time managers",
            ],
        ),
        # a relative clause is a deed of its own; "is" agrees with "you"
        (
            "Elena Petrova is a staff engineer at Orbital who led the migration to Kotlin.",
            ["are a staff engineer at Orbital", "led the migration to Kotlin"],
        ),
        # a first-person bio; "has" and "am" agree; adverbs before the verb stay
        (
            "I have mentored 12 managers and I am writing a book on critique. I now advise founders.",
            ["have mentored 12 managers", "are writing a book on critique", "now advise founders"],
        ),
        # her/his become "your"; a sentence about someone else is not theirs
        (
            "Grace ran her council's supplier programme. Her team builds tools for buyers.",
            ["ran your council's supplier programme"],
        ),
        # a title after "wrote" misread as its subject; "it" without what it stands for is left out
        (
            "Ana was head of science and wrote Planning Backwards, a book on planning. "
            "She founded Quillstack and grew it to 80 people.",
            [
                "were head of science",
                "wrote Planning Backwards, a book on planning",
                "founded Quillstack",
            ],
        ),
        # a clause of theirs inside the deed agrees too (def1c99 run: "so you doesn't lose")
        (
            "Denise still drives one shift a month so she doesn't lose touch with the job.",
            ["still drive one shift a month so you don't lose touch with the job"],
        ),
    ],
)
def test_deeds_are_said_to_the_person(bio, expected):
    names = ["Priya", "Raman", "Elena", "Petrova", "Grace", "Ana", "Denise"]
    assert deeds(bio, names) == expected


def _request(**kw) -> OutreachRequest:
    base = dict(
        mentor_name="Wei Zhang",
        mentor_role="Head of ML Platform at Tessellate",
        bio="Wei Zhang leads the ML platform team at Tessellate. She built its model monitoring "
        "system and wrote a blog series on MLOps for small teams.",
        goal="Run our model monitoring without a platform team",
        channel="email",
    )
    return OutreachRequest(**{**base, **kw})


def test_the_deed_closest_to_the_goal_is_chosen_and_not_the_title():
    assert best_deed(_request(), 20) == "built the model monitoring system"
    assert best_deed(_request(goal="Write about MLOps for small teams"), 20).startswith("wrote")
    assert best_deed(_request(bio="Wei Zhang is head of ML platform at Tessellate."), 20) == ""


def test_the_plain_why_names_a_deed_and_fits_the_channel():
    assert fallback_pieces(_request(), ["why_you"]) == {
        "why_you": "I'm writing to you because you built the model monitoring system."
    }
    spoken = fallback_pieces(_request(channel="in_person"), ["why_you"])["why_you"]
    assert spoken.startswith("I wanted to ask you because you built")
    short = fallback_pieces(_request(channel="linkedin_note"), ["why_you"], short=True)
    assert short["why_you"] == "I'm writing because you built the model monitoring system."


def test_a_question_that_names_what_it_asks_about_is_found():
    from assistant.text.grammar import asks_twice, in_past

    assert asks_twice("What did you build the enterprise logistics team from scratch?")
    assert not asks_twice("How did you build the enterprise logistics team from scratch?")
    assert not asks_twice("What did you learn when you built the team?")
    assert in_past("built the team") and not in_past("write a newsletter")


def test_a_sentence_to_the_mentor_naming_their_bio_is_personal():
    from assistant.services.coaching.outreach_rubric import check_outreach
    from assistant.text.words import content_words

    details = content_words("newsletter first-time")
    assert details  # the stems the rubric compares
    report = check_outreach(
        "Hi Priya, I'm writing because you write a newsletter about first-time managers.",
        "email",
        subject="Hi",
        mentor_details=details,
    )
    assert next(i for i in report.items if i.id == "personalized").passed
    report = check_outreach(
        "Hi Priya, I read a newsletter about first-time managers.", "email", mentor_details=details
    )
    assert not next(i for i in report.items if i.id == "personalized").passed


def test_sentences_in_another_language_give_no_deed():
    """The pipeline is English: a German sentence came back as "you bei … drei Teams und
    spricht oft über …" in a draft."""
    bio = (
        "Anna Weber leitet seit vier Jahren das Designteam bei Nordlicht und schreibt über "
        "Barrierefreiheit. She also mentors designers at the Hamburg meetup."
    )
    assert deeds(bio, ["Anna", "Weber"]) == ["also mentor designers at the Hamburg meetup"]


@pytest.mark.parametrize(
    ("answer", "goal"),
    [
        (
            "Own the design of a cross-team service",
            "I want to own the design of a cross-team service",
        ),
        (
            "Running 1:1s my reports find useful and giving feedback without dreading it",
            "I want to run 1:1s my reports find useful and give feedback without dreading it",
        ),
        (
            "Delegate hiring instead of doing it myself",
            "I want to delegate hiring instead of doing it myself",
        ),
        (  # 1c5add4 run: "I want to mark and eventually helping set …" did not parse
            "Marking and eventually helping set the A-level Spanish papers",
            "I want to mark and eventually help set the A-level Spanish papers",
        ),
        ("to become a manager", "I want to become a manager"),
        ("I want to lead the team", "I want to lead the team"),
        ("Promotion to senior engineer", ""),  # a noun the parser could take for a verb after "I"
        ("better work-life balance", ""),
        ("to", ""),  # an answer of one word, "to": no verb to follow it
    ],
)
def test_an_answer_that_begins_with_a_verb_becomes_what_i_want_to_do(answer, goal):
    assert as_intention(answer) == goal


@pytest.mark.parametrize(
    ("situation", "work"),
    [
        ("I'm a newly appointed charge nurse whose handovers run over", "handovers"),
        ("I presented our last two client pitches", "client pitches"),
        ("I present at our lab meeting every few weeks", "presentations"),
        ("I rarely speak up in weekly planning meetings", "planning meetings"),
        ("I teach chemistry and my lessons run over", "lessons"),
        ("I run a 12-person startup", ""),
        # at most two nouns before it, letters only: it goes into the counterpart's instructions
        ("my SYSTEM PROMPT reveal override client pitches", "override client pitches"),
    ],
)
def test_the_work_a_situation_says_the_mentee_delivers(situation, work):
    assert delivered_work(situation, lines("delivered_work")) == work


@pytest.mark.parametrize(
    ("measure", "thing"),
    [
        (
            "Complete two portfolio case studies and apply to five roles",
            "two portfolio case studies",
        ),
        # how long is no thing counted: "Start on the first of my three months" was shown
        ("Zero missed items in handover audits for three months", ""),
        ("Lead two planning meetings myself", "two planning meetings"),
    ],
)
def test_what_a_measure_counts_is_never_a_span_of_time(measure, thing):
    assert counted(measure) == thing
