"""The debrief test set (eval/debrief/): short rehearsals with planted mistakes, labelled per
sentence. The figures: planted mistakes the debrief caught (a point to improve quotes the
sentence) and clean sentences it wrongly criticised, each for the model's own picks (the sentences it chose to
improve, before the rules kept or dropped them) and for all points shown (the model's that the
rules kept, and the rules' own)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import yaml

from assistant.errors import MentorPrepError
from assistant.evals.conversation_checks import check_debrief, quoted
from assistant.services.ask import Turn
from assistant.services.coaching import rehearsal as rh
from assistant.services.coaching.debrief import debrief as debrief_rehearsal
from assistant.settings import REPO_ROOT

CASE_SETS = {
    "tuning": REPO_ROOT / "eval" / "debrief" / "cases.yaml",
    "heldout": REPO_ROOT / "eval" / "debrief" / "cases_heldout.yaml",
}
# what a debrief that noticed an omission says somewhere (its summary, reasons or rewrites)
OMISSION_WORDS = {"no_thanks": ("thank",), "next_step": ("next step", "follow up", "follow-up")}


def load_cases(which: str) -> list[dict]:
    return yaml.safe_load(Path(CASE_SETS[which]).read_text(encoding="utf-8"))


def sentences_of(case: dict) -> list[dict]:
    """Every mentee sentence as {text, mistake} (mistake None for a clean sentence)."""
    found = []
    for turn in case["turns"]:
        for item in turn.get("mentee", []):
            if isinstance(item, str):
                found.append({"text": item, "mistake": None})
            else:
                found.append({"text": item["text"], "mistake": item.get("mistake")})
    return found


def rehearsal_of(case: dict) -> rh.Rehearsal:
    setup = rh.RehearsalSetup(
        case["scenario"], case.get("counterpart", "Alex"), "", case.get("temperament", "supportive")
    )
    transcript = []
    for turn in case["turns"]:
        if "counterpart" in turn:
            transcript.append(Turn("assistant", turn["counterpart"]))
        else:
            texts = [s if isinstance(s, str) else s["text"] for s in turn["mentee"]]
            transcript.append(Turn("user", " ".join(texts)))
    return rh.Rehearsal(setup, transcript)


def run_case(case: dict, model, knowledge_base) -> dict:
    start = time.perf_counter()
    debrief = debrief_rehearsal(rehearsal_of(case), model, knowledge_base)
    data = debrief.to_dict()
    shown = [p for p in data["improve"] if p["quote"]]
    own = [{"quote": quote} for quote in data.get("model_improve", [])]
    said = " ".join(
        [data["summary"], *(p["why"] + " " + p.get("try_instead", "") for p in data["improve"])]
    ).lower()
    verdict = check_debrief(data, debrief.to_markdown())
    return {
        "id": case["id"],
        "sentences": [
            {**s, "caught_shown": quoted(shown, s["text"]), "caught_model": quoted(own, s["text"])}
            for s in sentences_of(case)
        ],
        "omissions": {
            kind: any(w in said for w in OMISSION_WORDS.get(kind, (kind,)))
            for kind in case.get("missing", [])
        },
        "debrief": data,
        "checks": verdict.checks,
        "seconds": round(time.perf_counter() - start, 1),
    }


def run_all(
    model,
    knowledge_base,
    sets: list[str],
    only: list[str] | None = None,
    progress: Callable[[int, int, dict], None] | None = None,
    guard: Callable[[], AbstractContextManager] = nullcontext,
) -> list[dict]:
    cases = [{**c, "_set": s} for s in sets for c in load_cases(s) if not only or c["id"] in only]
    results = []
    for i, case in enumerate(cases, 1):
        with guard():
            try:
                result = run_case(case, model, knowledge_base)
            except MentorPrepError as exc:
                result = {
                    "id": case["id"],
                    "error": exc.message,
                    "sentences": [
                        {**s, "caught_shown": False, "caught_model": False}
                        for s in sentences_of(case)
                    ],
                    "omissions": {k: False for k in case.get("missing", [])},
                    "checks": {},
                }
        result["set"] = case["_set"]
        results.append(result)
        if progress:
            progress(i, len(cases), result)
    return results


def summarise(results: list[dict]) -> dict:
    sets = sorted({r["set"] for r in results})
    return {s: _summarise_set([r for r in results if r["set"] == s]) for s in sets}


def _summarise_set(results: list[dict]) -> dict:
    planted = [s for r in results for s in r["sentences"] if s["mistake"]]
    clean = [s for r in results for s in r["sentences"] if not s["mistake"]]
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for s in planted:
        by_kind[s["mistake"]].append(s)
    omissions = [(k, v) for r in results for k, v in r["omissions"].items()]

    def rate(items: list, key: str) -> dict:
        hit = sum(bool(x[key]) for x in items)
        return {"hit": hit, "of": len(items), "rate": round(hit / len(items), 3) if items else None}

    return {
        "cases": len(results),
        "errors": sum("error" in r for r in results),
        "planted_caught_shown": rate(planted, "caught_shown"),
        "planted_caught_model_only": rate(planted, "caught_model"),
        "clean_criticised_shown": rate(clean, "caught_shown"),
        "clean_criticised_model_only": rate(clean, "caught_model"),
        "caught_by_kind_shown": {k: rate(v, "caught_shown") for k, v in sorted(by_kind.items())},
        "omissions_named": {
            "hit": sum(v for _, v in omissions),
            "of": len(omissions),
        },
        "rewrites_by_model": {
            "hit": sum(
                p.get("rewrite_by") == "model"
                for r in results
                if "debrief" in r
                for p in r["debrief"]["improve"]
                if p["quote"]
            ),
            "of": sum(
                1 for r in results if "debrief" in r for p in r["debrief"]["improve"] if p["quote"]
            ),
        },
        "points_cite_notes": {
            "hit": sum(r["checks"].get("points_cite_notes", False) for r in results),
            "of": len(results),
        },
    }
