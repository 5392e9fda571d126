"""Retrieval evaluation on the golden question set in eval/retrieval/*.jsonl."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.settings import REPO_ROOT

GOLDEN_DIR = REPO_ROOT / "eval" / "retrieval"
MODES = ("dense", "bm25", "hybrid")


@dataclass
class GoldenQuestion:
    question: str
    relevant: list[str]


@dataclass
class RetrievalScores:
    mode: str
    questions: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    misses: list[str]  # questions with no relevant note in the top 5


def load_golden(directory: Path = GOLDEN_DIR) -> list[GoldenQuestion]:
    questions = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                questions.append(GoldenQuestion(item["question"], list(item["relevant"])))
    return questions


def evaluate(knowledge_base, golden: list[GoldenQuestion], mode: str, depth: int = 10):
    """Recall@1, recall@5 and MRR (over the first `depth` chunks) for one retrieval mode."""
    hits1 = hits5 = 0
    reciprocal = 0.0
    misses = []
    for item in golden:
        ranked = [p.note_id for p in knowledge_base.search(item.question, k=depth, mode=mode)]
        rank = next((i for i, note in enumerate(ranked, 1) if note in item.relevant), None)
        hits1 += rank == 1
        hits5 += rank is not None and rank <= 5
        reciprocal += 1.0 / rank if rank else 0.0
        if rank is None or rank > 5:
            misses.append(item.question)
    n = max(len(golden), 1)
    return RetrievalScores(mode, len(golden), hits1 / n, hits5 / n, reciprocal / n, misses)
