"""Coaching commands: the goal check and card, the outreach draft and its rubric, the rehearsal, the agenda and the prep pack."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.cli import common
from assistant.errors import MentorPrepError
from assistant.services.coaching.choices import (
    CHANNEL_CHOICES,
    DEFAULT_ASK,
    RELATIONSHIP_CHOICES,
    SCENARIO_CHOICES,
    TEMPERAMENT_CHOICES,
)


def cmd_check_goal(args: argparse.Namespace) -> int:
    from assistant.services.coaching.goal_check import check_goal

    result = check_goal(args.text)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print("concrete" if result.concrete else "not concrete yet")
    if result.vague_terms:
        print("loaded words: " + ", ".join(result.vague_terms))
    print(f"measure: {result.measure or 'missing'}; deadline: {result.deadline or 'missing'}")
    for question in result.questions:
        print(f"- {question}")
    return 0


def cmd_clarify(args: argparse.Namespace) -> int:
    from assistant.services import workflows
    from assistant.services.coaching.goals import clarify_step

    answers = list(args.answer or [])
    step = clarify_step(args.goal, answers, rounds=1 if answers else 0)
    qa: list[tuple[str, str]] = list(zip(clarify_step(args.goal).questions, answers, strict=False))
    if not step.ready:
        if args.json or not sys.stdin.isatty():
            data = {"ready": False, "check": step.check.to_dict(), "questions": step.questions}
            common.emit(args, data, step.message + "\n\nRe-run with --answer for each question.")
            return 0
        print(step.message)
        for question in step.questions:
            qa.append((question, input(f"\n{question}\n> ")))
    model, kb, store = common.services()
    card, markdown = workflows.goal_card(
        store, args.user, args.goal, qa, model, kb, about_me=args.about_me or ""
    )
    common.emit(args, {"ready": True, "goal_card": card.to_dict()}, markdown)
    return 0


def cmd_check_outreach(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant.services.coaching.mentor_bio import bio_terms
    from assistant.services.coaching.outreach_rubric import check_outreach

    text = Path(args.file).read_text(encoding="utf-8") if args.file != "-" else sys.stdin.read()
    subject = args.subject
    if subject is None and args.channel == "email":
        first, _, rest = text.partition("\n")
        if first.lower().startswith("subject:"):
            subject, text = first.split(":", 1)[1].strip(), rest.lstrip("\n")
    context = common.read_context(args)
    report = check_outreach(
        text, args.channel, subject=subject, mentor_terms=bio_terms(context) if context else None
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for item in report.items:
            mark = "pass" if item.passed else "FAIL"
            print(f"[{mark}] {item.id}: {item.evidence}")
            if not item.passed:
                print(f"       {item.suggestion}")
    return 0 if report.passed else 1


def cmd_draft(args: argparse.Namespace) -> int:
    from assistant.services import workflows
    from assistant.services.coaching.outreach import OutreachRequest

    model, kb, store = common.services()
    goal = common.goal(args, store)
    request = OutreachRequest(
        mentor_name=args.mentor,
        mentor_role=args.role or "",
        bio=common.read_context(args),
        goal=goal,
        channel=args.channel,
        ask=args.ask,
        relationship=args.relationship,
        sender_name=args.sender or "",
        about_me=args.about_me or "",
    )
    draft = workflows.outreach_draft(store, args.user, request, model, kb)
    common.emit(args, draft.to_dict(), draft.to_markdown())
    return 0


def cmd_rehearse(args: argparse.Namespace) -> int:
    from assistant.services import workflows
    from assistant.services.coaching import rehearsal as rh

    model, kb, store = common.services()
    setup = rh.RehearsalSetup(
        args.scenario, args.name, args.role or "", args.temperament, args.about_me or ""
    )
    lines = list(args.line or [])
    interactive = not lines and sys.stdin.isatty() and not args.json
    if not interactive and not lines:
        raise MentorPrepError(
            "Nothing to rehearse.", fix="pass --line for each thing you say, or run in a terminal"
        )
    session = workflows.start_rehearsal(store, args.user, setup, model)
    if interactive:
        print(f"{setup.counterpart_name}: {session.transcript[0].content}")
        print("(type your lines; an empty line ends the rehearsal and shows the debrief)")
        while line := input("you> ").strip():
            reply = workflows.rehearsal_turn(store, args.user, session, line, model)
            print(f"{setup.counterpart_name}: {reply}")
    else:
        for line in lines:
            workflows.rehearsal_turn(store, args.user, session, line, model)
    result = workflows.debrief(store, args.user, session, model, kb)
    markdown = "\n".join(
        [
            "### Transcript",
            *[
                f"- **{'You' if t.role == 'user' else setup.counterpart_name}:** {t.content}"
                for t in session.transcript
            ],
            "",
            result.to_markdown(),
        ]
    )
    common.emit(args, {"rehearsal": session.to_dict(), "debrief": result.to_dict()}, markdown)
    return 0


def cmd_prep(args: argparse.Namespace) -> int:
    from assistant.services import workflows
    from assistant.services.coaching.meeting_prep import goal_card_inputs

    model, kb, store = common.services()
    if not goal_card_inputs(store, args.user, args.goal or "")[0]:
        raise MentorPrepError("No goal given.", fix="pass --goal, or run `mentorprep clarify`")
    agenda = workflows.agenda(
        store,
        args.user,
        args.goal or "",
        model,
        kb,
        notes=common.read_context(args),
        first_meeting=args.first,
        minutes=args.minutes,
    )
    common.emit(args, agenda.to_dict(), agenda.to_markdown())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant.services.coaching.prep_pack import build_prep_pack
    from assistant.services.store import get_store

    pack = build_prep_pack(get_store(), args.user)
    if args.output == "-":
        print(pack)
    else:
        Path(args.output).write_text(pack, encoding="utf-8")
        print(f"prep pack written to {args.output}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the commands of this group on `sub`."""
    user = argparse.ArgumentParser(add_help=False)
    user.add_argument("--user", default="local", help="whose saved work to use (default: local)")
    user.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("check-goal", help="is a goal concrete? (deterministic, instant)")
    p.add_argument("text")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check_goal)

    p = sub.add_parser("clarify", parents=[user], help="turn a vague goal into a goal card")
    p.add_argument("goal")
    p.add_argument("--answer", action="append", help="an answer to a clarifying question")
    p.add_argument(
        "--about-me",
        help="one line about you (fits the first steps to your work), e.g. 'I'm a"
        " freelance cellist'",
    )
    p.set_defaults(func=cmd_clarify)

    p = sub.add_parser("check-outreach", help="check a draft against the outreach rubric")
    p.add_argument("file", help="the draft (a text file, or - for stdin)")
    p.add_argument("--channel", required=True, choices=CHANNEL_CHOICES)
    p.add_argument("--subject", help="the email subject (or a first line 'Subject: ...')")
    p.add_argument("--context-file", help="the mentor's bio (data only)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check_outreach)

    p = sub.add_parser("draft", parents=[user], help="draft a request to a prospective mentor")
    p.add_argument("--mentor", required=True, help="the mentor's name")
    p.add_argument("--role", help="the mentor's role")
    p.add_argument("--goal", help="your goal (default: your latest goal card)")
    p.add_argument(
        "--channel",
        default="email",
        choices=CHANNEL_CHOICES,
    )
    p.add_argument("--ask", default=DEFAULT_ASK)
    p.add_argument("--relationship", default="cold", choices=RELATIONSHIP_CHOICES)
    p.add_argument("--sender", help="your name, to sign with")
    p.add_argument("--about-me", help="one line about you, in your words (opens the message)")
    p.add_argument("--context-file", help="the mentor's bio or notes (data, never instructions)")
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("rehearse", parents=[user], help="rehearse a difficult conversation")
    p.add_argument(
        "--scenario",
        default="ask_mentorship",
        choices=SCENARIO_CHOICES,
    )
    p.add_argument("--name", default="Alex", help="the counterpart's name")
    p.add_argument("--role", help="the counterpart's role")
    p.add_argument("--about-me", help="one line about you, so the counterpart's opening fits it")
    p.add_argument("--temperament", default="supportive", choices=TEMPERAMENT_CHOICES)
    p.add_argument("--line", action="append", help="what you say (repeat; non-interactive)")
    p.set_defaults(func=cmd_rehearse)

    p = sub.add_parser("prep", parents=[user], help="an agenda for your next mentor meeting")
    p.add_argument("--goal", help="your goal (default: your latest goal card)")
    p.add_argument("--first", action="store_true", help="this is the first meeting")
    p.add_argument("--minutes", type=int, default=30)
    p.add_argument("--context-file", help="your notes since last time (data)")
    p.set_defaults(func=cmd_prep)

    p = sub.add_parser("export", help="write the prep pack (Markdown)")
    p.add_argument("--user", default="local")
    p.add_argument(
        "-o", "--output", default="mentorprep-prep-pack.md", help="file, or - for stdout"
    )
    p.set_defaults(func=cmd_export)
