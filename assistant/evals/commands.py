"""`mentorprep eval workflows | debrief | judge-packets | judge-merge`: the coaching evaluations."""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path


def _model_and_kb():
    from assistant.cli.common import services

    model, kb, _ = services()
    return model, kb


_GROUPS = {
    "both": ["tuning", "heldout"],
    "all": ["tuning", "heldout", "heldout_2", "heldout_3"],
}


def _sets(args: argparse.Namespace) -> list[str]:
    return _GROUPS.get(args.set, [args.set])


def eval_workflows(args: argparse.Namespace) -> int:
    """Personas through every workflow; each output judged by the output checks, every figure
    reported model-only and as shown, tuning and held-out apart."""
    from assistant.evals import figures, persona_run, run_file
    from assistant.logs import log_to_stderr

    log_to_stderr()
    model, kb = _model_and_kb()
    meta = {**run_file.provenance(), "kind": "workflows", "sets": _sets(args)}
    done: list[dict] = []

    def progress(i: int, total: int, result: dict) -> None:
        done.append(result)
        if args.output:
            run_file.write(args.output, meta, figures.summarise(done), done)
        if "error" in result:
            print(f"[{i}/{total}] {result['id']}: ERROR {result['error']}", file=sys.stderr)
            return
        d, r = result["draft"], result["rehearsal"]["replies"]
        print(
            f"[{i}/{total}] {result['id']} ({result['set']}): card {result['goal_card']['origin']}"
            f" {_fails(result['goal_card']['checks'])}; draft model {_fails(d['model_checks'])}"
            f" shown {_fails(d['checks'])}; replies "
            f"{sum(all(x['checks'].values()) for x in r)}/{len(r)} ok; "
            f"agenda {_fails(result['agenda']['checks'])}; {result['seconds']}",
            file=sys.stderr,
        )

    results = persona_run.run_all(
        model,
        kb,
        _sets(args),
        only=args.only,
        progress=progress,
        guard=partial(run_file.cpu_lock, args.cpu_lock),
    )
    print(json.dumps(figures.summarise(results), indent=2))
    return 0


def eval_debrief(args: argparse.Namespace) -> int:
    """The debrief test set: planted mistakes caught, clean sentences criticised."""
    from assistant.evals import debrief_set, run_file
    from assistant.logs import log_to_stderr

    log_to_stderr()
    model, kb = _model_and_kb()
    meta = {**run_file.provenance(), "kind": "debrief", "sets": _sets(args)}
    done: list[dict] = []

    def progress(i: int, total: int, result: dict) -> None:
        done.append(result)
        if args.output:
            run_file.write(args.output, meta, debrief_set.summarise(done), done)
        planted = [s for s in result["sentences"] if s["mistake"]]
        clean = [s for s in result["sentences"] if not s["mistake"]]
        print(
            f"[{i}/{total}] {result['id']}: caught {sum(s['caught_shown'] for s in planted)}"
            f"/{len(planted)}, clean criticised {sum(s['caught_shown'] for s in clean)}"
            f"/{len(clean)} ({result.get('seconds', 0)} s)",
            file=sys.stderr,
        )

    results = debrief_set.run_all(
        model, kb, _sets(args), args.only, progress, guard=partial(run_file.cpu_lock, args.cpu_lock)
    )
    print(json.dumps(debrief_set.summarise(results), indent=2))
    return 0


def judge_packets(args: argparse.Namespace) -> int:
    from assistant.evals import judging, persona_run

    run = json.loads(Path(args.run).read_text(encoding="utf-8"))
    personas = {p["id"]: p for s in persona_run.PERSONA_SETS for p in persona_run.load_personas(s)}
    n = judging.write_packets(run, personas, Path(args.packets))
    print(f"{n} packets written to {args.packets} (judges must not open key.json)")
    return 0


def judge_merge(args: argparse.Namespace) -> int:
    from assistant.evals import judging

    run = json.loads(Path(args.run).read_text(encoding="utf-8"))
    run = judging.merge_verdicts(run, Path(args.packets))
    Path(args.run).write_text(json.dumps(run, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(run["judging"], indent=2))
    return 0


def recheck(args: argparse.Namespace) -> int:
    """Today's checks on a run's recorded outputs (no model): what a tightened check would have
    counted, written to a new file that names both commits."""
    from assistant.evals import recheck as rc
    from assistant.evals import run_file

    run = json.loads(Path(args.run).read_text(encoding="utf-8"))
    again = rc.recheck(run, run_file.provenance())
    run_file.write(args.output, again["meta"], again["summary"], again["results"])
    print(json.dumps(again["summary"], indent=2))
    return 0


def redteam_packets(args: argparse.Namespace) -> int:
    from assistant.evals import redteam_blind
    from assistant.evals.redteam import load_cases

    run = json.loads(Path(args.run).read_text(encoding="utf-8"))
    cases = {c["id"]: c for c in load_cases()}
    n = redteam_blind.write_packets(run, cases, Path(args.packets))
    print(f"{n} packets written to {args.packets}/judge-*/ (judges must not open key.json)")
    return 0


def redteam_merge(args: argparse.Namespace) -> int:
    from assistant.evals import redteam_blind

    run = json.loads(Path(args.run).read_text(encoding="utf-8"))
    run = redteam_blind.merge_verdicts(run, Path(args.packets), Path(args.key))
    Path(args.run).write_text(json.dumps(run, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(run["blind_judging"], indent=2, ensure_ascii=False))
    return 0


def _fails(checks: dict[str, bool]) -> str:
    failed = [k for k, ok in checks.items() if not ok]
    return "ok" if not failed else "FAIL " + ",".join(failed)


def add_parsers(sub) -> None:
    """The evaluation commands, under `mentorprep eval-coaching …`."""
    p = sub.add_parser("workflows", help="personas through every workflow (model-only and shown)")
    p.add_argument(
        "--set",
        choices=["tuning", "heldout", "heldout_2", "heldout_3", "both", "all"],
        default="tuning",
    )
    p.add_argument("--only", nargs="+", help="only these persona ids")
    p.add_argument("--output", help="write the run (every output) to this JSON file")
    p.add_argument("--cpu-lock", help="hold an flock on this file during each persona")
    p.set_defaults(func=eval_workflows)

    p = sub.add_parser("debrief", help="the debrief test set: planted mistakes caught")
    p.add_argument("--set", choices=["tuning", "heldout", "both"], default="tuning")
    p.add_argument("--only", nargs="+", help="only these case ids")
    p.add_argument("--output", help="write the run to this JSON file")
    p.add_argument("--cpu-lock", help="hold an flock on this file during each case")
    p.set_defaults(func=eval_debrief)

    p = sub.add_parser("recheck", help="this checkout's checks on a run's recorded outputs")
    p.add_argument("run")
    p.add_argument("output", help="the new file (the run file itself is left as it is)")
    p.set_defaults(func=recheck)

    p = sub.add_parser("judge-packets", help="blind-judging packets from a workflows run file")
    p.add_argument("run")
    p.add_argument("packets", help="folder for the packets and their key")
    p.set_defaults(func=judge_packets)

    p = sub.add_parser("judge-merge", help="record the judges' verdicts in the run file")
    p.add_argument("run")
    p.add_argument("packets")
    p.set_defaults(func=judge_merge)

    p = sub.add_parser("redteam-packets", help="blind-judging packets for red-team harm/leak cases")
    p.add_argument("run")
    p.add_argument("packets", help="folder for the judges' batches and the key")
    p.set_defaults(func=redteam_packets)

    p = sub.add_parser("redteam-merge", help="record blind verdicts in a red-team run file")
    p.add_argument("run")
    p.add_argument("packets")
    p.add_argument("key", help="the key.json written with the packets (moved out of their folder)")
    p.set_defaults(func=redteam_merge)
