"""The outreach rubric: realistic drafts with their full expected verdicts, plus the contract."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from assistant.services.coaching.mentor_bio import bio_terms
from assistant.services.coaching.outreach_rubric import (
    CHANNELS,
    RubricReport,
    check_outreach,
)

ORDER = ["specific_goal", "bounded_ask", "personalized", "reciprocity", "question", "length"]
TEXT_ITEMS = ORDER[:5]


@dataclass
class Draft:
    id: str
    channel: str
    text: str
    expect: str  # one letter per item in ORDER: P = passes, F = fails
    kwargs: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Drafts written the way mentees actually write them.
# ---------------------------------------------------------------------------------------------

COLD_EMAIL = """Hi Dr. Okafor,

I'm a second-year support analyst at Brightline. I read your talk notes on moving from customer \
support into UX research, and the part about using support tickets as research data matched what \
I've been trying.

My goal is to move into a UX research role within the next year. Would you be open to a 20-minute \
call in the next few weeks? I'd ask which skills mattered most when you switched.

If you're too busy, I completely understand, and any pointer to a resource would be just as \
welcome.

Thank you,
Mei Tan"""

WARM_INTRO_EMAIL = """Hi Priya,

Sam Lee suggested I get in touch. He mentioned you led the move from ad-hoc notebooks to a proper \
MLOps setup at Ocado, which is exactly the kind of work I'd like to be doing.

I'm a data analyst at a small logistics company, and I'm working toward a machine learning \
engineer role by the end of next year. I've finished the fast.ai course and shipped one \
forecasting model to production, but I'm unsure which engineering skills to prioritise.

Could we have a 30-minute video call sometime in the next three weeks? I'll come prepared with \
three specific questions, and I'm happy to share what I learn from the forecasting project.

Thanks so much,
Tom Reyes"""

RAMBLING_EMAIL = """Hi Jordan,

I hope this email finds you well! I know you must get a lot of these so I'll try to explain \
everything properly. My name is Kelly and I have been working in customer success for almost six \
years now, first at a small agency in Bristol and then at two different SaaS companies, the most \
recent of which was acquired last spring, which was a pretty chaotic time for everyone involved \
and honestly made me rethink a lot of things about where my career is going.

Before customer success I studied history at university, and I also did a year of teaching \
English in Spain, which I think gave me a lot of the communication skills I use every day. I have \
always been the person on my team who talks to the product managers the most, and I often end up \
writing up feature requests and little specs for them, which I really enjoy. Last year I even ran \
a small customer interview programme on my own initiative, and two of the ideas from it ended up \
on the roadmap, which was a great feeling.

So basically I want to transition into product management. I listened to your podcast episode \
about going from support to product and it honestly felt like you were describing my life. The \
bit about learning to say no to customers really stuck with me, and so did the part about \
finding a sponsor inside the company, which is something I have never really had.

I have been reading a lot (Inspired, Continuous Discovery Habits, Lenny's newsletter) and doing \
a couple of online courses, but I feel like I am going round in circles and I don't really know \
what hiring managers are looking for, or whether I should try to move internally or apply \
somewhere new, or whether I need some kind of certification first. I also wonder whether my lack \
of a technical background will hold me back, because I have never written code, although I am \
quite comfortable with SQL and with reading API documentation when I need to.

I know you're busy, but I would love to pick your brain sometime about all of this, and honestly \
about anything else you think I should know. Would you be willing to be my mentor?

Thanks so much for reading all of this,
Kelly"""

NO_RECIPROCITY_EMAIL = """Hi Ana,

I'm a backend developer at a mid-sized insurer, and I'm preparing for my first tech lead role on \
our claims platform, which starts in March. Your article on running design reviews for a team of \
six was the most practical thing I've read on the subject, especially the checklist you share \
before each review.

Would you be open to a 30-minute call in the next month? I'd like to ask how you handled the \
first few reviews where more senior engineers disagreed with the direction, and what you would \
do differently if you were starting again today.

Best,
Dev Malhotra"""

GENERIC_EMAIL = """Dear Sir/Madam,

My name is Arjun and I recently graduated with a degree in computer science. I saw your profile \
on LinkedIn. I am very passionate about technology and I want to grow as a professional. I admire \
your career and all of your success, and I believe you would be the perfect mentor for me.

Would you be my mentor? I am willing to learn anything and I will work very hard. I look forward \
to hearing from you.

Best regards,
Arjun"""

SHORT_CALL_EMAIL = """Hi Marcus,

I'm a product designer at a small health-tech startup, and I'm working toward leading our design \
system, which is currently three Figma files and a lot of goodwill. Your talk at Config on design \
systems that survive reorgs was the first time I'd heard anyone talk about governance honestly.

Would you have time for a short call sometime soon? I'd love to hear how you got engineering to \
treat the system as a product rather than a side project.

I know your time is valuable, so no pressure at all if it's not possible.

Thanks,
Ella"""

VAGUE_GOAL_EMAIL = """Hi Marcus,

I'm a junior designer at an agency in Leeds. Your talk at Config on design systems that survive \
reorgs was the first time I'd heard anyone talk about governance honestly, and I've shared it \
with my whole team.

Honestly I just want to get better and keep growing. Would you be open to a 20-minute call in \
the next few weeks? I'd love to hear what you wish you had known in your first two years.

I know you're busy, so no pressure at all if it's not possible.

Thanks,
Ella"""

CONCRETE_GOAL_EMAIL = """Hi Marcus,

I'm a mid-level product designer at an agency in Leeds. Your talk at Config on design systems \
that survive reorgs was the first time I'd heard anyone talk about governance honestly.

I want to get better at design critique before I apply for senior roles in the spring. Would you \
be open to a 20-minute call in the next few weeks? I'd bring two pieces of recent work to keep \
it concrete.

I know you're busy, so no pressure at all if it's not possible.

Thanks,
Ella"""

NOTE_GOOD = (
    "Hi Carlos, your post on moving from QA into SRE was really helpful. I'm aiming to make the "
    "same switch this year. Would you be open to a 15-minute chat once we're connected? No "
    "pressure at all."
)

NOTE_NEAR_LIMIT = (
    "Hi Dana, I loved your post about running discovery on a two-person team. I'm a support lead "
    "working toward my first PM role at a B2B startup. Once we're connected, could I ask you for "
    "20 minutes sometime this month? Happy to work around your calendar, and no pressure if it's "
    "a busy time."
)

NOTE_OVER_LIMIT = (
    "Hi Dana, I loved your post about running discovery on a two-person team, especially the "
    "part about weekly customer calls. I'm a support lead working toward my first PM role at a "
    "B2B startup. Once we're connected, could I ask you for 20 minutes sometime this month? Happy "
    "to work around your calendar, and no pressure if it's a busy time."
)

NOTE_FROM_GUIDE = (
    "Hi Carlos, your post on moving from QA into SRE was really helpful. I'm a QA engineer "
    "planning the same switch and would love to connect and maybe ask one question about how you "
    "built the on-call skills."
)

NOTE_PUSHY = (
    "Hi! I've followed your career for years and honestly you're amazing. Will you be my mentor?? "
    "I really want to grow and I know you could teach me so much. Please accept!!"
)

MESSAGE_GOOD = (
    "Thanks for connecting, Carlos. As mentioned, I'm planning a move into SRE: I've been the "
    "on-call backup for our QA environments for a year and want to learn how you built the "
    "on-call skills you wrote about.\n\nWould you be open to 30 minutes once a month for the next "
    "three months? I'll send an agenda beforehand, and if now isn't a good time, I completely "
    "understand."
)

MESSAGE_TOO_SHORT = (
    "Thanks for connecting! Would you be open to a quick 20-minute call sometime next week?"
)

MESSAGE_NAME_ONLY = (
    "Hi Lena Park, thanks for accepting my request! You're a real inspiration to so many women in "
    "tech. I'm a QA engineer and I'm working toward a move into application security by next "
    "summer. Could we do a 20-minute call in the next few weeks? I'll keep it to the time we "
    "agree, and I'll come prepared with questions."
)

MESSAGE_CURLY = (
    "Hi Femi, thanks for connecting. I’m working toward getting my first data engineering role "
    "after three years as a BI analyst. I read your thread about moving from dashboards to "
    "pipelines and it’s the clearest roadmap I’ve seen. Would you be open to a 20-minute call "
    "in the next couple of weeks? I know you’re busy, so I’ll keep it to the 20 minutes."
)

MESSAGE_MONTHLY_NO_QUESTION = (
    "Hi Grace, thanks for connecting. I'm a second-year engineer trying to move into engineering "
    "management within 18 months. Your experience leading the platform team through two reorgs "
    "is exactly what I want to learn from. I'd value 30 minutes once a month for the next three "
    "months, and I'm happy to share notes from each conversation so it's useful for you too."
)

IN_PERSON_GOOD = (
    "I really enjoyed your talk on onboarding. I'm a support lead trying to move into product. "
    "Could I email you and ask for 20 minutes sometime in the next few weeks? No pressure if "
    "you're too busy."
)

IN_PERSON_OFFICE = (
    "Hi Grace, do you have two minutes? I'm Sam from the payments team. I know you ran the "
    "platform migration last year, and I'm preparing for my first tech lead role on the ledger "
    "rewrite. Could I book 30 minutes with you next month to ask how you planned it? Totally fine "
    "if you're swamped."
)

IN_PERSON_VAGUE = (
    "Hey, great talk! I'd love to pick your brain sometime if that's cool. Can I grab your email?"
)

IN_PERSON_RAMBLING = (
    "Hi, sorry, I know there's a queue. I just wanted to say your keynote on observability was "
    "amazing, like genuinely the best talk of the day. So I'm a backend developer, I've been at "
    "the same company for about four years, we do logistics software, mostly Java, some Go, and "
    "I've been getting more and more into the operations side, like I'm always the one who ends "
    "up looking at the dashboards when something breaks at two in the morning. And I guess what "
    "I'm trying to say is I want to move into SRE properly, but I don't really know where to "
    "start, whether I need certifications or whether I should just ask my manager, or look "
    "outside, or what. Anyway, I was wondering if we could maybe grab a coffee sometime and I "
    "could just ask you a few things? Whenever really, I'm pretty flexible, and I'm based nearby "
    "so I can come to you, wherever is easiest."
)

DRAFTS = [
    # --- email -------------------------------------------------------------------------------
    Draft(
        "cold_email_strong",
        "email",
        COLD_EMAIL,
        "PPPPPP",
        {"subject": "Question about your move into UX research"},
    ),
    Draft(
        "warm_intro_email",
        "email",
        WARM_INTRO_EMAIL,
        "PPPPPP",
        {"subject": "Referred by Sam Lee: 20 minutes on ML engineering?"},
    ),
    Draft("rambling_400_word_email", "email", RAMBLING_EMAIL, "PFPPPF", {"subject": "Hello"}),
    Draft("strong_email_without_subject", "email", COLD_EMAIL, "PPPPPF"),
    Draft(
        "strong_email_subject_too_long",
        "email",
        COLD_EMAIL,
        "PPPPPF",
        {
            "subject": "Request for a short call about your move from customer support into UX "
            "research at Brightline"
        },
    ),
    Draft(
        "great_except_reciprocity",
        "email",
        NO_RECIPROCITY_EMAIL,
        "PPPFPP",
        {"subject": "20 minutes on your design review checklist?"},
    ),
    Draft(
        "generic_mass_email",
        "email",
        GENERIC_EMAIL,
        "FFFFPP",
        {"subject": "Mentorship request!!!"},
    ),
    Draft(
        "borderline_short_call_not_time_boxed",
        "email",
        SHORT_CALL_EMAIL,
        "PFPPPP",
        {"subject": "Your Config talk on design systems"},
    ),
    Draft(
        "borderline_goal_get_better_alone",
        "email",
        VAGUE_GOAL_EMAIL,
        "FPPPPP",
        {"subject": "Your Config talk on design systems"},
    ),
    Draft(
        "borderline_goal_get_better_at_something",
        "email",
        CONCRETE_GOAL_EMAIL,
        "PPPPPP",
        {"subject": "Your Config talk on design systems"},
    ),
    # --- LinkedIn connection notes -------------------------------------------------------------
    Draft("note_good", "linkedin_note", NOTE_GOOD, "PPPPPP"),
    Draft("note_near_300_chars", "linkedin_note", NOTE_NEAR_LIMIT, "PPPPPP"),
    Draft("note_over_300_chars", "linkedin_note", NOTE_OVER_LIMIT, "PPPPPF"),
    Draft("note_from_guide_no_ask_yet", "linkedin_note", NOTE_FROM_GUIDE, "PPPFFP"),
    Draft("note_pushy_be_my_mentor", "linkedin_note", NOTE_PUSHY, "FFFFPP"),
    # --- LinkedIn messages ---------------------------------------------------------------------
    Draft("message_good_monthly", "linkedin_message", MESSAGE_GOOD, "PPPPPP"),
    Draft("message_too_short", "linkedin_message", MESSAGE_TOO_SHORT, "FPFFPF"),
    Draft(
        "message_name_only_is_not_personal",
        "linkedin_message",
        MESSAGE_NAME_ONLY,
        "PPFPPP",
        {"mentor_name": "Lena Park"},
    ),
    Draft("message_curly_apostrophes", "linkedin_message", MESSAGE_CURLY, "PPPPPP"),
    Draft("message_no_question", "linkedin_message", MESSAGE_MONTHLY_NO_QUESTION, "PPPPFP"),
    # --- in person -----------------------------------------------------------------------------
    Draft("in_person_good", "in_person", IN_PERSON_GOOD, "PPPPPP"),
    Draft("in_person_office", "in_person", IN_PERSON_OFFICE, "PPPPPP"),
    Draft("in_person_vague", "in_person", IN_PERSON_VAGUE, "FFFFPF"),
    Draft("in_person_rambling", "in_person", IN_PERSON_RAMBLING, "PFPPPF"),
]


def _report(draft: Draft) -> RubricReport:
    return check_outreach(draft.text, draft.channel, **draft.kwargs)


def _item(report: RubricReport, item_id: str):
    return next(item for item in report.items if item.id == item_id)


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.id)
def test_draft_verdicts(draft: Draft):
    report = _report(draft)
    got = "".join("P" if item.passed else "F" for item in report.items)
    detail = "\n".join(
        f"  {item.id}: {'P' if item.passed else 'F'} ({item.evidence})" for item in report.items
    )
    assert got == draft.expect, f"expected {draft.expect}, got {got}\n{detail}"
    assert report.passed == (draft.expect == "PPPPPP")
    assert [item.id for item in report.failed()] == [
        item_id for item_id, flag in zip(ORDER, draft.expect, strict=True) if flag == "F"
    ]


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.id)
def test_six_items_in_order(draft: Draft):
    report = _report(draft)
    assert [item.id for item in report.items] == ORDER
    assert report.channel == draft.channel


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda d: d.id)
def test_passed_evidence_is_verbatim_and_failed_items_have_a_fix(draft: Draft):
    for item in _report(draft).items:
        assert item.evidence.strip(), item
        if item.passed:
            assert item.suggestion == ""
            if item.id in TEXT_ITEMS:
                assert item.evidence in draft.text, item
        else:
            assert item.suggestion.strip(), item


def test_to_dict_shape():
    report = check_outreach(NO_RECIPROCITY_EMAIL, "email", subject="20 minutes on reviews?")
    data = report.to_dict()
    assert set(data) <= {"passed", "items", "channel"}
    assert {"passed", "items"} <= set(data)
    assert data["passed"] is False
    assert [item["id"] for item in data["items"]] == ORDER
    for item in data["items"]:
        assert set(item) == {"id", "passed", "evidence", "suggestion"}
        assert isinstance(item["passed"], bool)
        assert isinstance(item["evidence"], str)
        assert isinstance(item["suggestion"], str)
    assert [i["passed"] for i in data["items"]] == [True, True, True, False, True, True]
    assert json.loads(json.dumps(data)) == data


def test_specific_evidence_phrases():
    report = check_outreach(
        COLD_EMAIL, "email", subject="Question about your move into UX research"
    )
    assert _item(report, "specific_goal").evidence.startswith("My goal is to move into a UX")
    assert _item(report, "bounded_ask").evidence == "20-minute call"
    assert _item(report, "personalized").evidence.startswith("I read your talk notes")
    assert _item(report, "reciprocity").evidence.startswith("If you're too busy")
    assert (
        _item(report, "question").evidence
        == "Would you be open to a 20-minute call in the next few weeks?"
    )


def test_adjacent_bounds_are_joined_into_one_phrase():
    bounded = _item(check_outreach(MESSAGE_GOOD, "linkedin_message"), "bounded_ask")
    assert bounded.evidence == "30 minutes once a month for the next three months"


def test_a_real_ask_is_preferred_over_a_two_minute_opener():
    bounded = _item(check_outreach(IN_PERSON_OFFICE, "in_person"), "bounded_ask")
    assert bounded.evidence == "30 minutes"


def test_unbounded_ask_is_named_in_evidence():
    report = check_outreach(NOTE_PUSHY, "linkedin_note")
    bounded = _item(report, "bounded_ask")
    assert not bounded.passed
    assert "be my mentor" in bounded.evidence
    assert "one quick question" in bounded.suggestion  # a note makes a light ask
    email = _item(check_outreach(GENERIC_EMAIL, "email", subject="Hi"), "bounded_ask")
    assert "be my mentor" in email.evidence
    assert "20-minute call" in email.suggestion


def test_vague_goal_is_quoted_in_suggestion():
    goal = _item(check_outreach(NOTE_PUSHY, "linkedin_note"), "specific_goal")
    assert not goal.passed
    assert "want to grow" in goal.suggestion


# ---------------------------------------------------------------------------------------------
# Item definitions, phrase by phrase.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I want to move into product management.",
        "My goal is to lead a team of five by next year.",
        "I'm working toward a staff engineer promotion.",
        "I'm working towards moving into data engineering.",
        "I'm aiming to pass the AWS Solutions Architect exam in June.",
        "I'm trying to get my first job in cybersecurity.",
        "I'm preparing for my first tech lead role.",
        "I'm learning SQL so that I can move into analytics.",
        "I want to improve my public speaking by presenting at one meetup this quarter.",
        "I'd like to transition from teaching into instructional design.",
        "I'm transitioning from QA into security engineering.",
        "I want to become an engineering manager within two years.",
        "I want to build a portfolio of three UX case studies.",
        "I lead our support team, and my goal is to move into an associate PM role this year.",
        "You asked what I want: I'm aiming to lead the mobile team by spring.",
    ],
)
def test_goal_accepts_concrete_goals(text):
    goal = _item(check_outreach(text, "email", subject="s"), "specific_goal")
    assert goal.passed, text
    assert goal.evidence in text


@pytest.mark.parametrize(
    "text",
    [
        "I want to grow.",
        "I want to be better.",
        "I want to get better.",
        "I want to grow as a professional.",
        "I want to become a better engineer.",
        "My goal is to keep learning and growing.",
        "I'd love to learn from you.",
        "I want to take my career to the next level.",
        "I'm trying to improve myself.",
        "I want to be your mentee.",
        "We want to hire two engineers.",
        "You're trying to build a great team.",
        "Your post on moving into SRE was great.",
        "I hope you're working toward a relaxing summer.",
    ],
)
def test_goal_rejects_vague_or_missing_goals(text):
    assert not _item(check_outreach(text, "email", subject="s"), "specific_goal").passed, text


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Could we talk for 20 minutes next week?", "20 minutes"),
        ("Half an hour in May would be plenty.", "Half an hour"),
        ("Would a 30-minute call work for you?", "30-minute call"),
        ("Could we do a quick 15 min call?", "15 min call"),
        ("Could we meet once a month?", "once a month"),
        ("Would a monthly call work?", "monthly call"),
        ("Could we talk every other week?", "every other week"),
        ("I'd love your advice for the next three months.", "for the next three months"),
        ("Could I buy you a single coffee?", "a single coffee"),
        ("Could I ask you one question by email?", "one question"),
        ("Could I ask you two or three questions over email?", "two or three questions"),
        ("I'd love to meet monthly while I make the switch.", "meet monthly"),
    ],
)
def test_bounded_ask_accepts_durations_and_frequencies(text, evidence):
    bounded = _item(check_outreach(text, "email", subject="s"), "bounded_ask")
    assert bounded.passed, text
    assert bounded.evidence == evidence


@pytest.mark.parametrize(
    "text",
    [
        "Would you be my mentor?",
        "I'd love to pick your brain sometime.",
        "Could we have a short call at some point?",
        "Your 45-minute keynote was brilliant; would you mentor me?",
        "I listen to your weekly podcast every Monday.",
        "I have 5 years of experience in QA.",
        "I liked the part about weekly customer calls.",
    ],
)
def test_bounded_ask_rejects_unbounded_asks(text):
    assert not _item(check_outreach(text, "email", subject="s"), "bounded_ask").passed, text


@pytest.mark.parametrize(
    "text",
    [
        "Your talk on incident reviews changed how I run them.",
        "Your post about leaving management stuck with me.",
        "I loved your article.",
        "I read your essay on hiring juniors.",
        "I saw your panel at LeadDev.",
        "I saw your LinkedIn post about burnout.",
        "Your work on the Rust compiler is why I'm writing.",
        "Your experience leading a remote team is what I'm hoping to learn from.",
        "Your path from nursing to data science is close to mine.",
        "I know you led the checkout rewrite at Etsy.",
        "I heard you built the first version of the search team.",
        "As the engineering manager who started the guild, you've seen this before.",
        "Your team's approach to on-call is what drew me in.",
        "I'm writing to you because you write a newsletter about first-time managers.",
        "I'm writing because you mentor engineers through the promotion process.",
        "I wanted to ask you because you redesigned the hospital's handover process.",
        "I'm writing because you returned to work after a two-year career break.",
    ],
)
def test_personalized_accepts_references_to_their_work(text):
    personal = _item(check_outreach(text, "email", subject="s"), "personalized")
    assert personal.passed, text
    assert personal.evidence in text


@pytest.mark.parametrize(
    "text",
    [
        "Hi Lena, I admire your career and your success.",
        "I saw your profile on LinkedIn and you seem great.",
        "I saw your LinkedIn profile.",
        "You're very successful and an inspiration.",
        "As a junior engineer, I'd value your advice.",
        "I'm reaching out to you as a fellow engineer.",
        "I love your work.",
        "Would you mentor me for 30 minutes a month?",
        "How do you run your 1:1s?",
    ],
)
def test_personalized_rejects_generic_flattery_and_self_description(text):
    personal = _item(check_outreach(text, "email", subject="s", mentor_name="Lena"), "personalized")
    assert not personal.passed, text


@pytest.mark.parametrize(
    "text",
    [
        "I'm happy to share my notes afterwards.",
        "I'd be glad to help with your community meetup.",
        "I can share the survey results with you.",
        "In return, I can review your next conference talk.",
        "I know you're busy.",
        "I know your time is valuable.",
        "No pressure at all.",
        "If now isn't a good time, that's fine.",
        "I'd completely understand if you can't.",
        "I'll come prepared with questions.",
        "I'll keep it to 20 minutes.",
        "I'll send an agenda the day before.",
        "Totally fine if you're swamped.",
    ],
)
def test_reciprocity_accepts_offers_and_respect_for_time(text):
    recip = _item(check_outreach(text, "email", subject="s"), "reciprocity")
    assert recip.passed, text
    assert recip.evidence in text


@pytest.mark.parametrize(
    "text",
    ["Please reply as soon as possible.", "I need your help urgently.", "Thanks in advance!"],
)
def test_reciprocity_rejects_demands(text):
    assert not _item(check_outreach(text, "email", subject="s"), "reciprocity").passed


@pytest.mark.parametrize(
    "text",
    [
        "What's one skill you'd focus on in my position?",
        "Let me know if a call next week works.",
        "Would you be open to a short chat.",
        "Could we find 20 minutes in May.",
        "Are you free on Thursday afternoon.",
        "Reply with a time that suits you.",
        "If you're open to it, I'll send a calendar link.",
    ],
)
def test_question_accepts_questions_and_calls_to_action(text):
    question = _item(check_outreach(text, "email", subject="s"), "question")
    assert question.passed, text
    assert question.evidence in text


@pytest.mark.parametrize(
    "text",
    ["I would love to connect.", "Looking forward to hearing from you.", "Thanks for reading."],
)
def test_question_rejects_statements(text):
    assert not _item(check_outreach(text, "email", subject="s"), "question").passed


def test_question_evidence_is_the_whole_question_sentence():
    text = "I'm a QA engineer. Would a call in the next two weeks work? Thanks, Sam"
    assert (
        _item(check_outreach(text, "email", subject="s"), "question").evidence
        == "Would a call in the next two weeks work?"
    )


# ---------------------------------------------------------------------------------------------
# personalized via the mentor's bio and name
# ---------------------------------------------------------------------------------------------

BIO = (
    "Dr. Lena Park is VP of Engineering at Stripe, where she leads the payments platform team. "
    "Previously she was a Staff Engineer at Shopify and co-founded Threatwise. She writes about "
    "threat modelling, incident response and hiring security engineers, and speaks on moving "
    "from QA into security."
)

BIO_DRAFT = (
    "Hi Lena, I'm a QA engineer working toward an application security role by next summer. "
    "Threat modelling is the skill I keep coming back to, and I'd love to hear how it's done on a "
    "payments platform. Could we do a 20-minute call in the next few weeks? No pressure if you're "
    "busy."
)


def test_bio_terms_extracts_companies_roles_and_topics():
    terms = bio_terms(BIO)
    for expected in [
        "VP of Engineering",
        "Stripe",
        "Shopify",
        "Staff Engineer",
        "Threatwise",
        "threat modelling",
        "incident response",
        "payments platform",
    ]:
        assert expected in terms, (expected, terms)
    lowered = {t.lower() for t in terms}
    assert not lowered & {"lena", "park", "lena park", "dr", "she", "previously"}
    assert len(lowered) == len(terms)  # no duplicates


def test_bio_terms_first_person_bio_leaves_out_own_name():
    terms = bio_terms(
        "I'm Priya, a principal data scientist at Ocado working on demand forecasting. I "
        "co-organise PyData London and write a newsletter about MLOps for small teams."
    )
    assert "Priya" not in terms
    assert {"Ocado", "PyData London", "MLOps", "demand forecasting"} <= set(terms)


def test_bio_terms_keep_accented_names_whole():
    """Seen in the final persona run: 'Lucía', 'García' and 'Siobhán' were cut at the accent
    ('Luc', 'Garc', 'Siobh' came out as terms of the bio)."""
    terms = bio_terms(
        "Siobhán Byrne leads the renewable energy practice at Ó Briain & Co and runs business "
        "development training with Tom García."
    )
    assert {"renewable energy practice", "Ó Briain & Co", "Tom García"} <= set(terms)
    assert not any(t.startswith(("Siobh", "Byrne")) for t in terms)  # her own name is left out


def test_role_typed_before_the_bio_gives_the_role_and_never_counts_the_name():
    # The drafter joins the mentor's role and bio: "<role> <bio>".
    terms = bio_terms("Senior Product Designer Marcus Oyelaran is Head of Design at Monzo.")
    assert {"Senior Product Designer", "Head of Design", "Monzo"} <= set(terms)
    text = "Hi Marcus Oyelaran, would you be open to a 20-minute call next week?"
    report = check_outreach(
        text, "linkedin_message", mentor_name="Marcus Oyelaran", mentor_terms=terms
    )
    assert not _item(report, "personalized").passed


def test_term_running_into_the_name_keeps_its_other_words():
    terms = bio_terms("Engineering Manager at Stripe Lena Park leads the payments platform team.")
    text = "Hi Lena, I'm hoping to join Stripe's infrastructure org next year."
    assert not _item(check_outreach(text, "email", subject="s"), "personalized").passed
    personal = _item(
        check_outreach(text, "email", subject="s", mentor_name="Lena Park", mentor_terms=terms),
        "personalized",
    )
    assert personal.passed
    assert personal.evidence == "Stripe"


def test_bio_terms_empty_bio():
    assert bio_terms("") == []


def test_mentor_terms_from_bio_make_personalized_pass():
    without = _item(check_outreach(BIO_DRAFT, "linkedin_message"), "personalized")
    assert not without.passed
    with_terms = _item(
        check_outreach(
            BIO_DRAFT, "linkedin_message", mentor_name="Lena Park", mentor_terms=bio_terms(BIO)
        ),
        "personalized",
    )
    assert with_terms.passed
    assert with_terms.evidence in BIO_DRAFT
    assert with_terms.evidence.lower() == "threat modelling"


def test_personalized_suggestion_names_bio_terms_but_not_the_name():
    text = "Hi Lena, would you be open to a 20-minute call next week? No pressure."
    personal = _item(
        check_outreach(
            text, "linkedin_message", mentor_name="Lena Park", mentor_terms=["Lena Park", "Stripe"]
        ),
        "personalized",
    )
    assert not personal.passed
    assert '"Stripe"' in personal.suggestion
    assert "Lena Park" not in personal.suggestion


def test_mentor_name_alone_never_counts_even_as_a_term():
    text = "Hi Lena Park, I hope you're well. Lena, would you be open to a 20-minute call?"
    report = check_outreach(
        text, "linkedin_message", mentor_name="Lena Park", mentor_terms=["Lena Park", "Lena"]
    )
    assert not _item(report, "personalized").passed


def test_mentor_name_followed_by_a_reference_counts():
    text = "Sam told me about Lena's talk at BSides on threat modelling for small teams."
    assert not _item(check_outreach(text, "email", subject="s"), "personalized").passed
    report = check_outreach(text, "email", subject="s", mentor_name="Lena Park")
    personal = _item(report, "personalized")
    assert personal.passed
    assert personal.evidence.startswith("Lena's talk")


# ---------------------------------------------------------------------------------------------
# length
# ---------------------------------------------------------------------------------------------


def _note_of_length(n: int) -> str:
    filler = " Thanks again for sharing it so openly with everyone who reads your posts"
    text = NOTE_GOOD + filler
    text = text + " " + "x" * (n - len(text) - 1)
    assert len(text) == n
    return text


def test_note_300_chars_passes_301_fails():
    at_limit = _item(check_outreach(_note_of_length(300), "linkedin_note"), "length")
    assert at_limit.passed
    assert "300 characters (limit 300)" in at_limit.evidence
    over = _item(check_outreach(_note_of_length(301), "linkedin_note"), "length")
    assert not over.passed
    assert "301 characters (limit 300)" in over.evidence
    assert "1 characters" in over.suggestion or "Cut at least 1 character" in over.suggestion


def test_note_chars_include_spaces():
    text = NOTE_GOOD
    evidence = _item(check_outreach(text, "linkedin_note"), "length").evidence
    assert evidence.startswith(f"{len(text)} characters (limit 300)")


def test_note_too_few_words_fails():
    item = _item(
        check_outreach(
            "Hi Carlos, loved your post on SRE. Would like to connect!", "linkedin_note"
        ),
        "length",
    )
    assert not item.passed
    assert "min 15" in item.evidence
    assert "Add about" in item.suggestion


def test_email_without_subject_fails_length():
    for subject in (None, "", "   "):
        item = _item(check_outreach(COLD_EMAIL, "email", subject=subject), "length")
        assert not item.passed
        assert "no subject" in item.evidence
        assert "subject" in item.suggestion.lower()


def test_email_subject_80_passes_81_fails():
    assert _item(check_outreach(COLD_EMAIL, "email", subject="a" * 80), "length").passed
    item = _item(check_outreach(COLD_EMAIL, "email", subject="a" * 81), "length")
    assert not item.passed
    assert "81 characters" in item.evidence


def test_subject_is_only_needed_for_email():
    assert _item(check_outreach(MESSAGE_GOOD, "linkedin_message"), "length").passed


def test_long_email_evidence_and_suggestion_give_counts():
    item = _item(check_outreach(RAMBLING_EMAIL, "email", subject="Hello"), "length")
    words = len(RAMBLING_EMAIL.split())
    assert words > 380
    assert item.evidence.startswith(f"{words} words (range 60-220)")
    assert f"Cut about {words - 220} words" in item.suggestion


def test_short_in_person_suggests_adding_words():
    item = _item(check_outreach(IN_PERSON_VAGUE, "in_person"), "length")
    words = len(IN_PERSON_VAGUE.split())
    assert item.evidence.startswith(f"{words} words (range 25-130)")
    assert f"Add about {25 - words} words" in item.suggestion


# ---------------------------------------------------------------------------------------------
# channels, errors, empty input
# ---------------------------------------------------------------------------------------------


def test_channel_rules():
    assert list(CHANNELS) == ["email", "linkedin_note", "linkedin_message", "in_person"]
    assert CHANNELS["linkedin_note"].max_chars == 300
    assert CHANNELS["linkedin_note"].label == "LinkedIn connection note"
    assert [name for name, rule in CHANNELS.items() if rule.needs_subject] == ["email"]
    assert all(rule.name == name for name, rule in CHANNELS.items())
    for rule in CHANNELS.values():
        assert 0 < rule.min_words < rule.max_words


def test_unknown_channel_lists_valid_ones():
    with pytest.raises(ValueError) as info:
        check_outreach(COLD_EMAIL, "twitter_dm")
    message = str(info.value)
    assert "twitter_dm" in message
    for name in CHANNELS:
        assert name in message


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_fails_every_item(channel, text):
    report = check_outreach(text, channel, subject="Question about your talk")
    assert [item.id for item in report.items] == ORDER
    assert not report.passed
    assert all(not item.passed and item.suggestion for item in report.items)
    assert _item(report, "length").evidence == "empty"
