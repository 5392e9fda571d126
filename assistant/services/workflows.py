"""The use-case layer: one function per coaching workflow that runs it and saves what it made.
The UI handlers and the CLI commands call these, so the same input gives the same saved
artifact from either (the choices both offer are in coaching/choices.py)."""

from __future__ import annotations

from assistant.components.llm import Model
from assistant.services.coaching.debrief import Debrief
from assistant.services.coaching.debrief import debrief as debrief_rehearsal
from assistant.services.coaching.goal_card import GoalCard
from assistant.services.coaching.goals import make_goal_card
from assistant.services.coaching.meeting_prep import Agenda, goal_card_inputs, prepare_agenda
from assistant.services.coaching.outreach import (
    Draft,
    OutreachRequest,
    draft_outreach,
)
from assistant.services.coaching.rehearsal import (
    SCENARIOS,
    Rehearsal,
    RehearsalSetup,
    counterpart_reply,
    start,
)
from assistant.services.knowledge_base import KnowledgeBase
from assistant.services.store import Store


def goal_card(
    store: Store,
    user_id: str,
    goal: str,
    answers: list[tuple[str, str]],
    model: Model,
    knowledge_base: KnowledgeBase,
    *,
    conversation_id: str | None = None,
    about_me: str = "",
) -> tuple[GoalCard, str]:
    """Write the goal card from the goal and the (question, answer) pairs and save it.
    Returns the card and its Markdown."""
    card, passages = make_goal_card(
        goal, answers, model, knowledge_base, user_id=user_id, about_me=about_me
    )
    markdown = card.to_markdown(passages)
    store.save_artifact(user_id, "goal_card", card.to_dict(), markdown, conversation_id)
    return card, markdown


def outreach_draft(
    store: Store,
    user_id: str,
    request: OutreachRequest,
    model: Model,
    knowledge_base: KnowledgeBase,
) -> Draft:
    """Draft the request to a mentor, record it as an outreach conversation and save it."""
    draft, _ = draft_outreach(request, model, knowledge_base, user_id=user_id)
    markdown = draft.to_markdown()
    title = f"{request.channel} to {request.mentor_name}"
    cid = store.create_conversation(user_id, "outreach", title, first=("assistant", markdown))
    store.save_artifact(user_id, "draft", draft.to_dict(), markdown, cid)
    return draft


def start_rehearsal(
    store: Store, user_id: str, setup: RehearsalSetup, model: Model | None = None
) -> Rehearsal:
    """A new rehearsal, recorded as a rehearse conversation from the counterpart's opening."""
    session = start(setup, model)
    title = SCENARIOS[setup.scenario].title
    opening = ("assistant", session.transcript[0].content)
    session.conversation_id = store.create_conversation(user_id, "rehearse", title, first=opening)
    return session


def rehearsal_turn(store: Store, user_id: str, session: Rehearsal, line: str, model: Model) -> str:
    """The counterpart's reply to the mentee's line; both are recorded."""
    reply = counterpart_reply(session, line, model)
    if session.conversation_id:
        store.add_message(session.conversation_id, user_id, "user", line)
        store.add_message(session.conversation_id, user_id, "assistant", reply)
    return reply


def debrief(
    store: Store, user_id: str, session: Rehearsal, model: Model, knowledge_base: KnowledgeBase
) -> Debrief:
    """Debrief a rehearsal and save the debrief with its transcript."""
    result = debrief_rehearsal(session, model, knowledge_base, user_id=user_id)
    data = {**result.to_dict(), **session.to_dict()}
    store.save_artifact(user_id, "debrief", data, result.to_markdown(), session.conversation_id)
    return result


def agenda(
    store: Store,
    user_id: str,
    goal: str,
    model: Model,
    knowledge_base: KnowledgeBase,
    *,
    notes: str = "",
    first_meeting: bool = False,
    minutes: int = 30,
) -> Agenda:
    """An agenda for the next meeting from the goal typed (or the latest goal card's) and the
    card's first steps; recorded as a prepare conversation and saved."""
    aim, steps = goal_card_inputs(store, user_id, goal)
    result, _ = prepare_agenda(
        aim,
        model,
        knowledge_base,
        notes=notes,
        first_meeting=first_meeting,
        minutes=minutes,
        user_id=user_id,
        first_steps=steps,
    )
    markdown = result.to_markdown()
    title = "Agenda: " + (goal or "next meeting")[:60]
    cid = store.create_conversation(user_id, "prepare", title, first=("assistant", markdown))
    store.save_artifact(user_id, "agenda", result.to_dict(), markdown, cid)
    return result
