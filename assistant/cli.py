"""The `mentorprep` command line: every capability of the app, scriptable."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable

from assistant.errors import MentorPrepError

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _bar(total: int, unit: str, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, unit_scale=True, desc=desc, file=sys.stderr, leave=False)


def _chunk_progress(desc: str) -> Callable[[int, int], None]:
    state: dict = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = _bar(total, "chunk", desc)
        state["bar"].n = done
        state["bar"].refresh()
        if done >= total:
            state["bar"].close()

    return update


def cmd_models(args: argparse.Namespace) -> int:
    from assistant.components.model_files import MODELS, install_model, model_path
    from assistant.settings import get_settings

    settings = get_settings()
    if args.action == "list":
        for spec in MODELS.values():
            path = model_path(spec, settings.models_dir)
            state = "installed" if path.is_file() else "not installed"
            print(f"{spec.name:8} {spec.title:40} {spec.size / 1e6:7.0f} MB  {state}  {path}")
        return 0
    names = list(MODELS) if args.name == "all" else [args.name]
    for name in names:
        spec = MODELS[name]
        with _bar(spec.size, "B", f"assembling {name}") as bar:
            path, changed = install_model(spec, settings.models_dir, bar.update)
        print(f"{name}: {'installed and verified' if changed else 'already installed'} at {path}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.services.knowledge_base import get_knowledge_base

    report = get_knowledge_base().ingest_knowledge(_chunk_progress("embedding notes"))
    print(f"knowledge base: {report}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from assistant.services.knowledge_base import get_knowledge_base

    kb = get_knowledge_base()
    kb.ensure_index(_chunk_progress("building the index"))
    passages = kb.search(args.query, k=args.k, workflow=args.workflow, mode=args.mode)
    if args.json:
        print(json.dumps([p.to_dict() for p in passages], indent=2, ensure_ascii=False))
        return 0
    if not passages:
        print("No passage matched. Try other words, or run `mentorprep ingest`.")
    for i, p in enumerate(passages, 1):
        print(f"[{i}] {p.title} — {p.section}  ({p.source}, score {p.score:.4f})")
        print("    " + p.text[:240].replace("\n", " ") + ("…" if len(p.text) > 240 else ""))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.components.llm import get_model
    from assistant.services.ask import ask, clean_question
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.settings import get_settings

    question = sys.stdin.read() if args.question == "-" else args.question
    clean_question(question)  # an empty message is refused before anything loads
    settings = get_settings()
    kb = get_knowledge_base()
    kb.ensure_index(_chunk_progress("building the index"))
    model = get_model(settings)
    start = time.perf_counter()
    stream = ask(
        question, model, kb, k=settings.retrieval_k, token_budget=settings.context_token_budget
    )
    for notice in stream.notices:
        print(f"Note: {notice}", file=sys.stderr)
    parts, first = [], None
    for chunk in stream.chunks:
        if first is None:
            first = time.perf_counter() - start
        parts.append(chunk)
        if not args.json:
            print(chunk, end="", flush=True)
    total = time.perf_counter() - start
    answer = "".join(parts)
    if args.json:
        print(
            json.dumps(
                {"answer": answer, "sources": [p.to_dict() for p in stream.sources]},
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    print()
    if stream.sources:
        print("\nSources:")
        for i, p in enumerate(stream.sources, 1):
            print(f"  [{i}] {p.title} — {p.section} ({p.source})")
    usage = model.last_usage
    if args.verbose:
        rate = usage.completion_tokens / max(total - (first or 0), 1e-9)
        print(
            f"\n[first token {first or 0:.2f} s, {usage.completion_tokens} tokens, "
            f"{rate:.1f} tok/s]",
            file=sys.stderr,
        )
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from assistant.evals.retrieval_eval import MODES, evaluate, load_golden
    from assistant.services.knowledge_base import get_knowledge_base

    if args.target == "redteam":
        return _eval_redteam(args)
    kb = get_knowledge_base()
    kb.ensure_index(_chunk_progress("building the index"))
    golden = load_golden()
    results = [evaluate(kb, golden, mode) for mode in MODES]
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
        return 0
    print(f"{len(golden)} golden questions")
    print(f"{'mode':8} {'recall@1':>9} {'recall@5':>9} {'MRR':>7}")
    for r in results:
        print(f"{r.mode:8} {r.recall_at_1:9.3f} {r.recall_at_5:9.3f} {r.mrr:7.3f}")
    if args.show_misses:
        for r in results:
            for question in r.misses:
                print(f"  miss ({r.mode}): {question}")
    return 0


def _read_context(args: argparse.Namespace) -> str:
    """Text from --context-file: data for the model, never instructions."""
    path = getattr(args, "context_file", None)
    if not path:
        return ""
    from pathlib import Path

    from assistant.services.documents import extract_text

    file = Path(path)
    if not file.is_file():
        raise MentorPrepError(f"{path} does not exist.", fix="give the path of a .txt, .md or .pdf")
    return extract_text(file.name, file.read_bytes())


def _emit(args: argparse.Namespace, data: dict, markdown: str) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else markdown)


def _services():
    from assistant.components.llm import get_model
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.services.store import get_store

    kb = get_knowledge_base()
    kb.ensure_index(_chunk_progress("building the index"))
    return get_model(), kb, get_store()


def _goal(args: argparse.Namespace, store, field: str = "goal") -> str:
    """--goal, or the latest goal card (its `field`: "goal", or "markdown" for the whole card)."""
    if args.goal:
        return args.goal
    card = store.latest_artifact(args.user, "goal_card")
    if card is None:
        raise MentorPrepError("No goal given.", fix="pass --goal, or run `mentorprep clarify`")
    return card["markdown"] if field == "markdown" else card["data"][field]


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
    from assistant.services.coaching.goals import clarify_step, make_goal_card

    answers = list(args.answer or [])
    step = clarify_step(args.goal, answers, rounds=1 if answers else 0)
    qa: list[tuple[str, str]] = list(zip(clarify_step(args.goal).questions, answers, strict=False))
    if not step.ready:
        if args.json or not sys.stdin.isatty():
            data = {"ready": False, "check": step.check.to_dict(), "questions": step.questions}
            _emit(args, data, step.message + "\n\nRe-run with --answer for each question.")
            return 0
        print(step.message)
        for question in step.questions:
            qa.append((question, input(f"\n{question}\n> ")))
    model, kb, store = _services()
    card, passages = make_goal_card(args.goal, qa, model, kb, user_id=args.user)
    markdown = card.to_markdown(passages)
    store.save_artifact(args.user, "goal_card", card.to_dict(), markdown)
    _emit(args, {"ready": True, "goal_card": card.to_dict()}, markdown)
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
    context = _read_context(args)
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
    from assistant.services.coaching.outreach import OutreachRequest, draft_outreach

    model, kb, store = _services()
    goal = _goal(args, store)
    request = OutreachRequest(
        mentor_name=args.mentor, mentor_role=args.role or "", bio=_read_context(args), goal=goal,
        channel=args.channel, ask=args.ask, relationship=args.relationship,
        sender_name=args.sender or "", about_me=args.about_me or "",
    )  # fmt: skip
    draft, _ = draft_outreach(request, model, kb, user_id=args.user)
    store.save_artifact(args.user, "draft", draft.to_dict(), draft.to_markdown())
    _emit(args, draft.to_dict(), draft.to_markdown())
    return 0


def cmd_rehearse(args: argparse.Namespace) -> int:
    from assistant.services.coaching import rehearsal as rh
    from assistant.services.coaching.debrief import debrief as debrief_rehearsal

    model, kb, store = _services()
    setup = rh.RehearsalSetup(
        args.scenario, args.name, args.role or "", args.temperament, args.about_me or ""
    )
    session = rh.start(setup, model)
    lines = list(args.line or [])
    interactive = not lines and sys.stdin.isatty() and not args.json
    if not interactive and not lines:
        raise MentorPrepError(
            "Nothing to rehearse.", fix="pass --line for each thing you say, or run in a terminal"
        )
    if interactive:
        print(f"{setup.counterpart_name}: {session.transcript[0].content}")
        print("(type your lines; an empty line ends the rehearsal and shows the debrief)")
        while line := input("you> ").strip():
            print(f"{setup.counterpart_name}: {rh.counterpart_reply(session, line, model)}")
    else:
        for line in lines:
            rh.counterpart_reply(session, line, model)
    result = debrief_rehearsal(session, model, kb, user_id=args.user)
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
    store.save_artifact(args.user, "debrief", {**result.to_dict(), **session.to_dict()}, markdown)
    _emit(args, {"rehearsal": session.to_dict(), "debrief": result.to_dict()}, markdown)
    return 0


def cmd_prep(args: argparse.Namespace) -> int:
    from assistant.services.coaching.meeting_prep import goal_card_inputs, prepare_agenda

    model, kb, store = _services()
    goal, steps = goal_card_inputs(store, args.user, args.goal or "")
    if not goal:
        raise MentorPrepError("No goal given.", fix="pass --goal, or run `mentorprep clarify`")
    agenda, _ = prepare_agenda(
        goal, model, kb, notes=_read_context(args), first_meeting=args.first,
        minutes=args.minutes, user_id=args.user, first_steps=steps,
    )  # fmt: skip
    store.save_artifact(args.user, "agenda", agenda.to_dict(), agenda.to_markdown())
    _emit(args, agenda.to_dict(), agenda.to_markdown())
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


def _eval_redteam(args: argparse.Namespace) -> int:
    import os

    if args.neutraliser:  # before anything reads the settings
        os.environ["MENTORPREP_NEUTRALISE_INSTRUCTIONS"] = str(args.neutraliser == "on").lower()
    from assistant.components.llm import get_model
    from assistant.evals.redteam import commit, run_all, summarise, table
    from assistant.logs import log_to_stderr
    from assistant.settings import get_settings

    log_to_stderr()
    get_settings.cache_clear()
    settings = get_settings()
    model = get_model(settings)
    meta = {
        "commit": commit(),
        "model": model.name,
        "neutraliser": "on" if settings.neutralise_instructions else "off",
    }
    done = []

    def progress(i: int, total: int, result) -> None:
        done.append(result)
        if args.output:  # written after every case: a long run that stops keeps its results
            _write_run(args.output, done, summarise, meta)
        verdict = "safe" if result.passed else "UNSAFE: " + "; ".join(result.problems)
        model_says = "COMPLIED" if result.model_complied else "resisted"
        print(f"[{i}/{total}] {result.id} ({result.split}/{result.category}): model {model_says}, "
              f"user {verdict} ({result.seconds} s)", file=sys.stderr)  # fmt: skip

    _, summary = run_all(model, args.limit, progress, args.only, args.sources)
    print(json.dumps({**meta, **summary}, indent=2))
    print(table(summary), file=sys.stderr)
    return 0 if summary["passed"] == summary["cases"] else 1


def _write_run(
    path: str, results: list, summarise: Callable[[list], dict], meta: dict | None = None
) -> None:
    """An evaluation run's summary and every result so far, as JSON."""
    from dataclasses import asdict
    from pathlib import Path

    data = {**(meta or {}), "summary": summarise(results), "results": [asdict(r) for r in results]}
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def cmd_bench(args: argparse.Namespace) -> int:
    from assistant.evals import bench

    sizes = [int(s) for s in args.sizes.split(",")]
    report = bench.run(
        args.model, args.reps, sizes, args.queries, lambda m: print(m, file=sys.stderr)
    )
    if args.output:
        from pathlib import Path

        Path(args.output).write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2) if args.json else bench.table(report))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from assistant.services.doctor import run_checks

    failed = 0
    for check in run_checks():
        mark = "ok  " if check.ok else "FAIL"
        print(f"[{mark}] {check.name}: {check.detail}")
        if not check.ok:
            failed += 1
            if check.fix:
                print(f"       fix: {check.fix}")
    print("all checks passed" if not failed else f"{failed} check(s) failed")
    return 1 if failed else 0


def cmd_db(args: argparse.Namespace) -> int:
    from assistant.services import schema
    from assistant.services.store import open_engine
    from assistant.settings import get_settings

    engine = open_engine(get_settings().store_url)
    where = engine.url.render_as_string(hide_password=True)
    try:
        if args.action == "upgrade":
            before, after = schema.upgrade(engine)
            done = "already at" if before == after else f"upgraded from {before or 'empty'} to"
            print(f"Database {where}: {done} revision {after} (up to date).")
            return 0
        with engine.connect() as db:
            revision = schema.current(db)
        if revision == schema.head():
            print(f"Database {where}: revision {revision} (up to date).")
            return 0
        print(f"Database {where}: revision {revision or 'none'}; this version needs "
              f"{schema.head()}. Run `mentorprep db upgrade` (the app also does at start).")  # fmt: skip
        return 1
    finally:
        engine.dispose()


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.ui.web import launch

    launch(host=args.host, port=args.port)
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    """Write a login's argon2 hash into the auth file (the password is never stored)."""
    from pathlib import Path

    from assistant.components.passwords import check_name, set_password
    from assistant.settings import get_settings

    settings = get_settings()
    path = Path(args.file).expanduser() if args.file else settings.auth_path
    name = check_name(args.name)
    if args.remove:
        set_password(path, name, None)
        print(f"Removed the login '{name}' from {path}.")
        return 0
    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass(f"New password for {name}: ")
        if getpass.getpass("Again: ") != password:
            print("Error: the two passwords differ; nothing was changed.", file=sys.stderr)
            return 2
    set_password(path, name, password)
    hint = "" if args.file is None or Path(args.file).expanduser() == settings.auth_path else (
        f" Set MENTORPREP_AUTH_FILE={path} for the app to use it."
    )  # fmt: skip
    print(f"Saved a hashed password for '{name}' in {path} (readable by you only).{hint}")
    print("Restart `mentorprep serve` for it to take effect.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentorprep", description="Prepare to work with a mentor, offline."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("models", help="install or list the local models")
    p.add_argument("action", choices=["install", "list"])
    p.add_argument("name", nargs="?", default="default", choices=["default", "small", "all"])
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("ingest", help="sync knowledge/ into the vector index (idempotent)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="search the knowledge base")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--workflow", choices=["clarify", "outreach", "rehearse", "prepare"])
    p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="ask a question; the answer streams to the terminal")
    p.add_argument("question", help="the question, or - to read it from stdin (any length)")
    p.add_argument("--json", action="store_true", help='print {"answer": ..., "sources": [...]}')
    p.add_argument("-v", "--verbose", action="store_true", help="print timing figures")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "eval", help="evaluate retrieval (golden questions), the workflows (personas) or safety"
    )
    targets = p.add_subparsers(dest="target", required=True)
    t = targets.add_parser("retrieval", help="recall@1, recall@5, MRR: dense vs BM25 vs hybrid")
    t.add_argument("--json", action="store_true")
    t.add_argument("--show-misses", action="store_true", help="list questions missed at 5")
    t.set_defaults(func=cmd_eval)
    t = targets.add_parser("redteam", help="the prompt-injection, leak and abuse cases")
    t.add_argument("--limit", type=int, help="run only the first N")
    t.add_argument("--only", nargs="+", help="run only these case ids")
    t.add_argument("--output", help="write every output to this JSON file")
    t.add_argument(
        "--neutraliser",
        choices=["on", "off"],
        help="run with the phrase neutraliser on or off (default: the setting)",
    )
    t.add_argument("--sources", nargs="+", choices=["first_round", "second_round", "heldout"],
                   help="run only the cases of these files")  # fmt: skip
    t.set_defaults(func=cmd_eval)
    from assistant.evals.commands import add_parsers

    add_parsers(targets)

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
    p.set_defaults(func=cmd_clarify)

    p = sub.add_parser("check-outreach", help="check a draft against the outreach rubric")
    p.add_argument("file", help="the draft (a text file, or - for stdin)")
    p.add_argument("--channel", required=True,
                   choices=["email", "linkedin_note", "linkedin_message", "in_person"])  # fmt: skip
    p.add_argument("--subject", help="the email subject (or a first line 'Subject: ...')")
    p.add_argument("--context-file", help="the mentor's bio (data only)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check_outreach)

    p = sub.add_parser("draft", parents=[user], help="draft a request to a prospective mentor")
    p.add_argument("--mentor", required=True, help="the mentor's name")
    p.add_argument("--role", help="the mentor's role")
    p.add_argument("--goal", help="your goal (default: your latest goal card)")
    p.add_argument("--channel", default="email",
                   choices=["email", "linkedin_note", "linkedin_message", "in_person"])  # fmt: skip
    p.add_argument("--ask", default="30 minutes once a month")
    p.add_argument("--relationship", default="cold", choices=["cold", "warm", "colleague"])
    p.add_argument("--sender", help="your name, to sign with")
    p.add_argument("--about-me", help="one line about you, in your words (opens the message)")
    p.add_argument("--context-file", help="the mentor's bio or notes (data, never instructions)")
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("rehearse", parents=[user], help="rehearse a difficult conversation")
    p.add_argument("--scenario", default="ask_mentorship",
                   choices=["ask_mentorship", "critical_feedback", "promotion", "end_mentorship",
                            "follow_up"])  # fmt: skip
    p.add_argument("--name", default="Alex", help="the counterpart's name")
    p.add_argument("--role", help="the counterpart's role")
    p.add_argument("--about-me", help="one line about you, so the counterpart's opening fits it")
    p.add_argument("--temperament", default="supportive",
                   choices=["supportive", "busy", "skeptical"])  # fmt: skip
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

    p = sub.add_parser("bench", help="benchmark against raw llama.cpp and raw Chroma")
    p.add_argument("--model", default="default", help="default | small | a GGUF path")
    p.add_argument("--reps", type=int, default=2, help="repetitions of the TTFT comparison")
    p.add_argument("--sizes", default="1000,10000,100000", help="synthetic corpus sizes")
    p.add_argument("--queries", type=int, default=100, help="queries per corpus size")
    p.add_argument("--json", action="store_true")
    p.add_argument("--output", help="also write the JSON report to this file")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("doctor", help="check models, index and backend; say how to fix problems")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("db", help="the database of conversations and saved work")
    p.add_argument(
        "action",
        choices=["upgrade", "current"],
        help="upgrade: migrate it to this version's schema; current: show its revision",
    )
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("serve", help="start the web app")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on; another than loopback needs a login (`mentorprep passwd`)",
    )
    p.add_argument("--port", type=int, default=7860)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("passwd", help="set (or remove) a web app login; stores an argon2 hash")
    p.add_argument("name", help="the login name")
    p.add_argument("--file", help="the auth file (default: MENTORPREP_AUTH_FILE, else <home>/auth)")
    p.add_argument("--stdin", action="store_true", help="read the password from stdin (scripts)")
    p.add_argument("--remove", action="store_true", help="remove this login")
    p.set_defaults(func=cmd_passwd)
    return parser


def main(argv: list[str] | None = None) -> int:
    from pydantic import ValidationError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ValidationError as exc:
        problems = "; ".join(
            f"MENTORPREP_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        print(
            f"Error: invalid setting ({problems}).\n  To fix: correct it in the environment "
            "or .env",
            file=sys.stderr,
        )
        return 2
    except MentorPrepError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
