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
    from assistant.services.ask import ask
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.settings import get_settings

    settings = get_settings()
    kb = get_knowledge_base()
    kb.ensure_index(_chunk_progress("building the index"))
    model = get_model(settings)
    start = time.perf_counter()
    stream = ask(
        args.question, model, kb, k=settings.retrieval_k, token_budget=settings.context_token_budget
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

    from assistant.services.evaluation import MODES, evaluate, load_golden
    from assistant.services.knowledge_base import get_knowledge_base

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


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.ui.app import launch

    launch(host=args.host, port=args.port)
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
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help='print {"answer": ..., "sources": [...]}')
    p.add_argument("-v", "--verbose", action="store_true", help="print timing figures")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="evaluate retrieval on the golden question set")
    p.add_argument("target", choices=["retrieval"])
    p.add_argument("--json", action="store_true")
    p.add_argument("--show-misses", action="store_true", help="list questions missed at 5")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("doctor", help="check models, index and backend; say how to fix problems")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("serve", help="start the web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.set_defaults(func=cmd_serve)
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
