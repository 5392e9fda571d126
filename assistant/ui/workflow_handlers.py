"""Handlers for the four coaching steps (clarify, outreach, rehearse, prepare)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.services import workflows
from assistant.services.coaching import rehearsal as rh
from assistant.services.coaching.goals import clarify_step
from assistant.services.coaching.outreach import DEFAULT_ASK, Draft, OutreachRequest, check_draft
from assistant.ui.handlers import Deps, History, error_text

WORKING = "⏳ Working… the local model takes a little while."


def latest_goal(deps: Deps, user_id: str) -> str:
    card = deps.store().latest_artifact(user_id, "goal_card")
    return card["data"]["goal"] if card else ""


# Clarify -------------------------------------------------------------------------------------


@dataclass
class ClarifyState:
    stage: str = "goal"  # goal -> answers -> done
    goal: str = ""
    questions: list[str] = field(default_factory=list)
    conversation_id: str | None = None


def clarify_turn(
    deps: Deps,
    user_id: str,
    message: str,
    history: History | None,
    state: ClarifyState | None,
    about_me: str = "",
) -> Iterator[tuple[History, str, ClarifyState]]:
    """First message: the goal (loaded words named, up to three questions). Second: the answers,
    then the goal card (fitted to `about_me`, the mentee's line about themselves, when given).
    Yields (chat, goal card markdown, state)."""
    state = state if state and state.stage != "done" else ClarifyState()
    history = [] if state.stage == "goal" else list(history or [])
    text = (message or "").strip()
    if not text:
        history.append(
            {"role": "assistant", "content": "⚠️ Type your goal (or your answers) first."}
        )
        yield history, "", state
        return
    store = deps.store()
    history.append({"role": "user", "content": text})
    if state.stage == "goal":
        state.goal = text
        state.conversation_id = store.create_conversation(
            user_id, "clarify", text[:80], first=("user", text)
        )
    else:
        store.add_message(state.conversation_id, user_id, "user", text)
    answers = [text] if state.stage == "answers" else []
    step = clarify_step(state.goal, answers, rounds=1 if answers else 0)
    if not step.ready:
        state.stage, state.questions = "answers", step.questions
        reply = step.message + "\n\nAnswer in one message; a line or two per question is plenty."
        history.append({"role": "assistant", "content": reply})
        store.add_message(state.conversation_id, user_id, "assistant", reply)
        yield history, "", state
        return
    history.append({"role": "assistant", "content": WORKING})
    yield history, "", state
    qa = [(" / ".join(state.questions), text)] if answers else []
    try:
        _, markdown = workflows.goal_card(
            store,
            user_id,
            state.goal,
            qa,
            deps.model(),
            deps.knowledge_base(),
            conversation_id=state.conversation_id,
            about_me=about_me or "",
        )
    except Exception as exc:
        history[-1] = {"role": "assistant", "content": error_text(exc)}
        yield history, "", state
        return
    reply = "Here is your goal card. Next: draft a request to a mentor (step 2)."
    history[-1] = {"role": "assistant", "content": reply}
    store.add_message(state.conversation_id, user_id, "assistant", markdown)
    state.stage = "done"
    yield history, markdown, state


# Outreach ------------------------------------------------------------------------------------


def draft(
    deps: Deps,
    user_id: str,
    mentor: str,
    role: str,
    bio: str,
    goal: str,
    channel: str,
    ask: str,
    relationship: str,
    sender: str,
    about_me: str = "",
) -> Iterator[tuple[str, str, str]]:
    """Yields (subject, body, rubric markdown)."""
    yield "", "", WORKING
    try:
        request = OutreachRequest(
            mentor_name=mentor or "",
            goal=goal or latest_goal(deps, user_id),
            channel=channel,
            mentor_role=role or "",
            bio=bio or "",
            ask=ask or DEFAULT_ASK,
            relationship=relationship,
            sender_name=sender or "",
            about_me=about_me or "",
        )
        result = workflows.outreach_draft(
            deps.store(), user_id, request, deps.model(), deps.knowledge_base()
        )
    except Exception as exc:
        yield "", "", error_text(exc)
        return
    yield result.subject, result.body, rubric_markdown(result.report, result.revisions)


def rubric_markdown(report, revisions: list[str] | None = None) -> str:
    verdict = (
        "✅ Passes every check." if report.passed else "Some checks fail: see the suggestions."
    )
    lines = [
        f"**Rubric:** {verdict}",
        "",
        "| check | result | evidence / suggestion |",
        "|---|---|---|",
    ]
    for item in report.items:
        detail = item.evidence if item.passed else f"{item.evidence}. **Try:** {item.suggestion}"
        detail = detail.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {item.id} | {'✅ pass' if item.passed else '❌ fail'} | {detail} |")
    if revisions:
        lines.append(f"\n_Revised {len(revisions)} time(s) to fix: {'; '.join(revisions)}._")
    return "\n".join(lines)


def recheck(
    deps: Deps,
    user_id: str,
    subject: str,
    body: str,
    channel: str,
    mentor: str,
    role: str,
    bio: str,
    goal: str,
) -> str:
    """Check an edited draft (the user's own words) and save it."""
    if not (body or "").strip():
        return "⚠️ The draft is empty."
    request = OutreachRequest(
        mentor_name=mentor or "?",
        goal=goal or "?",
        channel=channel,
        mentor_role=role or "",
        bio=bio or "",
    )
    report = check_draft(subject or "", body, request)
    edited = Draft(channel, subject or "", body, report, attempts=0, revisions=[])
    deps.store().save_artifact(user_id, "draft", edited.to_dict(), edited.to_markdown())
    return rubric_markdown(report)


# Rehearse ------------------------------------------------------------------------------------


def start_rehearsal(
    deps: Deps,
    user_id: str,
    scenario: str,
    name: str,
    role: str,
    temperament: str,
    about_me: str = "",
) -> tuple[History, rh.Rehearsal | None, str]:
    """Yields (chat, rehearsal state, debrief panel)."""
    setup = rh.RehearsalSetup(scenario, name or "Alex", role or "", temperament, about_me or "")
    try:
        # with the mentee's situation the counterpart opens with a line of the model's that fits it
        model = deps.model() if setup.about_me.strip() else None
        session = workflows.start_rehearsal(deps.store(), user_id, setup, model)
    except Exception as exc:
        return [{"role": "assistant", "content": error_text(exc)}], None, ""
    return [{"role": "assistant", "content": session.transcript[0].content}], session, ""


def rehearse_turn(
    deps: Deps, user_id: str, message: str, history: History | None, session: rh.Rehearsal | None
) -> Iterator[tuple[History, rh.Rehearsal | None]]:
    history = list(history or [])
    if session is None:
        history.append(
            {"role": "assistant", "content": "⚠️ Set up the scenario and press Start first."}
        )
        yield history, session
        return
    if not (message or "").strip():
        yield history, session
        return
    history.append({"role": "user", "content": message})
    yield history, session
    try:
        reply = workflows.rehearsal_turn(deps.store(), user_id, session, message, deps.model())
    except Exception as exc:
        history.append({"role": "assistant", "content": error_text(exc)})
        yield history, session
        return
    history.append({"role": "assistant", "content": reply})
    yield history, session


def end_rehearsal(deps: Deps, user_id: str, session: rh.Rehearsal | None) -> Iterator[str]:
    if session is None:
        yield "⚠️ Start a rehearsal first."
        return
    yield WORKING
    try:
        result = workflows.debrief(
            deps.store(), user_id, session, deps.model(), deps.knowledge_base()
        )
    except Exception as exc:
        yield error_text(exc)
        return
    yield result.to_markdown()


# Prepare -------------------------------------------------------------------------------------


def prepare(
    deps: Deps, user_id: str, goal: str, notes: str, first: bool, minutes: float
) -> Iterator[str]:
    yield WORKING
    try:
        agenda = workflows.agenda(
            deps.store(),
            user_id,
            goal or "",
            deps.model(),
            deps.knowledge_base(),
            notes=notes or "",
            first_meeting=bool(first),
            minutes=int(minutes or 30),
        )
    except Exception as exc:
        yield error_text(exc)
        return
    yield agenda.to_markdown()
