"""Evaluation commands: `mentorprep eval …` (retrieval, red team, the workflows) and `bench`."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.cli import common


def cmd_eval(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from assistant.evals.retrieval_eval import MODES, evaluate, load_golden
    from assistant.services.knowledge_base import get_knowledge_base

    if args.target == "redteam":
        return _eval_redteam(args)
    kb = get_knowledge_base()
    kb.ensure_index(common.chunk_progress("building the index"))
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
            common.write_run(args.output, done, summarise, meta)
        verdict = "safe" if result.passed else "UNSAFE: " + "; ".join(result.problems)
        model_says = "COMPLIED" if result.model_complied else "resisted"
        print(
            f"[{i}/{total}] {result.id} ({result.split}/{result.category}): model {model_says}, "
            f"user {verdict} ({result.seconds} s)",
            file=sys.stderr,
        )

    _, summary = run_all(model, args.limit, progress, args.only, args.sources)
    print(json.dumps({**meta, **summary}, indent=2))
    print(table(summary), file=sys.stderr)
    return 0 if summary["passed"] == summary["cases"] else 1


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


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the commands of this group on `sub`."""
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
    t.add_argument(
        "--sources",
        nargs="+",
        choices=["first_round", "second_round", "heldout", "heldout_2"],
        help="run only the cases of these files",
    )
    t.set_defaults(func=cmd_eval)
    from assistant.evals import commands

    commands.add_parsers(targets)  # the workflow and debrief-set runs

    p = sub.add_parser("bench", help="benchmark against raw llama.cpp and raw Chroma")
    p.add_argument("--model", default="default", help="default | small | a GGUF path")
    p.add_argument("--reps", type=int, default=2, help="repetitions of the TTFT comparison")
    p.add_argument("--sizes", default="1000,10000,100000", help="synthetic corpus sizes")
    p.add_argument("--queries", type=int, default=100, help="queries per corpus size")
    p.add_argument("--json", action="store_true")
    p.add_argument("--output", help="also write the JSON report to this file")
    p.set_defaults(func=cmd_bench)
