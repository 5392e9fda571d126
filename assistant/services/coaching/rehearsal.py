"""Rehearsal: a role-played counterpart that stays in character, then a debrief in your own words."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from assistant import prompts
from assistant.components.llm import Model
from assistant.errors import BadInput
from assistant.services.ask import Turn
from assistant.services.coaching.conversation_signals import (
    Signal,
    analyse,
    sentence_texts,
    suggest_rewrite,
)
from assistant.services.coaching.structured import (
    THIRD_PERSON,
    Invalid,
    cited_sources,
    clean_citations,
    generate,
)
from assistant.services.retrieval import Passage


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    role: str  # who the counterpart is, by default
    situation: str  # told to the counterpart
    opening: str  # what the counterpart says first (the user speaks next)
    query: str  # retrieval query for the debrief


SCENARIOS: dict[str, Scenario] = {
    s.id: s
    for s in [
        Scenario(
            "ask_mentorship", "Asking someone to be your mentor", "a senior leader they admire",
            "Someone from your wider network asked for a few minutes of your time; you don't know "
            "yet what they want.",
            "Hi, good to meet you. You wanted to talk about something?",
            "asking someone to be your mentor bounded ask specific goal",
        ),
        Scenario(
            "critical_feedback", "Hearing critical feedback", "their mentor",
            "You have honest, critical feedback for your mentee: in the last two team "
            "presentations they ran over time and buried the main point in detail.",
            "Thanks for making time. I want to share some feedback on your last two "
            "presentations, and it's not all positive. Is now okay?",
            "receiving critical feedback without getting defensive",
        ),
        Scenario(
            "promotion", "Asking what it takes to be promoted after being passed over",
            "their manager",
            "Your report was not promoted this cycle; another colleague was. They asked for "
            "this conversation. You think they are good but have not yet shown work at the next "
            "level's scope.",
            "You asked for some time to talk about the promotion decision. What's on your mind?",
            "asking your manager what it takes to be promoted after being passed over",
        ),
        Scenario(
            "end_mentorship", "Telling a mentor the relationship isn't working", "their mentor",
            "You have met your mentee monthly for six months. The meetings have drifted into "
            "chat, but you think they are going fine.",
            "Good to see you! So, what shall we talk about this month?",
            "ending a mentorship gracefully honest feedback",
        ),
        Scenario(
            "follow_up", "Following up after no reply", "a busy senior person",
            "Two weeks ago this person emailed you asking for mentoring and you never replied; "
            "it got buried. Now they have caught you after a meeting.",
            "Oh hi, sorry, I'm between meetings. What can I do for you?",
            "following up when a mentor does not reply",
        ),
    ]
}  # fmt: skip

TEMPERAMENTS = {
    "supportive": "warm and encouraging; you want them to succeed and say so",
    "busy": "friendly but rushed; short answers; you mention your time is limited",
    "skeptical": "polite but doubtful; you ask pointed questions and need convincing",
}

REPLY_SCHEMA = {
    "type": "object",
    "properties": {"reply": {"type": "string", "minLength": 2, "maxLength": 320}},
    "required": ["reply"],
}

_AI = re.compile(
    r"\b(as an ai|an ai\b|language model|assistant|chatbot|openai|anthropic|qwen|role-?play|"
    r"inteligencia artificial|asistente|modelo de lenguaje|intelligence artificielle|"
    r"modèle de langage|künstliche intelligenz|ki-assistent|sprachmodell)|人工智能|语言模型|助手",
    re.I,
)  # in the languages a mentee may switch to
# abuse a workplace counterpart must never voice, whatever the user asks for
_HARMFUL = re.compile(
    r"\b(idiot|stupid|moron|imbecile|loser|pathetic|worthless|shut up|f+u+c+k\w*|shit\w*|"
    r"bitch\w*|bastard|asshole|kill (?:your|my|him|her|them)sel(?:f|ves)|kill you|hurt you|"
    r"hurt yourself|beat you|end your life|hate you|deserve to (?:die|suffer))\b",
    re.IGNORECASE,
)
_COACHING = re.compile(
    r"(here are (some|a few)|tips?:|you should (try|consider)|it'?s important to|remember to|"
    r"in this (conversation|scenario|exercise)|\bthe mentee\b|as your coach|step \d|\bscenario\b)",
    re.I,
)
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.M)
_INLINE_LIST = re.compile(r"(?:^|\s)1[.)]\s.*?\s2[.)](?:\s|$)", re.S)  # "… 1. You're late. 2."
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_FALLBACK = {
    "supportive": "I'm glad you said that. Tell me a bit more about what you have in mind?",
    "busy": "Okay, I've only got a minute. What exactly are you asking me for?",
    "skeptical": "Hmm. I'm not sure I follow yet. What specifically do you want to happen?",
}


@dataclass
class RehearsalSetup:
    scenario: str
    counterpart_name: str = "Alex"
    counterpart_role: str = ""
    temperament: str = "supportive"

    def validate(self) -> Scenario:
        if self.scenario not in SCENARIOS:
            raise BadInput(
                f"Unknown scenario {self.scenario!r}.", fix=f"use one of {list(SCENARIOS)}"
            )
        if self.temperament not in TEMPERAMENTS:
            raise BadInput(
                f"Unknown temperament {self.temperament!r}.", fix=f"use one of {list(TEMPERAMENTS)}"
            )
        if not self.counterpart_name.strip():
            raise BadInput("The counterpart needs a name.", fix="e.g. Alex")
        return SCENARIOS[self.scenario]


@dataclass
class ReplyStats:
    turns: int = 0
    clean: int = 0  # obeyed every rule as generated
    repaired: int = 0  # fixed by trimming
    regenerated: int = 0  # needed another generation
    fallback: int = 0  # replaced by a stock in-character line


@dataclass
class Rehearsal:
    setup: RehearsalSetup
    transcript: list[Turn] = field(default_factory=list)  # roles: "user", "assistant" (counterpart)
    stats: ReplyStats = field(default_factory=ReplyStats)
    # the model's own output for counterpart turns (by transcript index), fed back verbatim so the
    # next prompt shares its tokens with what llama.cpp already has in its KV cache
    raw: dict[int, str] = field(default_factory=dict)
    conversation_id: str | None = None  # where the app stores this rehearsal

    def user_turns(self) -> list[str]:
        return [t.content for t in self.transcript if t.role == "user"]

    def to_dict(self) -> dict:
        return {
            "setup": asdict(self.setup),
            "transcript": [asdict(t) for t in self.transcript],
            "stats": asdict(self.stats),
        }


def start(setup: RehearsalSetup) -> Rehearsal:
    """A new rehearsal: the counterpart opens with the scenario's first line."""
    scenario = setup.validate()
    return Rehearsal(setup, [Turn("assistant", scenario.opening)])


def rule_violations(text: str, name: str) -> list[str]:
    """Which in-character rules a counterpart reply breaks."""
    problems = []
    if not text.strip():
        problems.append("empty")
    if _LIST_LINE.search(text) or _INLINE_LIST.search(text) or "\n\n" in text.strip():
        problems.append("list or multiple paragraphs")
    if _AI.search(text):
        problems.append("mentions being an AI or the role-play")
    if _COACHING.search(text):
        problems.append("coaching instead of speaking in character")
    if _HARMFUL.search(text):
        problems.append("abusive or harmful language; stay professional")
    if re.match(rf"\s*\**{re.escape(name)}\**\s*:", text) or re.search(
        rf"(?<!I'm )(?<!I am )(?<!name is )(?<!this is )\b{re.escape(name)}\b(?! here)", text
    ):  # "Alex says …", "a young man named Alex": narrating, not speaking
        problems.append("speaks about itself in the third person")
    if len(_sentences(text)) > 3:
        problems.append("more than 3 sentences")
    return problems


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text.strip()) if s.strip(" .!?")]


def repair(text: str, name: str) -> str:
    """Cheap fixes: drop a 'Name:' prefix and wrapping quotes, keep the first three sentences."""
    text = re.sub(rf"^\s*\**{re.escape(name)}\**\s*:\s*", "", text.strip())
    text = text.strip().strip('"“”').strip()
    if not _LIST_LINE.search(text):
        text = " ".join(text.split())
        text = " ".join(_sentences(text)[:3])
    return text


def counterpart_reply(rehearsal: Rehearsal, user_message: str, model: Model) -> str:
    """Record the user's line and the counterpart's in-character answer (validated)."""
    message = " ".join((user_message or "").split())
    if not message:
        raise BadInput("Say something to the other person first.", fix="type what you would say")
    setup = rehearsal.setup
    scenario = setup.validate()
    rehearsal.transcript.append(Turn("user", message))
    system = prompts.render(
        "rehearsal_counterpart",
        name=setup.counterpart_name,
        role=setup.counterpart_role or scenario.role,
        situation=scenario.situation,
        temperament=TEMPERAMENTS[setup.temperament],
    )
    messages = [{"role": "system", "content": system}]
    for index, turn in enumerate(rehearsal.transcript):
        content = (
            turn.content
            if turn.role == "user"
            else rehearsal.raw.get(index) or _as_reply(turn.content)
        )
        messages.append({"role": turn.role, "content": content})
    stats = rehearsal.stats
    stats.turns += 1
    state = {"repaired": False}

    def check(data: dict) -> str:
        text = str(data.get("reply", ""))
        if not rule_violations(text, setup.counterpart_name):
            return text.strip()
        fixed = repair(text, setup.counterpart_name)
        problems = rule_violations(fixed, setup.counterpart_name)
        if problems:
            raise Invalid(
                "; ".join(problems) + f". Reply as {setup.counterpart_name}, 1-3 sentences"
            )
        state["repaired"] = True
        return fixed

    try:
        result = generate(model, messages, REPLY_SCHEMA, check, attempts=3, max_tokens=160)
        reply = result.value
        if result.attempts > 1:
            stats.regenerated += 1
        elif state["repaired"]:
            stats.repaired += 1
        else:
            stats.clean += 1
            rehearsal.raw[len(rehearsal.transcript)] = model.last_text
    except Invalid:
        reply = _FALLBACK[setup.temperament]
        stats.fallback += 1
    rehearsal.transcript.append(Turn("assistant", reply))
    return reply


def _as_reply(text: str) -> str:
    import json

    return json.dumps({"reply": text}, ensure_ascii=False)


# Debrief --------------------------------------------------------------------------------------


def debrief_schema(sentences: int) -> dict:
    """The debrief's JSON: each point names one of the mentee's numbered sentences (S1..Sn), so
    its quote is the mentee's own words by construction; the model writes only the why. The
    points come first and every text is bounded: a small model that starts with a free summary
    can ramble until its token limit and never reach the points."""
    pick = {"type": "integer", "enum": list(range(1, max(sentences, 1) + 1))}
    why = {"type": "string", "minLength": 10, "maxLength": 240}
    return {
        "type": "object",
        "properties": {
            "went_well": {
                "type": "array",
                "minItems": 1,
                "maxItems": 2,
                "items": {
                    "type": "object",
                    "properties": {"sentence": pick, "why": why},
                    "required": ["sentence", "why"],
                },
            },
            "improve": {
                "type": "array",
                "maxItems": 2,
                "items": {
                    "type": "object",
                    "properties": {
                        "sentence": pick,
                        "why": why,
                        "try_instead": {"type": "string", "minLength": 10, "maxLength": 200},
                    },
                    "required": ["sentence", "why", "try_instead"],
                },
            },
            "summary": {"type": "string", "maxLength": 400},
        },
        "required": ["went_well", "improve", "summary"],
    }


@dataclass
class DebriefPoint:
    quote: str  # verbatim from the user's turns
    why: str
    try_instead: str = ""
    source: str = "model"  # "model" or "signal:<kind>"


@dataclass
class Debrief:
    scenario: str
    summary: str
    went_well: list[DebriefPoint]
    improve: list[DebriefPoint]
    signals: list[dict]
    sources: list[dict]

    def to_dict(self) -> dict:
        return asdict(self)

    def to_markdown(self) -> str:
        lines = [f"## Rehearsal debrief: {SCENARIOS[self.scenario].title}", "", self.summary, ""]
        lines.append("**What went well**")
        for p in self.went_well or []:
            lines.append(f"- You said: **“{p.quote}”** — {p.why}")
        if not self.went_well:
            lines.append("- Nothing stood out yet; try a longer rehearsal.")
        lines.append("")
        lines.append("**What to improve**")
        for p in self.improve:
            lines.append(f"- You said: **“{p.quote}”** — {p.why}")
            if p.try_instead:
                lines.append(f"  - Try saying instead: “{p.try_instead}”")
        if not self.improve:
            lines.append("- Nothing stood out to improve in this run.")
        if self.sources:
            lines.append("")
            lines.append(
                "**Sources:** " + "; ".join(f"[{s['n']}] {s['title']}" for s in self.sources)
            )
        return "\n".join(lines)


def find_verbatim(quote: str, user_turns: list[str]) -> str | None:
    """The exact span of a user turn that `quote` reproduces (ignoring case, spacing and quote
    marks), or None when the mentee never said it."""
    wanted = _normal(quote)
    if len(wanted) < 4:
        return None
    for turn in user_turns:
        # map each character of the normalised turn back to the original
        chars, index = [], []
        for i, ch in enumerate(turn):
            n = _normal_char(ch)
            if n is None or (n == " " and chars and chars[-1] == " "):
                continue
            chars.append(n)
            index.append(i)
        text = "".join(chars)
        at = text.find(wanted)
        if at >= 0:
            return turn[index[at] : index[at + len(wanted) - 1] + 1]
    return None


def _normal_char(ch: str) -> str | None:
    if ch in "\"“”‘’'`":
        return None
    return " " if ch.isspace() else ch.lower()


def _normal(text: str) -> str:
    chars = []
    for ch in text.strip().strip(".…"):
        n = _normal_char(ch)
        if n is None or (n == " " and chars and chars[-1] == " "):
            continue
        chars.append(n)
    return "".join(chars).strip()


def debrief(
    rehearsal: Rehearsal, model: Model, knowledge_base, user_id: str | None = None
) -> Debrief:
    """Quote the user's own words: model points are kept only if their quotes are verbatim;
    deterministic signals fill in what the model missed."""
    turns = rehearsal.user_turns()
    if not turns:
        raise BadInput("There is nothing to debrief yet.", fix="say at least one line first")
    scenario = rehearsal.setup.validate()
    signals = analyse(turns)
    passages: list[Passage] = knowledge_base.search(
        scenario.query, k=3, workflow="rehearse", user_id=user_id
    )
    sentences = mentee_sentences(rehearsal)
    messages = prompts.chat(
        "debrief",
        passages=passages,
        scenario=scenario.title,
        counterpart=rehearsal.setup.counterpart_role or scenario.role,
        transcript=[
            Turn(t.role, prompts.fence(t.content))
            if t.role != "user"
            else Turn(
                "user",
                " ".join(
                    f"[S{n}] {prompts.fence(text)}"
                    for n, (at, text) in enumerate(sentences, 1)
                    if at == index
                ),
            )  # fmt: skip
            for index, t in enumerate(rehearsal.transcript)
        ],
        signals=[
            (
                signal,
                next((n for n, (_, text) in enumerate(sentences, 1) if text == signal.quote), 0),
            )
            for signal in signals
        ],
    )

    def check(data: dict) -> dict:
        good = [_point(p, sentences, turns) for p in data.get("went_well", [])]
        bad = [_point(p, sentences, turns) for p in data.get("improve", [])]
        # The rules decide what needs work, the model says why in the guidance's terms: praise
        # for a sentence the rules found defensive, blaming or hedging is not kept, nor
        # criticism of a sentence they found nothing wrong with; the rules' rewrite is the
        # "try instead" where they have one. A point that talks about "the mentee" instead of
        # to them is left out.
        flawed = {signal.quote: signal for signal in signals if not signal.positive}
        good = [p for p in good if p and p.quote not in flawed and not THIRD_PERSON.search(p.why)]
        bad = [p for p in bad if p and p.quote in flawed and not THIRD_PERSON.search(p.why)]
        for point in bad:
            point.try_instead = suggest_rewrite(flawed[point.quote]) or point.try_instead
        if not good and not bad and len(" ".join(turns)) > 40:
            raise Invalid(
                "no point fits: praise sentences that worked, criticise only sentences that "
                "hedge, blame or defend, and speak to the mentee as 'you'"
            )
        summary = clean_citations(str(data.get("summary", "")), passages)
        summary = summary if len(summary.split()) >= 6 and not THIRD_PERSON.search(summary) else ""
        return {"summary": summary, "good": good, "bad": bad}

    try:
        schema = debrief_schema(len(sentences))
        result = generate(model, messages, schema, check, attempts=2, max_tokens=600).value
    except Invalid:
        result = {"summary": "", "good": [], "bad": []}
    good, bad = _merge(result["good"], result["bad"], signals)
    summary = result["summary"] or _signal_summary(signals)
    return Debrief(
        scenario=scenario.id,
        summary=summary,
        went_well=good,
        improve=bad,
        signals=[asdict(s) for s in signals],
        sources=cited_sources([summary], passages),
    )


def mentee_sentences(rehearsal: Rehearsal) -> list[tuple[int, str]]:
    """The mentee's sentences, in order, as (index of their turn in the transcript, sentence):
    what the debrief numbers S1, S2 … and quotes."""
    found = []
    for index, turn in enumerate(rehearsal.transcript):
        if turn.role == "user":
            found += [(index, sentence) for sentence in sentence_texts(turn.content)]
    return found


def _point(item: dict, sentences: list[tuple[int, str]], turns: list[str]) -> DebriefPoint | None:
    """A model point: the sentence it names (or, from a server without JSON-schema support, a
    quote that is verbatim), with its reason."""
    if not isinstance(item, dict):
        return None
    number = item.get("sentence")
    if isinstance(number, str) and number.strip().upper().lstrip("S").isdigit():
        number = int(number.strip().upper().lstrip("S"))
    if isinstance(number, int) and 1 <= number <= len(sentences):
        quote: str | None = sentences[number - 1][1]
    else:
        quote = find_verbatim(str(item.get("quote", "")), turns)
    why = str(item.get("why", "")).strip()
    if not quote or not why:
        return None
    return DebriefPoint(quote, why, str(item.get("try_instead", "")).strip())


def _merge(good, bad, signals: list[Signal]):
    """Model points first; then deterministic signals for what is still missing (max 3 each)."""
    quoted = {p.quote for p in good + bad}
    for signal in signals:
        if signal.quote in quoted:
            continue
        point = DebriefPoint(
            signal.quote, signal.advice, suggest_rewrite(signal) or "", f"signal:{signal.kind}"
        )
        target = good if signal.positive else bad
        if len(target) < 3:
            target.append(point)
            quoted.add(signal.quote)
    for point in bad:
        if not point.try_instead:
            point.try_instead = "Say what you want plainly, then ask an open question."
    return good[:3], bad[:3]


def _signal_summary(signals: list[Signal]) -> str:
    positives = sum(s.positive for s in signals)
    negatives = len(signals) - positives
    return (
        f"You had {positives} strong moment(s) and {negatives} to work on. "
        "Keep the specific asks and questions; replace hedges and defences with plain statements."
    )
