"""`mentorprep eval recheck`: the output checks of today's code applied again to a run's recorded
outputs, without running the model. The outputs stay those of the run's commit; the checks are
those of the checkout, and the new file says both, so a check tightened after a run shows what it
would have counted, and is never mistaken for a new run."""

from __future__ import annotations

import copy
from datetime import date

from assistant.evals import conversation_checks as cc
from assistant.evals import output_checks as oc
from assistant.evals.persona_run import PERSONA_SETS, load_personas, said


def _personas() -> dict[str, dict]:
    return {p["id"]: p for which in PERSONA_SETS for p in load_personas(which)}


def recheck_result(result: dict, persona: dict, today: date) -> dict:
    """One persona's recorded outputs with every check computed again."""
    out = copy.deepcopy(result)
    if "error" in out:
        return out
    card = out["goal_card"]
    v = oc.check_goal_card(card["card"], persona, today)
    card["checks"], card["why"] = v.checks, v.why

    draft = out["draft"]
    shown = oc.check_draft(draft["subject"], draft["body"], persona)
    draft["checks"], draft["why"] = shown.checks, shown.why
    draft["model_checks"] = dict(shown.checks, all_pieces_by_model=not draft["from_code"])

    rehearsal = out["rehearsal"]
    mentee: list[str] = []
    for reply in rehearsal["replies"]:
        mentee.append(reply["mentee"])
        v = cc.check_reply(reply["reply"], mentee)
        reply["checks"], reply["why"] = v.checks, v.why
        reply["model_checks"] = cc.check_reply(said(reply["model_text"]), mentee).checks
    texts = [r["reply"] for r in rehearsal["replies"]]
    t = cc.check_temperament(texts, rehearsal["temperament"])
    rehearsal["temperament_checks"], rehearsal["temperament_why"] = t.checks, t.why
    rehearsal["model_temperament_checks"] = cc.check_temperament(
        [said(r["model_text"]) for r in rehearsal["replies"]], rehearsal["temperament"]
    ).checks
    rehearsal["opening_fits_situation"] = cc.opening_fits(rehearsal["opening"], persona)

    debrief = out["debrief"]
    dv = cc.check_debrief(debrief["debrief"], debrief["markdown"])
    debrief["checks"], debrief["why"] = dv.checks, dv.why

    agenda = out["agenda"]
    av = oc.check_agenda(agenda["agenda"], persona)
    agenda["checks"], agenda["why"] = av.checks, av.why
    return out


def recheck(run: dict, checks_provenance: dict) -> dict:
    """A copy of `run` with every check computed again by this checkout's code; its meta names
    the run's commit (the outputs) and this checkout's (the checks)."""
    from assistant.evals import figures

    today = date.fromisoformat(run["meta"]["started"][:10])
    personas = _personas()
    results = [recheck_result(r, personas[r["id"]], today) for r in run["results"]]
    meta = {
        **run["meta"],
        "kind": "workflows-recheck",
        "outputs_commit": run["meta"]["commit"],
        "checks_commit": checks_provenance["commit"],
        "checks_uncommitted_changes": checks_provenance["uncommitted_changes"],
    }
    return {"meta": meta, "summary": figures.summarise(results), "results": results}
