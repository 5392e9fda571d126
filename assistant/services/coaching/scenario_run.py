"""The scenario run: every persona in eval/workflows/personas.yaml through every workflow."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import yaml

from assistant.errors import MentorPrepError
from assistant.services.coaching import rehearsal as rh
from assistant.services.coaching.goal_check import find_deadline, find_measure
from assistant.services.coaching.goals import MEASURE_PLACEHOLDER, clarify_step, make_goal_card
from assistant.services.coaching.meeting_prep import prepare_agenda
from assistant.services.coaching.outreach import OutreachRequest, draft_outreach
from assistant.settings import REPO_ROOT

PERSONAS = REPO_ROOT / "eval" / "workflows" / "personas.yaml"


@dataclass
class PersonaResult:
    id: str
    card_has_measure: bool
    card_has_deadline: bool
    draft_passed: bool
    draft_failed_items: list[str]
    draft_attempts: int
    draft_repaired: bool
    replies: int
    replies_clean: int
    replies_repaired: int
    replies_regenerated: int
    replies_fallback: int
    debrief_quotes: int
    debrief_quotes_verbatim: int
    agenda_ok: bool
    seconds: float
    outputs: dict = field(default_factory=dict)


def load_personas() -> list[dict]:
    return yaml.safe_load(PERSONAS.read_text(encoding="utf-8"))


def run_persona(persona: dict, model, knowledge_base) -> PersonaResult:
    start = time.perf_counter()
    questions = clarify_step(persona["goal"]).questions
    qa = list(zip(questions, persona["answers"], strict=False))
    card, _ = make_goal_card(persona["goal"], qa, model, knowledge_base)
    mentor = persona["mentor"]
    draft, _ = draft_outreach(
        OutreachRequest(
            mentor_name=mentor["name"], mentor_role=mentor.get("role", ""),
            bio=persona.get("bio", ""), goal=card.goal, channel=persona["channel"],
            relationship=persona.get("relationship", "cold"),
        ),
        model, knowledge_base,
    )  # fmt: skip
    setup = persona["rehearsal"]
    session = rh.start(
        rh.RehearsalSetup(setup["scenario"], setup["name"], "", setup["temperament"])
    )
    for line in persona["lines"]:
        rh.counterpart_reply(session, line, model)
    debrief = rh.debrief(session, model, knowledge_base)
    user_text = session.user_turns()
    points = debrief.went_well + debrief.improve
    verbatim = sum(any(p.quote in turn for turn in user_text) for p in points)
    agenda, _ = prepare_agenda(card.goal, model, knowledge_base, first_meeting=True)
    stats = session.stats
    return PersonaResult(
        id=persona["id"],
        card_has_measure=any(find_measure(m) for m in card.measures if m != MEASURE_PLACEHOLDER),
        card_has_deadline=find_deadline(card.deadline) is not None,
        draft_passed=draft.report.passed,
        draft_failed_items=[item.id for item in draft.report.failed()],
        draft_attempts=draft.attempts,
        draft_repaired=any(r.startswith("repaired by MentorPrep") for r in draft.revisions),
        replies=stats.turns,
        replies_clean=stats.clean,
        replies_repaired=stats.repaired,
        replies_regenerated=stats.regenerated,
        replies_fallback=stats.fallback,
        debrief_quotes=len(points),
        debrief_quotes_verbatim=verbatim,
        agenda_ok=bool(agenda.questions and agenda.topics),
        seconds=round(time.perf_counter() - start, 1),
        outputs={
            "goal_card": card.to_markdown(),
            "draft": draft.to_markdown(),
            "draft_revisions": draft.revisions,  # what each revision fixed: the model's misses
            "transcript": [asdict(t) for t in session.transcript],
            "debrief": debrief.to_markdown(),
            "agenda": agenda.to_markdown(),
        },
    )


def failed_persona(persona: dict, exc: MentorPrepError) -> PersonaResult:
    """A persona whose run stopped with an error: every figure counts against the workflows."""
    return PersonaResult(
        id=persona["id"], card_has_measure=False, card_has_deadline=False, draft_passed=False,
        draft_failed_items=["error"], draft_attempts=0, draft_repaired=False,
        replies=len(persona["lines"]), replies_clean=0, replies_repaired=0,
        replies_regenerated=0, replies_fallback=len(persona["lines"]), debrief_quotes=0,
        debrief_quotes_verbatim=0, agenda_ok=False, seconds=0.0,
        outputs={"error": f"{exc.message} ({exc.fix})"},
    )  # fmt: skip


def summarise(results: list[PersonaResult]) -> dict:
    n = max(len(results), 1)
    replies = sum(r.replies for r in results) or 1
    quotes = sum(r.debrief_quotes for r in results)
    return {
        "personas": len(results),
        "goal_cards_with_measure_and_deadline": sum(
            r.card_has_measure and r.card_has_deadline for r in results
        )
        / n,
        "drafts_passing_rubric": sum(r.draft_passed for r in results) / n,
        # the model's own draft (first try or after its one revision), before MentorPrep's
        # deterministic repair of the failing items
        "drafts_passing_without_repair": sum(
            r.draft_passed and not r.draft_repaired for r in results
        )
        / n,
        "counterpart_replies": replies,
        # a reply obeys the in-character rules when it was clean or became so by repair or
        # regeneration; a stock fallback line counts as a failure of the model
        "replies_in_character": sum(r.replies - r.replies_fallback for r in results) / replies,
        "replies_clean_first_time": sum(r.replies_clean for r in results) / replies,
        "debrief_quotes": quotes,
        "debrief_quotes_verbatim": (
            sum(r.debrief_quotes_verbatim for r in results) / quotes if quotes else 1.0
        ),
        "agendas_ok": sum(r.agenda_ok for r in results) / n,
    }


def run_all(
    model,
    knowledge_base,
    limit: int | None = None,
    progress: Callable | None = None,
    only: list[str] | None = None,
):
    personas = [p for p in load_personas() if not only or p["id"] in only][:limit]
    results = []
    for i, persona in enumerate(personas, 1):
        try:
            results.append(run_persona(persona, model, knowledge_base))
        except MentorPrepError as exc:  # a workflow gave up: a failed persona, not a failed run
            results.append(failed_persona(persona, exc))
        if progress:
            progress(i, len(personas), results[-1])
    return results, summarise(results)
