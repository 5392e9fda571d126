"""Deterministic rubric for a request to a prospective mentor (no model, no network).

Six checks, in a fixed order: specific_goal, bounded_ask, personalized, reciprocity, question,
length. Each passed text check carries the verbatim phrase of the draft that satisfied it, so a UI
can highlight it; each failed check says what is missing and suggests a concrete fix.

The checks are pattern-based and deliberately conservative: they look for the phrasings mentees
actually use (see knowledge/outreach-request-anatomy.md), not for meaning. Only the body text is
searched for the five text checks; the email subject counts for `length` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ITEM_IDS = ("specific_goal", "bounded_ask", "personalized", "reciprocity", "question", "length")
MAX_SUBJECT_CHARS = 80
_EVIDENCE_WORDS = 12  # longest evidence phrase, in words


@dataclass(frozen=True)
class ChannelRule:
    name: str
    label: str
    max_chars: int | None  # counted on the whole (stripped) text, spaces included
    min_words: int
    max_words: int
    needs_subject: bool


CHANNELS: dict[str, ChannelRule] = {
    "email": ChannelRule("email", "Email", None, 60, 220, True),
    "linkedin_note": ChannelRule("linkedin_note", "LinkedIn connection note", 300, 15, 75, False),
    "linkedin_message": ChannelRule("linkedin_message", "LinkedIn message", None, 40, 160, False),
    "in_person": ChannelRule("in_person", "In-person script", None, 25, 130, False),
}


@dataclass
class RubricItem:
    id: str
    passed: bool
    evidence: str  # passed: verbatim phrase from the draft; failed: what was missing
    suggestion: str  # failed: a concrete fix with an example phrase; "" when passed


@dataclass
class RubricReport:
    channel: str
    passed: bool
    items: list[RubricItem]

    def to_dict(self) -> dict:
        return {
            "channel": self.channel,
            "passed": self.passed,
            "items": [
                {
                    "id": item.id,
                    "passed": item.passed,
                    "evidence": item.evidence,
                    "suggestion": item.suggestion,
                }
                for item in self.items
            ],
        }

    def failed(self) -> list[RubricItem]:
        return [item for item in self.items if not item.passed]


# --- text helpers ------------------------------------------------------------------------------


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile case-insensitively; a straight apostrophe in the pattern also matches a curly one."""
    return re.compile(pattern.replace("'", "['’]"), re.IGNORECASE)


_WORD = re.compile(r"\S*\w\S*")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s|$)|\n")
# Where a clause stops: sentence end, semicolon, comma, colon, dash, newline, "and I ...".
_CLAUSE_END = _rx(
    r"[.!?;,:](?=\s|$)|\n|\s[—–-]\s|\s\("
    r"|\s(?:and|but|so|because|while|which|since)\s+(?:I|I'm|I've|I'd|you|you're|we|it|this|that)\b"
)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#’'-]*", re.IGNORECASE)


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Pronouns, compared after curly apostrophes are straightened (see _words_before).
_FIRST_PERSON = _words("i i'm i've i'd i'll me my myself")
_SECOND_PERSON = _words("you you're you've you'd you'll your yours")
_OTHER_PERSON = _SECOND_PERSON | _words("he she they he's she's they're his her their we we're")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end (exclusive, before the terminal punctuation) of the sentence holding pos."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= pos:
            start = m.end()
        else:
            return start, m.start()
    return start, len(text)


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


def _trim_span(text: str, start: int, end: int, max_words: int = _EVIDENCE_WORDS) -> str:
    """The verbatim text[start:end], stripped and cut to at most max_words words."""
    words = list(_WORD.finditer(text, start, end))
    if len(words) > max_words:
        words = words[:max_words]
        while len(words) > 3 and words[-1].group(0).lower() in _STOP:
            words.pop()  # not "... a UX research role within the"
        end = words[-1].end()
    return text[start:end].strip().rstrip(",;:—–-").strip()


def _phrase(text: str, m: re.Match[str]) -> str:
    """Evidence for a match: from the match start to the end of its clause (at least the match)."""
    end = max(m.end(), _clause_end(text, m.end()))
    return _trim_span(text, m.start(), end)


def _words_before(text: str, pos: int) -> list[str]:
    start, _ = _sentence_bounds(text, pos)
    return [w.lower().replace("’", "'").strip('.,;:!?"()') for w in text[start:pos].split()]


def _last_subject_is_other(text: str, pos: int) -> bool:
    """True when the nearest pronoun before pos, in the same sentence, is not first person."""
    for word in reversed(_words_before(text, pos)):
        if word in _FIRST_PERSON:
            return False
        if word in _OTHER_PERSON:
            return True
    return False


def _earliest(matches: list[tuple[int, str]]) -> str | None:
    """The phrase found first in the text (ties: the first pattern listed)."""
    return min(matches, key=lambda pair: pair[0])[1] if matches else None


# --- specific_goal -----------------------------------------------------------------------------

_GOAL_VERBS = (
    r"(?:become|be|move|get|land|learn|lead|transition|switch|build|improve|grow|break|step|make"
    r"|develop|earn|pass|start|launch|run|manage|ship|publish|change|pivot|join|go|qualify|master"
    r"|write|finish|complete|apply|take on|own|secure|reach|achieve|gain|strengthen|sharpen"
    r"|contribute|found|raise|prepare|speciali[sz]e|focus|level up|shift|return|work)"
)
_GOAL_VERBS_ING = (
    r"(?:becoming|moving|getting|landing|learning|leading|transitioning|switching|building"
    r"|improving|growing|breaking|stepping|making|developing|earning|passing|starting|launching"
    r"|pivoting|joining|going|shifting|preparing|returning|working)"
)
_I = r"\bI(?:'m| am)(?: currently| now| actively| really| also| slowly)?"
_I_OPT = r"(?:" + _I + r" )?\b"  # "I'm aiming to" or "a QA engineer aiming to"

# (pattern, object must be checked). Patterns ending in a verb are followed by the object.
_GOAL_TRIGGERS: list[tuple[re.Pattern[str], bool]] = [
    (
        _rx(
            r"\bmy (?:main |immediate |short-term |long-term |next |big |real |career |current )?"
            r"(?:goal|aim|plan|target|ambition|objective)(?: for [^.?!\n]{1,40}?)?"
            r" is(?: to| that)?\b"
        ),
        True,
    ),
    (_rx(_I_OPT + r"working (?:towards?|to " + _GOAL_VERBS + r"\b)"), True),
    (_rx(_I_OPT + r"working on " + _GOAL_VERBS_ING + r"\b"), True),
    (_rx(_I_OPT + r"(?:aiming|hoping|planning|preparing) for\b"), True),
    (_rx(r"\bpreparing for\b"), True),
    (
        _rx(
            _I_OPT
            + r"(?:aiming|hoping|trying|looking|planning|preparing|working|striving|intending)"
            r" to " + _GOAL_VERBS + r"\b"
        ),
        True,
    ),
    (
        _rx(
            r"\bI(?:'d| would)?(?: really| also| eventually| ultimately| now| still| very much)?"
            r" (?:want|like|love|hope|plan|intend|aim|expect|wish|need) to " + _GOAL_VERBS + r"\b"
        ),
        True,
    ),
    (_rx(r"\bso(?: that)? I can " + _GOAL_VERBS + r"\b"), True),
    # any other verb after "I want to": its object decides whether the goal is concrete
    (
        _rx(
            r"\bI(?:'d| would)?(?: really| also)? (?:want|like|love|hope|plan|intend|aim) to"
            r" (?!(?:be|get|become|grow|improve|do|have|feel|know|talk|chat|meet|ask|hear|pick"
            r"|connect|catch|grab|see|say|thank|share|introduce|reach|hop|jump|set)\b)[a-z]+"
        ),
        True,
    ),
    (
        _rx(
            _I + r" (?:moving|transitioning|switching|pivoting|shifting|changing careers?)"
            r"(?: from [^.?!\n,]{1,50}?)? (?:in)?to\b"
        ),
        True,
    ),
    (
        _rx(
            r"\b(?:planning|considering|preparing|making|working toward|aiming for) (?:a|my)"
            r" (?:move|switch|transition|pivot|jump|career change)(?: from [^.?!\n,]{1,50}?)?"
            r" (?:in)?to\b"
        ),
        True,
    ),
    # "planning the same switch": the object is the mentor's concrete path named nearby.
    (
        _rx(
            r"\b(?:planning|making|attempting|preparing for|aiming for|working toward"
            r"|trying to make|hoping to make|want to make|'d like to make)"
            r" (?:the same|a similar|that same)"
            r" (?:switch|move|transition|jump|pivot|path|career change)\b"
        ),
        False,
    ),
]

_STOP = _words(
    """a an the to of in into on at for from with by and or my me i i'm you your yours our we it
    its as so that this these those what how about some any up out all can could would will most
    there here is are be been am was one day someday eventually soon now someone something more
    very really just also even still well much lot lots way ways being doing than then them they
    next year years month months week weeks time when where which who while within over"""
)
_VAGUE = _words(
    """grow growth better best improve improvement develop development learn learning get become do
    make take move go start build lead work keep continue find figure understand know have see
    reach achieve succeed success successful progress advance excel thrive level step steps up
    career careers job jobs role roles position opportunity opportunities field industry space
    area skills skill skillset knowledge experience potential version self professionally
    personally professional personal journey path direction clarity forward ahead higher further
    things stuff great good advice help guidance feedback thoughts input perspective
    perspectives insight insights mentor mentorship mentoring chat call coffee brain
    conversation connect network networking change changes difference impact life goals goal new
    same different whatever everything anything myself yourself mentee protege protégé growing
    improving developing getting becoming progressing advancing succeeding excelling thriving
    moving going doing making taking building leading starting keeping continuing finding
    reaching achieving learning working changing helping stronger faster smarter"""
)
_GENERIC_PEOPLE = _words(
    """engineer developer designer professional leader person employee worker teammate colleague
    contributor individual manager"""
)
_EVALUATIVE = {"better", "stronger", "best", "great", "good", "successful", "effective", "well"}


def _concrete_object(text: str, pos: int) -> bool:
    """Whether the clause after pos names something concrete (not just 'grow' or 'be better')."""
    clause = text[pos : _clause_end(text, pos)]
    tokens = [t.lower().replace("’", "'") for t in _TOKEN.findall(clause)][:12]
    content = [t for t in tokens if t not in _STOP and t not in _VAGUE]
    if not content:
        return False
    # "become a better engineer": a generic person noun qualified only by praise is still vague.
    return not (set(content) <= _GENERIC_PEOPLE and _EVALUATIVE & set(tokens))


def _check_goal(text: str) -> tuple[str | None, str | None]:
    """(evidence, vague phrase seen)."""
    found: list[tuple[int, str]] = []
    vague: list[tuple[int, str]] = []
    for pattern, needs_object in _GOAL_TRIGGERS:
        for m in pattern.finditer(text):
            starts_first_person = m.group(0).split()[0].lower().replace("’", "'") in _FIRST_PERSON
            if not starts_first_person and _last_subject_is_other(text, m.start()):
                continue  # "you're aiming to ...": someone else's goal
            if needs_object and not _concrete_object(text, m.end()):
                vague.append((m.start(), _phrase(text, m)))
                continue
            found.append((m.start(), _phrase(text, m) if needs_object else m.group(0)))
    return _earliest(found), _earliest(vague)


# --- bounded_ask -------------------------------------------------------------------------------

_NUM = (
    r"(?:\d{1,3}|five|ten|fifteen|twenty|twenty[- ]five|thirty|forty[- ]five|forty|sixty|ninety"
    r"|two|three|four|six|eight|twelve)"
)
_MEETING = (
    r"(?:\s+(?:video |phone |zoom |virtual |quick |short )?"
    r"(?:call|chat|coffee|conversation|meeting|session))?"
)
_BOUNDS = [
    _rx(r"\b" + _NUM + r"[- ]?(?:minutes?|mins?)\b" + _MEETING),
    _rx(r"\b(?:half an|half-an|an|one|1) hour\b(?!s)" + _MEETING),
    _rx(r"\b(?:half[- ]hour|hour-long)\b" + _MEETING),
    _rx(r"\b(?:a few|a couple(?: of)?|couple of) minutes\b"),
    _rx(r"\b(?:once|twice|one time) (?:a|per|every) (?:week|month|quarter|fortnight)\b"),
    _rx(r"\bonce every (?:two|three|four|six|few|other|2|3|4|6) (?:weeks|months)\b"),
    _rx(r"\bevery (?:other|second|two|three|four|few|2|3|4) (?:weeks?|months?)\b"),
    _rx(r"\bevery (?:week|month|quarter)\b"),
    # "a monthly call", "meet fortnightly"; not "the part about weekly customer calls"
    _rx(
        r"\b(?:monthly|bi-?weekly|fortnightly|quarterly|weekly|bi-?monthly)\s+(?:video |phone "
        r"|zoom |virtual |quick |short )?(?:calls?|chats?|coffees?|conversations?|meetings?"
        r"|sessions?|check-ins?|1:1s?|one-on-ones?)\b"
    ),
    _rx(
        r"\b(?:meet|talk|chat|speak|call|catch up|check in)(?: up)?"
        r" (?:monthly|bi-?weekly|fortnightly|quarterly|weekly|bi-?monthly)\b"
    ),
    _rx(
        r"\bfor (?:the next |the first )?(?:" + _NUM + r"|a few|a couple of) "
        r"(?:weeks|months|sessions|calls|conversations)\b"
    ),
    _rx(r"\bover the next (?:" + _NUM + r"|few|couple of) (?:weeks|months)\b"),
    _rx(
        r"\b(?:a single|just one|one|1) (?:quick |short |brief |single )?"
        r"(?:call|coffee|chat|conversation|question|meeting|email|session|video call|phone call)\b"
    ),
    _rx(
        r"\b(?:two|three|four|2|3|4)(?: or (?:two|three|four|2|3|4))? (?:short |quick )?"
        r"(?:calls|sessions|chats|conversations|meetings|questions)\b"
    ),
]
# "your 45-minute keynote", "our weekly standup": a duration that is not part of the ask.
_NOT_ASK_AFTER = _words(
    """talk keynote presentation podcast video episode webinar workshop lecture read drive commute
    walk demo segment standup stand-up newsletter show course"""
)
_NOT_ASK_BEFORE = {"your", "his", "her", "their", "our", "my", "the"}
_UNBOUNDED = _rx(
    r"\b(?:be my mentor|mentor me|pick your brain|(?:grab|get) (?:a )?coffee sometime"
    r"|chat sometime|talk sometime|stay in touch|learn everything)\b"
)
_JOIN_GAP = re.compile(r"[\s,]*(?:(?:and|or|,)\s+)?")
# A few minutes right now (an in-person opener) is bounded, but a weaker ask than "20 minutes".
_SMALL_TALK = _rx(r"(?:two|three|four|a few|a couple(?: of)?|couple of|[1-4])[- ]?min")


def _check_bounded(text: str) -> str | None:
    found: list[tuple[int, int]] = []
    weak: list[tuple[int, int]] = []
    for pattern in _BOUNDS:
        for m in pattern.finditer(text):
            before = _words_before(text, m.start())
            after = _TOKEN.findall(text[m.end() : m.end() + 30])
            if before and before[-1] in _NOT_ASK_BEFORE:
                continue
            if after and after[0].lower() in _NOT_ASK_AFTER:
                continue
            found.append((m.start(), m.end()))
            if _SMALL_TALK.match(m.group(0)):
                weak.append(found.pop())
    found = found or weak  # "do you have two minutes?" only if there is no real ask
    if not found:
        return None
    # "30 minutes once a month for the next three months": join adjacent bounds into one phrase.
    found.sort()
    start, end = found[0]
    for s2, e2 in found[1:]:
        if s2 > end and not _JOIN_GAP.fullmatch(text[end:s2]):
            break
        end = max(end, e2)
    return text[start:end].strip()


# --- personalized ------------------------------------------------------------------------------

_MEDIA_WORDS = (
    r"talk|keynote|presentation|post|blog post|blog|article|essay|newsletter|book|podcast"
    r"|episode|thread|paper|video|webinar|workshop|course|panel|interview|answer|comment|writeup"
    r"|write-up|piece|tweet|lecture|slides|demo|case study|session|guide|tutorial|series|repo"
    r"|library|talks|posts|articles|essays|videos|papers|books"
)
_MEDIA = r"(?:" + _MEDIA_WORDS + r")"
_PAST = (
    r"(?:led|built|founded|co-founded|started|wrote|created|launched|ran|scaled|grew|shipped"
    r"|designed|gave|spoke|presented|mentioned|described|shared|moved|switched|transitioned"
    r"|managed|organi[sz]ed|hosted|framed|handled|approached|explained|said|made|taught|changed"
    r"|rebuilt|migrated|published|open-sourced|hired|turned|navigated|went|took)"
)
_ROLE = (
    r"(?:engineer|manager|director|lead|leader|vp|vice president|head of \w+|founder|co-founder"
    r"|cto|ceo|cpo|coo|ciso|designer|researcher|scientist|architect|analyst|pm|principal"
    r"|consultant|organi[sz]er|maintainer|author|editor|speaker|partner|nurse|teacher|lawyer"
    r"|recruiter|executive|officer|developer|advocate|coach|chair|professor|instructor)"
)
_PERSONAL = [
    # "your talk", "your LinkedIn post", "your 2023 PyCon keynote"
    _rx(r"\byour (?:[\w-]+ ){0,2}?" + _MEDIA + r"\b"),
    _rx(
        r"\byour (?:work|research|writing|projects?)"
        r" (?:on|with|around|in|at|for|leading|building|scaling)\b"
    ),
    _rx(
        r"\byour (?:experience|time|years|background) (?:with|in|leading|at|as|moving|building"
        r"|running|managing|scaling|switching|transitioning|going|on)\b"
    ),
    _rx(
        r"\byour (?:own )?(?:career )?"
        r"(?:path|move|switch|transition|journey|shift|jump|pivot|route)"
        r" (?:from|into|to|out of)\b"
    ),
    _rx(r"\byour team's\b"),
    _rx(r"\byour (?:role|position) (?:as|at|on|leading)\b"),
    _rx(r"\byour (?:advice|point|points|thoughts|take|framing|approach|comments?) (?:on|about)\b"),
    _rx(
        r"\bI (?:'ve |have )?(?:really |recently |just |also )?(?:read|saw|seen|watched|listened to"
        r"|heard|attended|came across|found|enjoyed|loved|appreciated|followed|bookmarked"
        r"|shared|re-read|reread) (?:your|you)\b"
        # "I saw your profile" says nothing about their work
        r"(?! (?:profile|page|linkedin(?! (?:post|article|newsletter|video))|name|email|career"
        r"|success|journey|background|achievements|accomplishments|updates|activity|resume|cv"
        r"|website)\b)"
    ),
    _rx(r"\byou(?:'ve| have)? (?:also |once |recently )?" + _PAST + r"\b"),
]
_AS_ROLE = _rx(r"\bas (?:a|an|the) (?:(?!fellow\b)[\w-]+ ){0,3}?" + _ROLE + r"\b")
_AS_ROLE_SELF = _rx(r"^,?\s*(?:I|I'm|I've|I'd|myself|me|like me)\b")


def _as_role_matches(text: str) -> list[tuple[int, str]]:
    found = []
    for m in _AS_ROLE.finditer(text):
        s, e = _sentence_bounds(text, m.start())
        words = {w.lower().replace("’", "'").strip('.,;:!?"()') for w in text[s:e].split()}
        if not words & _SECOND_PERSON:
            continue
        if _AS_ROLE_SELF.match(text[m.end() :]) or _last_subject_is_first(text, m.start()):
            continue
        found.append((m.start(), _phrase(text, m)))
    return found


def _last_subject_is_first(text: str, pos: int) -> bool:
    for word in reversed(_words_before(text, pos)):
        if word in _FIRST_PERSON:
            return True
        if word in _SECOND_PERSON:
            return False
    return False


def _name_forms(name: str | None) -> list[str]:
    parts = [p for p in re.findall(r"[\w'’-]+", name or "") if len(p) > 1]
    parts = [p for p in parts if p.lower().rstrip(".") not in {"dr", "mr", "ms", "mrs", "prof"}]
    forms = [" ".join(parts)] if len(parts) > 1 else []
    return forms + parts


def _term_pattern(term: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in term.split())
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE)


def _check_personal(text: str, mentor_name: str | None, terms: list[str]) -> str | None:
    found: list[tuple[int, str]] = []
    for pattern in _PERSONAL:
        found.extend((m.start(), _phrase(text, m)) for m in pattern.finditer(text))
    found.extend(_as_role_matches(text))
    names = _name_forms(mentor_name)
    if names:
        alts = "|".join(re.escape(n) for n in names)
        possessive = _rx(
            r"\b(?:" + alts + r")'s (?:" + _MEDIA_WORDS + r"|work|team|path|move|experience)\b"
        )
        did = re.compile(r"\b(?:" + alts + r") " + _PAST + r"\b", re.IGNORECASE)
        for pattern in (possessive, did):
            found.extend((m.start(), _phrase(text, m)) for m in pattern.finditer(text))
    for term in terms:
        found.extend((m.start(), m.group(0)) for m in _term_pattern(term).finditer(text))
    return _earliest(found)


def _usable_terms(terms: list[str] | None, mentor_name: str | None) -> list[str]:
    """Mentor terms minus their name: merely saying the name does not count. A term that runs
    into the name ("Stripe Lena Park") keeps its other words ("Stripe")."""
    name_words = {n.lower() for n in _name_forms(mentor_name)}
    usable: list[str] = []
    for term in terms or []:
        piece: list[str] = []
        for word in [*term.split(), ""]:
            if word and word.lower().strip(".,") not in name_words:
                piece.append(word)
                continue
            joined = " ".join(piece).strip()
            piece = []
            if len(joined) >= 2 and joined not in usable:
                usable.append(joined)
    return usable


# --- reciprocity -------------------------------------------------------------------------------

_RECIPROCITY = [
    _rx(r"\bI(?:'m| am) (?:pretty |very |totally |completely |fully )?flexible\b"),
    _rx(r"\bI can come to you\b"),
    _rx(r"\b(?:wherever|whatever|whenever)(?:'s| is) (?:easiest|most convenient|best)\b"),
    _rx(r"\b(?:happy|glad) to\b"),
    _rx(r"\bI can (?:share|send|help|return|offer|pass)\b"),
    _rx(r"\bI'd (?:be glad|be happy|love) to (?:help|share|return|send you)\b"),
    _rx(r"\bin return\b"),
    _rx(
        r"\b(?:I know|I realise|I realize|I understand|I appreciate|knowing)(?: that)?"
        r" you(?:'re| are) (?:very |really |incredibly |extremely )?(?:busy|swamped|stretched)\b"
    ),
    _rx(r"\bI know (?:that )?your time is (?:valuable|limited|precious|scarce|in demand)\b"),
    _rx(r"\byour time is (?:valuable|limited|precious|scarce)\b"),
    _rx(r"\bno pressure\b"),
    _rx(r"\bno (?:worries|problem)(?: at all)? if\b"),
    _rx(r"\bif (?:now|this) (?:isn't|is not) (?:a good|the right) time\b"),
    _rx(r"\b(?:completely|totally|fully|entirely) understand(?:able)? if\b"),
    _rx(r"\b(?:totally|completely|perfectly|absolutely) (?:fine|okay|ok) if\b"),
    _rx(r"\bif you(?:'re| are) (?:too |very |really )?(?:busy|swamped|stretched|at capacity)\b"),
    _rx(r"\bI'll come prepared\b"),
    _rx(
        r"\bI(?:'ll| will) (?:come|arrive|turn up) (?:with (?:specific |a few |my |clear )?questions|with an agenda)\b"
    ),
    _rx(r"\bI(?:'ll| will| can) share what I (?:learn|find)\b"),
    _rx(r"\b(?:keep|stick) to (?:the|our) time\b"),
    _rx(
        r"\bI(?:'ll| will) keep (?:it|our (?:calls|meetings|chats|time)|them|things) (?:short|brief|focused|to time)\b"
    ),
    _rx(r"\bI'll keep it (?:to|under|short|brief)\b"),
    _rx(r"\bI'll send (?:an agenda|my questions|questions|a short agenda|the questions)\b"),
    _rx(r"\b(?:respect|value) your time\b"),
    _rx(r"\b(?:at a time|whenever|whatever time) (?:that )?(?:works|suits) (?:for )?you\b"),
    _rx(r"\bwork around your (?:schedule|calendar)\b"),
    _rx(r"\bI understand if (?:you|now|this)\b"),
]


def _check_reciprocity(text: str) -> str | None:
    found = [(m.start(), _phrase(text, m)) for p in _RECIPROCITY for m in p.finditer(text)]
    return _earliest(found)


# --- question ----------------------------------------------------------------------------------

_QUESTION = re.compile(r"(?:[^\s.!?]|[.!](?!\s))(?:[^\n.!?]|[.!](?!\s))*\?")
_CTA = [
    _rx(r"\blet me know (?:if|whether|when|what|which)\b"),
    _rx(r"\bwould you be (?:open|willing|up for|available)\b"),
    _rx(r"\bwould you have (?:time|a few minutes|\d+ minutes)\b"),
    _rx(r"\bcould we\b"),
    _rx(r"\bare you (?:free|available|around)\b"),
    _rx(r"\breply with (?:a|any) (?:time|times|day|slot)\b"),
    _rx(r"\bif you're open to it, I'll send\b"),
    _rx(r"\bif you(?:'re| are) open to (?:it|that|this)\b"),
    _rx(r"\b(?:feel free to|please) (?:reply|suggest|pick|send|let me know)\b"),
    _rx(r"\bsuggest a (?:time|slot|day)\b"),
]


def _check_question(text: str) -> str | None:
    found = [
        (m.start(), _trim_span(text, m.start(), m.end(), 40)) for m in _QUESTION.finditer(text)
    ]
    found.extend((m.start(), _phrase(text, m)) for p in _CTA for m in p.finditer(text))
    return _earliest(found)


# --- length ------------------------------------------------------------------------------------


def _check_length(text: str, rule: ChannelRule, subject: str | None) -> RubricItem:
    body = text.strip()
    if not body:
        return RubricItem(
            "length",
            False,
            "empty",
            f"Write the {rule.label.lower()}: {rule.min_words}-{rule.max_words} words"
            + (f", at most {rule.max_chars} characters" if rule.max_chars else "")
            + ".",
        )
    words = count_words(body)
    facts, fixes = [], []
    if rule.max_chars is not None:
        chars = len(body)
        facts.append(f"{chars} characters (limit {rule.max_chars})")
        facts.append(f"{words} words (min {rule.min_words})")
        if chars > rule.max_chars:
            fixes.append(
                f"Cut at least {chars - rule.max_chars} characters to fit LinkedIn's "
                f"{rule.max_chars}-character limit; keep who you are, why them and a light ask, "
                "and save details for a message after they accept."
            )
    else:
        facts.append(f"{words} words (range {rule.min_words}-{rule.max_words})")
    if words > rule.max_words:
        fixes.append(
            f"Cut about {words - rule.max_words} words (aim for at most {rule.max_words}): drop "
            "your full background and keep one sentence each for who you are, why them, your goal "
            "and the ask."
        )
    elif words < rule.min_words:
        fixes.append(
            f"Add about {rule.min_words - words} words: one sentence on who you are and your goal, "
            'one on why them, e.g. "I\'m a support analyst working toward a UX research role."'
        )
    if rule.needs_subject:
        subj = (subject or "").strip()
        if not subj:
            facts.append("no subject line")
            fixes.append(
                'Add a specific subject line, e.g. "Question about your move into UX research".'
            )
        else:
            facts.append(f"subject {len(subj)} characters (limit {MAX_SUBJECT_CHARS})")
            if len(subj) > MAX_SUBJECT_CHARS:
                fixes.append(
                    f"Shorten the subject by at least {len(subj) - MAX_SUBJECT_CHARS} characters; "
                    'about 8 words, e.g. "20 minutes on your move into data engineering?"'
                )
    return RubricItem("length", not fixes, "; ".join(facts), " ".join(fixes))


# --- suggestions -------------------------------------------------------------------------------

_ASK_EXAMPLE = {
    "email": '"Would you be open to a 20-minute call in the next few weeks?"',
    "linkedin_note": '"...and maybe ask you one quick question once we\'re connected."',
    "linkedin_message": '"Would you be open to 30 minutes once a month for the next three months?"',
    "in_person": '"Could I email you and ask for 20 minutes sometime next month?"',
}
_RESPECT_EXAMPLE = {
    "email": "\"I know you're busy, so I'll keep it to 20 minutes and send my questions ahead.\"",
    "linkedin_note": '"No pressure at all."',
    "linkedin_message": '"If now isn\'t a good time, I completely understand."',
    "in_person": '"Totally fine if you\'re swamped."',
}


def _suggest(item_id: str, channel: str, vague: str | None, mentor_terms: list[str]) -> str:
    if item_id == "specific_goal":
        lead = f'"{vague}" is too vague to act on. ' if vague else ""
        return (
            lead + "Name what you're working toward in one sentence, with an object and ideally a "
            "time frame, e.g. \"I'm working toward moving from QA into security engineering this "
            'year."'
        )
    if item_id == "bounded_ask":
        return (
            "Make the ask small and time-boxed (a duration and/or frequency), e.g. "
            + _ASK_EXAMPLE[channel]
        )
    if item_id == "personalized":
        lead = "Say why them: refer to something specific they did, wrote or said"
        if mentor_terms:
            named = ", ".join(f'"{term}"' for term in mentor_terms[:3])
            return f"{lead}, e.g. one of {named} from their bio and why it matters to your goal."
        return (
            f'{lead}, e.g. "Your talk on learning threat modelling on the job was the clearest '
            "I've found.\""
        )
    if item_id == "reciprocity":
        return (
            "Acknowledge their time or offer something back, and give an easy no, e.g. "
            + _RESPECT_EXAMPLE[channel]
        )
    if item_id == "question":
        return (
            "End with one clear next step they can answer in one reply, e.g. "
            + _ASK_EXAMPLE["email" if channel == "linkedin_note" else channel]
        )
    raise ValueError(item_id)


_MISSING = {
    "specific_goal": "no concrete goal of yours",
    "bounded_ask": "no time-boxed ask (duration or frequency)",
    "personalized": "nothing specific about their work, role or path",
    "reciprocity": "no offer in return or acknowledgement of their time",
    "question": "no question or clear call to action",
}


# --- public API --------------------------------------------------------------------------------


def check_outreach(
    text: str,
    channel: str,
    *,
    subject: str | None = None,
    mentor_name: str | None = None,
    mentor_terms: list[str] | None = None,
) -> RubricReport:
    """Check a draft request against the six-part rubric for its channel."""
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}; valid channels: {', '.join(CHANNELS)}")
    rule = CHANNELS[channel]
    text = text or ""
    terms = _usable_terms(mentor_terms, mentor_name)
    empty = not text.strip()

    if empty:
        results: dict[str, str | None] = dict.fromkeys(ITEM_IDS[:5])
        vague = None
    else:
        goal, vague = _check_goal(text)
        results = {
            "specific_goal": goal,
            "bounded_ask": _check_bounded(text),
            "personalized": _check_personal(text, mentor_name, terms),
            "reciprocity": _check_reciprocity(text),
            "question": _check_question(text),
        }

    items = []
    for item_id in ITEM_IDS[:5]:
        evidence = results[item_id]
        if evidence:
            items.append(RubricItem(item_id, True, evidence, ""))
            continue
        missing = "empty draft" if empty else _MISSING[item_id]
        if item_id == "bounded_ask" and not empty and (m := _UNBOUNDED.search(text)):
            missing = f'open-ended ask ("{m.group(0)}") with no time limit'
        suggestion = _suggest(
            item_id, channel, vague if item_id == "specific_goal" else None, terms
        )
        items.append(RubricItem(item_id, False, missing, suggestion))
    items.append(_check_length(text, rule, subject))
    return RubricReport(channel, all(item.passed for item in items), items)


# --- bio_terms ---------------------------------------------------------------------------------

_UP = "".join(ch for ch in map(chr, range(0x250)) if ch.isupper())  # Latin capitals, with accents
_CAP_TOKEN = (  # a capitalised word ("Lucía", "Ó Briain", "Fieldnote"), or "iOS", "eBay"
    rf"(?:[{_UP}][\w&+#'’.-]*[\w+#]|[{_UP}]|[a-z]{{1,3}}[{_UP}][\w]*)"
)
_CAP_RUN = re.compile(_CAP_TOKEN + r"(?:(?: of| for| &)? " + _CAP_TOKEN + r")*")
_COMMON_CAPS = _words(
    """the a an she he they her his their in at before after previously currently today now when
    while during outside prior also over since as this that it i we our my there here recently
    most based born earlier later then besides along with for from on by of and but or if formerly
    across through having between you your hi hello dr mr ms mrs prof she's he's they're i'm
    these those what who where how why outside today's each every many some both all
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december writes speaks leads works mentors built led
    runs helps loves enjoys formerly talks ask see"""
)
_GENERIC_TERMS = _words(
    """engineering design product products leadership management software data technology tech
    people teams team careers career mentoring mentorship growth business engineer engineers
    manager managers director lead head vp cto ceo cpo coo cfo founder co-founder startup startups
    startups company companies work writing speaking community developer developers things
    learning teaching research security marketing sales operations strategy talks talk
    speaker experience education background about bio sre devops saas b2b b2c api"""
)
_ROLE_OF = _rx(
    r"\b(?:(?:senior|executive|associate|group|global)\s+)?(?:vice president|svp|evp|vp|head"
    r"|director|chief \w+ officer|manager|lead) of (?!(?:the|a|an|my|our|their)\b)"
    r"(?:[\w-]+(?: (?:&|and) [\w-]+)?)"
)
_ROLE_LEVEL = _rx(
    r"\b(?:senior|staff|principal|lead|founding|distinguished)\s+(?:(?:software|data|product|site"
    r" reliability|security|ml|machine learning|platform|backend|frontend|design|research|ux"
    r"|infrastructure)\s+)?(?:engineer|designer|scientist|manager|architect|researcher|analyst)\b"
)
_TOPIC_TRIGGER = _rx(
    r"\b(?:(?:writes?|wrote|blogs?|speaks?|spoke|talks?|talked|posts?|podcasts?|presents?)"
    r"(?: regularly| often| mostly| frequently| widely)? (?:about|on)"
    r"|focus(?:es|ed|ing)? on|speciali[sz](?:es|ed|ing)? in|expert(?:ise)? in|passionate about"
    r"|known for|works? on|worked on|working on|interested in|research(?:es|ed)?(?: on| into)?"
    r"|teaches"
    r"|mentors? (?:\w+ )?(?:on|in)|author of|led|leads|built|builds|scaled|created|founded"
    r"|launched|runs|ran|grew|maintains|co-founded|co-authored)\s"
)
_PIECE_STOP = re.compile(
    r"\s(?:at|in|for|from|with|to|where|which|who|that|since|before|after|by|during|across|as"
    r"|while|using|via|on)\s",
    re.IGNORECASE,
)
_LEAD_STOP = {"the", "a", "an", "her", "his", "their", "its", "our", "several", "many", "two",
              "three", "multiple", "various", "numerous", "about", "how"}  # fmt: skip


_TRAILING_GROUP = _words("team teams group groups org organisation organization function")
_BARE_VERBS = _words(
    """moving going getting switching transitioning helping making working building doing
    becoming leading managing running growing scaling starting"""
)


def _clean_term(term: str) -> str:
    term = re.sub(r"['’]s$", "", term.strip(" .,;:-—–\"'()"))
    return term.strip()


def _topic_pieces(bio: str) -> list[str]:
    out = []
    for m in _TOPIC_TRIGGER.finditer(bio):
        _, end = _sentence_bounds(bio, m.end())
        segment = re.split(r"[;:(]", bio[m.end() : end])[0]
        for piece in re.split(r",|\band\b|\bor\b|&", segment)[:4]:
            if _TOPIC_TRIGGER.match(piece.strip() + " "):
                break  # a new clause ("... and ran design for ..."): the trigger loop takes it
            piece = _PIECE_STOP.split(" " + piece.strip() + " ")[0].strip()
            words = piece.split()
            if words and words[0].lower() in _BARE_VERBS:
                continue  # "moving into leadership" reads as anyone's goal, not their topic
            while words and (
                words[0].lower() in _LEAD_STOP or re.search(r"['’]s$", words[0]) or words[0] == ""
            ):
                words = words[1:]
            words = words[:4]
            while words and words[-1].lower() in _STOP | _TRAILING_GROUP:
                words = words[:-1]
            if not words:
                continue
            phrase = _clean_term(" ".join(words))
            if len(words) == 1 and (
                phrase.lower() in _GENERIC_TERMS | _BARE_VERBS or len(phrase) < 4
            ):
                continue
            if all(w.lower() in _STOP or w.lower() in _GENERIC_TERMS for w in words):
                continue
            out.append(phrase)
    return out


_NAME_BEFORE = _rx(r"(?:^|\b(?:I'm|I am|name is|this is)\s+)$")
_NAME_AFTER = _rx(r"^(?:,|\s+(?:is|has|was|leads|works|runs|helps|\())")


_CONNECTORS = {"of", "for", "&"}
_ROLE_WORDS = _words(
    """engineer manager designer director head lead vp officer founder co-founder scientist
    researcher architect analyst president cto ceo cpo coo cfo ciso partner consultant principal
    developer"""
)


def _split_run(start: int, run: str) -> list[tuple[int, list[str]]]:
    """Split a capitalised run after a role word followed by more capitals, so that a role typed
    before a name ("Senior Product Designer Marcus Oyelaran") gives the role on its own."""
    words = run.split(" ")
    pieces, current, pos = [], [], start
    piece_start = start
    for k, word in enumerate(words):
        current.append(word)
        pos += len(word) + 1
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if word.lower() in _ROLE_WORDS and nxt and nxt.lower() not in _CONNECTORS:
            pieces.append((piece_start, current))
            current, piece_start = [], pos
    if current:
        pieces.append((piece_start, current))
    return pieces


_CREDENTIALS = _words("phd mba msc bsc ma ba md dphil")


def names_work(term: str) -> bool:
    """Whether a bio term can follow "your work on": a topic, a project, a company ("UX
    research", "Brasa"); not a job title ("staff engineer", "director of development"), a
    credential ("PhD") or a lone modifier or verb ("Michelin-starred", "returned")."""
    words = term.lower().split()
    if not words or any(w in _ROLE_WORDS | _CREDENTIALS for w in words):
        return False
    return not (len(words) == 1 and re.search(r"(?:ed|ing)$", words[0]))


def _plain_name(word: str) -> bool:
    """A name word: "Lena", "Lucía", "O'Neill", "Okafor-Reid" (capital, then small letters)."""
    parts = re.split(r"['’-]", word)
    return bool(re.fullmatch(rf"[{_UP}][^\W\d_]*", parts[0])) and all(
        p and p[1:] == p[1:].lower() and p.isalpha() for p in parts
    )


def _looks_like_own_name(bio: str, start: int, term: str) -> bool:
    """A run of 1-4 plain capitalised words opening the bio ("Lena Park is ...", "I'm Priya")."""
    words = term.split()
    if start > 20 or not 1 <= len(words) <= 4:
        return False
    if any(w.lower() in _ROLE_WORDS for w in words):
        return False
    if not all(_plain_name(w) for w in words):
        return False
    before = bio[:start].strip(" .,-–—:")
    if before and not _NAME_BEFORE.search(before + " "):
        return len(words) >= 2 and start < 12
    return len(words) >= 2 or bool(_NAME_AFTER.match(bio[start + len(term) :])) or bool(before)


def bio_terms(bio: str) -> list[str]:
    """Distinctive terms from a pasted mentor bio, for `personalized`: companies, products and
    projects (capitalised names), role titles ("VP of Engineering", "Staff Engineer") and topics
    ("threat modelling"). The person's own name (a capitalised run opening the bio) is left out."""
    bio = bio or ""
    found: list[tuple[int, str]] = []
    name_words: set[str] = set()
    runs = [run for m in _CAP_RUN.finditer(bio) for run in _split_run(m.start(), m.group(0))]
    for i, (start, words) in enumerate(runs):
        while words and words[0].lower().rstrip(".") in _COMMON_CAPS | _CONNECTORS:
            start += len(words[0]) + 1
            words = words[1:]
        while words and words[-1].lower().rstrip(".") in _COMMON_CAPS | _CONNECTORS:
            words = words[:-1]
        if not words:
            continue
        term = _clean_term(" ".join(words))
        if i < 3 and not name_words and _looks_like_own_name(bio, start, term):
            name_words = {w.lower() for w in term.split()}
            continue
        found.append((start, term))
    for pattern in (_ROLE_OF, _ROLE_LEVEL):
        found.extend((m.start(), _clean_term(m.group(0))) for m in pattern.finditer(bio))
    found.extend((bio.find(p), p) for p in _topic_pieces(bio))

    terms: list[str] = []
    seen: set[str] = set()
    for _, term in sorted(found, key=lambda pair: (pair[0], -len(pair[1]))):
        key = term.lower()
        if len(term) < 2 or key in seen:
            continue
        if set(key.split()) <= name_words:
            continue
        if len(term.split()) == 1 and key in _GENERIC_TERMS | _COMMON_CAPS:
            continue
        if len(term.split()) == 1 and len(term) <= 2:
            continue  # "QA", "UX", "ML": a field both of you may name, not something of theirs
        seen.add(key)
        terms.append(term)
    return terms


def has_reciprocity(text: str) -> bool:
    """Does `text` offer something back or promise to respect the mentor's time?"""
    return _check_reciprocity(text) is not None


def has_open_question(text: str) -> bool:
    """Does `text` ask a question or make a clear call to action?"""
    return _check_question(text) is not None


def has_bounded_ask(text: str) -> bool:
    """Does `text` ask for a bounded amount of time (a duration or a frequency)?"""
    return _check_bounded(text) is not None


def has_specific_goal(text: str) -> bool:
    """Does `text` state a concrete goal ("I want to …", "My goal is to …")?"""
    return _check_goal(text)[0] is not None


def is_personal(text: str, mentor_name: str, terms: list[str]) -> bool:
    """Does `text` say why this mentor (their work, path or a term of their bio)?"""
    return _check_personal(text, mentor_name, _usable_terms(terms, mentor_name)) is not None
