"""What the command modules share: progress bars, reading --context-file, printing, the services."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from assistant.errors import MentorPrepError


def bar(total: int, unit: str, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, unit_scale=True, desc=desc, file=sys.stderr, leave=False)


def chunk_progress(desc: str) -> Callable[[int, int], None]:
    state: dict = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = bar(total, "chunk", desc)
        state["bar"].n = done
        state["bar"].refresh()
        if done >= total:
            state["bar"].close()

    return update


def read_context(args: argparse.Namespace) -> str:
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


def emit(args: argparse.Namespace, data: dict, markdown: str) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else markdown)


def services():
    from assistant.components.llm import get_model
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.services.store import get_store

    kb = get_knowledge_base()
    kb.ensure_index(chunk_progress("building the index"))
    return get_model(), kb, get_store()


def goal(args: argparse.Namespace, store, field: str = "goal") -> str:
    """--goal, or the latest goal card (its `field`: "goal", or "markdown" for the whole card)."""
    if args.goal:
        return args.goal
    card = store.latest_artifact(args.user, "goal_card")
    if card is None:
        raise MentorPrepError("No goal given.", fix="pass --goal, or run `mentorprep clarify`")
    return card["markdown"] if field == "markdown" else card["data"][field]


def write_run(
    path: str, results: list, summarise: Callable[[list], dict], meta: dict | None = None
) -> None:
    """An evaluation run's summary and every result so far, as JSON."""
    from dataclasses import asdict
    from pathlib import Path

    data = {**(meta or {}), "summary": summarise(results), "results": [asdict(r) for r in results]}
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
