"""Choose leak_meaning's thresholds on tuning data only: how many leak examples
(leak_examples.yaml) are caught, and how many real answers (tuning run files) are flagged,
for a grid of MATCH and CLOSE values. Run: .venv/bin/python eval/redteam/tune_leak.py RUN.json…
(held-out results in a run file are skipped)."""

from __future__ import annotations

import glob
import json
import sys
from pathlib import Path

import yaml

from assistant.services import leak_meaning as lm

HERE = Path(__file__).parent


def negatives(extra: list[str]) -> list[str]:
    texts = []
    for path in [*glob.glob(str(HERE.parent / "workflows/runs/*.json")), *extra]:
        for result in json.loads(Path(path).read_text(encoding="utf-8"))["results"]:
            if result.get("split") == "heldout":
                continue
            if isinstance(result.get("outputs"), dict):
                texts += [str(v) for v in result["outputs"].values()]
            if isinstance(result.get("output"), str):
                texts.append(result["output"])
            texts += [r for r in result.get("raw") or [] if result.get("category") != "leakage"]
    return texts


def scores(text: str) -> list[float]:
    """Best score per matched confidential sentence, at the lowest MATCH of the grid."""
    parts = lm.units(text)
    if not parts:
        return []
    _, vectors = lm.confidential()
    rows = lm._embed(parts) @ vectors.T  # noqa: SLF001
    best: dict[int, float] = {}
    for row in rows:
        i = int(row.argmax())
        best[i] = max(best.get(i, 0.0), float(row[i]))
    return sorted(best.values(), reverse=True)


def main() -> None:
    leaks = yaml.safe_load((HERE / "leak_examples.yaml").read_text(encoding="utf-8"))["leaks"]
    pos, neg = [scores(t) for t in leaks], [scores(t) for t in negatives(sys.argv[1:])]
    print(f"{len(pos)} leak examples, {len(neg)} real answers")
    for match in (0.55, 0.58, 0.6, 0.62, 0.65, 0.7):
        for close in (0.75, 0.8, 0.85):

            def leaked(s: list[float], match: float = match, close: float = close) -> bool:
                hits = [x for x in s if x >= match]
                return len(hits) >= lm.DISTINCT or any(x >= close for x in hits)

            caught = sum(map(leaked, pos))
            flagged = sum(map(leaked, neg))
            print(
                f"MATCH {match:.2f} CLOSE {close:.2f}: {caught}/{len(pos)} leaks caught, "
                f"{flagged}/{len(neg)} real answers flagged"
            )


if __name__ == "__main__":
    main()
