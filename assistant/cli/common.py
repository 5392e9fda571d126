"""What the command modules share: progress bars, reading --context-file, printing, the services."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.errors import MentorPrepError

if TYPE_CHECKING:
    from tqdm import tqdm

    from assistant.components.llm import Model
    from assistant.services.knowledge_base import KnowledgeBase
    from assistant.services.store import Store


def bar(total: int, unit: str, desc: str) -> tqdm:
    """A progress bar on stderr, gone when done."""
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, unit_scale=True, desc=desc, file=sys.stderr, leave=False)


def chunk_progress(desc: str) -> Callable[[int, int], None]:
    """A callback(done, total) that shows indexing progress, for the knowledge base."""
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
    """Print the result: JSON with --json, else Markdown."""
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else markdown)


def services() -> tuple[Model, KnowledgeBase, Store]:
    """The model, the knowledge base (indexed first, if needed) and the store."""
    from assistant.components.llm import get_model
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.services.store import get_store

    kb = get_knowledge_base()
    kb.ensure_index(chunk_progress("building the index"))
    return get_model(), kb, get_store()


def goal(args: argparse.Namespace, store: Store) -> str:
    """--goal, or the latest goal card's goal."""
    if args.goal:
        return args.goal
    card = store.latest_artifact(args.user, "goal_card")
    if card is None:
        raise MentorPrepError("No goal given.", fix="pass --goal, or run `mentorprep clarify`")
    return card["data"]["goal"]


def write_run(
    path: str, results: list, summarise: Callable[[list], dict], meta: dict | None = None
) -> None:
    """An evaluation run's summary and every result so far, as JSON."""
    from dataclasses import asdict
    from pathlib import Path

    data = {**(meta or {}), "summary": summarise(results), "results": [asdict(r) for r in results]}
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
