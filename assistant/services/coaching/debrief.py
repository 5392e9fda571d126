"""The debrief of a rehearsal. The code decides what to say from the transcript, item by item
of a checklist (debrief_checklist.yaml): the mentee's sentences that defend, argue, run
themselves down, over-apologise, ask vaguely or ramble; what they never did (thank them, agree
a next step); what worked. Each point quotes the mentee's own sentence and cites the guidance
note it comes from. The model writes one thing: a better line to say instead of each flagged
sentence, checked; where it fails, the checklist's own line is used."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationInfo, create_model, field_validator

from assistant import prompts
from assistant.components.llm import Model
from assistant.errors import BadInput
from assistant.services.coaching.conversation_signals import ADVICE, analyse
from assistant.services.coaching.mistakes import (
    Finding,
    find_mistakes,
    omissions,
    sentence_mistakes,
)
from assistant.services.coaching.rehearsal import SCENARIOS, Rehearsal
from assistant.services.coaching.spec import facts, generate, piece
from assistant.services.documents import load_knowledge
from assistant.settings import REPO_ROOT, get_settings
from assistant.text.phrases import found
from assistant.text.words import words

CHECKLIST_FILE = Path(__file__).with_name("debrief_checklist.yaml")
MAX_IMPROVE = 4  # sentence points; omissions come on top
MAX_WELL = 2
STRENGTH_ORDER = ("specific_ask", "acknowledge", "next_step", "question", "thanks")


@cache
def checklist() -> dict:
    return yaml.safe_load(CHECKLIST_FILE.read_text(encoding="utf-8"))


@cache
def note_titles() -> dict[str, tuple[str, str]]:
    """Guidance note id -> (title, source path)."""
    notes = load_knowledge(REPO_ROOT / "knowledge", REPO_ROOT)
    return {n.id: (n.title, n.source) for n in notes}


@dataclass
class DebriefPoint:
    quote: str  # the mentee's sentence, verbatim ("" for something they never said)
    why: str
    try_instead: str = ""
    source: str = "checklist"  # "checklist:<kind>" for the point; the rewrite's origin below
    note: str = ""  # the guidance note the point comes from (an id in knowledge/)
    rewrite_by: str = ""  # "model" or "checklist": who wrote try_instead


@dataclass
class Debrief:
    scenario: str
    summary: str
    went_well: list[DebriefPoint]
    improve: list[DebriefPoint]
    signals: list[dict]
    sources: list[dict]
    model_improve: list[str] = field(default_factory=list)  # kept for old run files: unused
    rewrites_origin: str = ""  # spec.Outcome.origin of the model's rewrites

    def to_dict(self) -> dict:
        return asdict(self)

    def to_markdown(self) -> str:
        lines = [f"## Rehearsal debrief: {SCENARIOS[self.scenario].title}", "", self.summary, ""]
        lines.append("**What went well**")
        for p in self.went_well:
            lines.append(f"- You said: **“{p.quote}”** — {p.why}{_cite(p)}")
        if not self.went_well:
            lines.append("- Nothing stood out yet; try a longer rehearsal.")
        lines += ["", "**What to improve**"]
        for p in self.improve:
            said = f"You said: **“{p.quote}”** — " if p.quote else ""
            lines.append(f"- {said}{p.why}{_cite(p)}")
            if p.try_instead:
                lines.append(f"  - Try saying instead: “{p.try_instead}”")
        if not self.improve:
            lines.append("- Nothing stood out to improve in this run.")
        if self.sources:
            lines += [
                "",
                "**Sources:** "
                + "; ".join(f"{s['title']} (`{s['source']}`)" for s in self.sources),
            ]
        return "\n".join(lines)


def _cite(point: DebriefPoint) -> str:
    title = note_titles().get(point.note, ("", ""))[0]
    return f" _(guidance: {title})_" if title else ""


class _Rewrite(BaseModel):
    """One field per flagged sentence (`line_1` …), so a line that fails is asked again alone."""

    @field_validator("*", mode="before")
    @classmethod
    def _unwrap(cls, value: object) -> object:
        """{"line_1": {"text": "…"}} or ["…"]: the one string inside is the line."""
        inner = list(value.values()) if isinstance(value, dict) else value
        if isinstance(inner, list) and len(inner) == 1 and isinstance(inner[0], str):
            return inner[0]
        return value

    @field_validator("*")
    @piece
    def _each(cls, value: str, info: ValidationInfo) -> str:
        value = " ".join(str(value).split()).strip().strip('"“”')
        if _bad_rewrite(value, facts(info)["originals"][info.field_name]):
            raise ValueError(
                "write it again: short, plain, confident, first person, no apology or excuse"
            )
        return value


def rewrites_type(n: int) -> type[BaseModel]:
    """The output type for `n` rewrites: fields line_1 … line_n, each a string."""
    fields = {f"line_{i}": (str, Field(max_length=300)) for i in range(1, n + 1)}
    return create_model("Rewrites", __base__=_Rewrite, **fields)


# the retry feedback, said back as the line ("Input should be a valid string")
_FEEDBACK_ECHOES = ("input should be", "write it again", "valid string")


def _bad_rewrite(new: str, old: str) -> bool:
    return (
        not new
        or len(words(new)) > 30
        or bool(sentence_mistakes(new))
        or words(new) == words(old)
        or "mentee" in new.lower()
        or "[" in new
        or any(echo in new.lower() for echo in _FEEDBACK_ECHOES)
        or bool(found("helpdesk", new) or found("refusal", new))  # the mentee's line, not a desk's
    )


def debrief(
    rehearsal: Rehearsal, model: Model, knowledge_base=None, user_id: str | None = None
) -> Debrief:
    """What went well and what to improve, from the checklist; the model's better lines when
    the settings ask for them (`debrief_rewrites`)."""
    turns = rehearsal.user_turns()
    if not turns:
        raise BadInput("There is nothing to debrief yet.", fix="say at least one line first")
    scenario = rehearsal.setup.validate()
    items = checklist()
    findings = _prioritised(find_mistakes(rehearsal.transcript))
    improve = [
        DebriefPoint(
            f.sentence,
            items["mistakes"][f.kind]["why"],
            items["mistakes"][f.kind]["try"],
            f"checklist:{f.kind}",
            items["mistakes"][f.kind]["note"],
            "checklist",
        )
        for f in findings
    ]
    origin = ""
    if improve and get_settings().debrief_rewrites:
        origin = _write_rewrites(improve, findings, rehearsal, model)
    for kind in omissions(rehearsal.transcript):
        item = items["omissions"][kind]
        why, instead = (_for_scenario(item[k], scenario.id) for k in ("why", "try"))
        improve.append(
            DebriefPoint("", why, instead, f"checklist:{kind}", item["note"], "checklist")
        )
    flagged = {f.sentence for f in findings}
    signals = analyse(turns)
    went_well = []
    for kind in STRENGTH_ORDER:
        signal = next(
            (
                s
                for s in signals
                if s.kind == kind
                and s.quote not in flagged
                and all(s.quote != p.quote for p in went_well)
            ),
            None,
        )
        if signal and len(went_well) < MAX_WELL:
            went_well.append(
                DebriefPoint(
                    signal.quote,
                    ADVICE[kind],
                    "",
                    f"checklist:{kind}",
                    items["strengths"][kind]["note"],
                )
            )
    summary = f"You had {len(went_well)} strong moment(s) and {len(improve)} thing(s) to work on."
    summary += f" Start with this one: {improve[0].why}" if improve else " Keep doing what worked."
    notes = sorted({p.note for p in went_well + improve if p.note in note_titles()})
    sources = [
        {"n": i, "title": note_titles()[n][0], "source": note_titles()[n][1]}
        for i, n in enumerate(notes, 1)
    ]
    return Debrief(
        scenario.id, summary, went_well, improve, [asdict(s) for s in signals], sources, [], origin
    )


def _for_scenario(line: str | dict[str, str], scenario: str) -> str:
    """A checklist line: the same for every scenario, or this scenario's (else `default`)."""
    return line if isinstance(line, str) else line.get(scenario, line["default"])


def _prioritised(findings: list[Finding]) -> list[Finding]:
    order = list(checklist()["mistakes"])
    return sorted(findings, key=lambda f: order.index(f.kind))[:MAX_IMPROVE]


def _write_rewrites(
    points: list[DebriefPoint], findings: list[Finding], rehearsal: Rehearsal, model: Model
) -> str:
    """The model's better line for each flagged sentence, where it passes the checks."""
    scenario = SCENARIOS[rehearsal.setup.scenario]
    problems = {kind: item["problem"] for kind, item in checklist()["mistakes"].items()}
    messages = prompts.chat(
        "debrief_rewrite",
        scenario=scenario.title,
        counterpart=rehearsal.setup.counterpart_role or scenario.role,
        items=[
            {
                "sentence": prompts.fence(f.sentence),
                "problem": problems[f.kind],
                "aim": checklist()["mistakes"][f.kind]["aim"],
            }
            for f in findings
        ],
    )
    originals = {f"line_{i}": f.sentence for i, f in enumerate(findings, 1)}

    def fallback(good: dict, failed: list[str], last: dict) -> dict:
        return {name: "" for name in failed}  # the checklist's own line stays

    outcome = generate(
        model,
        messages,
        rewrites_type(len(findings)),
        context={"originals": originals},
        attempts=1,  # a second try rarely passed (debrief set, a16ca57): the checklist's line stays
        max_tokens=45 * len(points) + 20,
        fallback=fallback,
    )
    for point, name in zip(points, originals, strict=True):
        if rewrite := getattr(outcome.value, name):
            point.try_instead, point.rewrite_by = " ".join(rewrite.split()), "model"
    return outcome.origin
