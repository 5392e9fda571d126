"""The persona run's figures, per persona set, each twice: *model only* (the model's own output,
before MentorPrep inserted, replaced or fell back to anything) and *shown* (what the user saw).
A persona that stopped with an error fails every figure."""

from __future__ import annotations

from collections import Counter
from statistics import median


def _rate(passed: int, n: int) -> dict:
    return {"passed": passed, "of": n, "rate": round(passed / n, 3) if n else None}


def _per_check(verdicts: list[dict]) -> dict:
    names = sorted({k for v in verdicts for k in v})
    return {
        k: _rate(sum(v.get(k, False) for v in verdicts if k in v), sum(k in v for v in verdicts))
        for k in names
    }


def summarise(results: list[dict]) -> dict:
    """Figures for each persona set in `results` (tuning and held-out apart)."""
    sets = sorted({r.get("set", "") for r in results})
    return {s: _summarise_set([r for r in results if r.get("set", "") == s]) for s in sets}


def _summarise_set(results: list[dict]) -> dict:
    n = len(results)
    ok = [r for r in results if "error" not in r]
    cards = [r["goal_card"] for r in ok]
    drafts = [r["draft"] for r in ok]
    agendas = [r["agenda"] for r in ok]
    replies = [x for r in ok for x in r["rehearsal"]["replies"]]
    n_replies = len(replies) + sum(r.get("replies_expected", 0) for r in results)
    rehearsals = [r["rehearsal"] for r in ok]
    debriefs = [r["debrief"] for r in ok]
    seconds = [r["seconds"] for r in ok]
    return {
        "personas": n,
        "errors": n - len(ok),
        "goal_cards": {
            "model_only": _rate(
                sum(c["origin"] == "model" and all(c["checks"].values()) for c in cards), n
            ),
            "shown": _rate(sum(all(c["checks"].values()) for c in cards), n),
            "fallback_cards": sum(c["origin"] == "fallback" for c in cards),
            "checks_shown": _per_check([c["checks"] for c in cards]),
        },
        "drafts": {
            "rubric_model_only": _rate(sum(d["model_checks"]["rubric"] for d in drafts), n),
            "rubric_shown": _rate(sum(d["checks"]["rubric"] for d in drafts), n),
            "all_checks_model_only": _rate(sum(all(d["model_checks"].values()) for d in drafts), n),
            "all_checks_shown": _rate(sum(all(d["checks"].values()) for d in drafts), n),
            "changed_by_code": sum(d["code_changed"] for d in drafts),
            "checks_model_only": _per_check([d["model_checks"] for d in drafts]),
            "checks_shown": _per_check([d["checks"] for d in drafts]),
        },
        "replies": {
            "model_only": _rate(
                sum(x["origin"] == "model" and all(x["checks"].values()) for x in replies),
                n_replies,
            ),
            "shown": _rate(sum(all(x["checks"].values()) for x in replies), n_replies),
            "origins": dict(Counter(x["origin"] for x in replies)),
            "checks_shown": _per_check([x["checks"] for x in replies]),
            "checks_model_text": _per_check([x["model_checks"] for x in replies]),
        },
        "temperament": {
            "shown": _rate(sum(all(r["temperament_checks"].values()) for r in rehearsals), n),
            "model_text": _rate(
                sum(all(r["model_temperament_checks"].values()) for r in rehearsals), n
            ),
            "checks_shown": _per_check([r["temperament_checks"] for r in rehearsals]),
        },
        "openings_fit_situation": _rate(sum(r["opening_fits_situation"] for r in rehearsals), n),
        "debriefs": {
            "all_checks": _rate(sum(all(d["checks"].values()) for d in debriefs), n),
            "checks": _per_check([d["checks"] for d in debriefs]),
            "points_by_source": dict(
                Counter(
                    p.get("source", "model")
                    for d in debriefs
                    for p in d["debrief"]["went_well"] + d["debrief"]["improve"]
                )
            ),
        },
        "agendas": {
            "model_only": _rate(
                sum(a["origin"] == "model" and all(a["checks"].values()) for a in agendas), n
            ),
            "shown": _rate(sum(all(a["checks"].values()) for a in agendas), n),
            "fallback_agendas": sum(a["origin"] == "fallback" for a in agendas),
            "checks_shown": _per_check([a["checks"] for a in agendas]),
        },
        "seconds": _times(seconds),
    }


def _times(seconds: list[dict]) -> dict:
    out = {}
    for name in ("goal_card", "draft", "debrief", "agenda"):
        values = [s[name] for s in seconds if name in s]
        if values:
            out[name] = {"median": round(median(values), 1), "max": max(values)}
    replies = [v for s in seconds for k, v in s.items() if k.startswith("reply_")]
    if replies:
        out["reply"] = {"median": round(median(replies), 1), "max": max(replies)}
    return out
