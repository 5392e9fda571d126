"""Knowledge commands: install the models, index the notes, search them, ask a question."""

from __future__ import annotations

import argparse
import json
import sys
import time

from assistant.cli import common


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
        with common.bar(spec.size, "B", f"assembling {name}") as bar:
            path, changed = install_model(spec, settings.models_dir, bar.update)
        print(f"{name}: {'installed and verified' if changed else 'already installed'} at {path}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from assistant.services.knowledge_base import get_knowledge_base

    report = get_knowledge_base().ingest_knowledge(common.chunk_progress("embedding notes"))
    print(f"knowledge base: {report}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from assistant.services.knowledge_base import get_knowledge_base

    kb = get_knowledge_base()
    kb.ensure_index(common.chunk_progress("building the index"))
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
    kb.ensure_index(common.chunk_progress("building the index"))
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


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the commands of this group on `sub`."""
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
