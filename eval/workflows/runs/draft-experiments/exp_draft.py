"""Draft experiment on the tuning personas only: what the model wrote per piece, and which
pieces MentorPrep's fallback wrote. Run from the repository (or a worktree on PYTHONPATH):

    .venv/bin/python eval/workflows/runs/draft-experiments/exp_draft.py > out.log
"""

import collections
import json
import time
from pathlib import Path

import yaml

from assistant.components.llm import get_model
from assistant.services.coaching.outreach import OutreachRequest, draft_outreach
from assistant.services.knowledge_base import get_knowledge_base
from assistant.settings import get_settings

RUNS = Path(__file__).resolve().parent.parent
PERSONAS = RUNS.parent / "personas.yaml"


def main() -> None:
    run = json.loads((RUNS / "2026-12-03-final-d7d09fd.json").read_text(encoding="utf-8"))
    goals = {r["id"]: (r["goal_card"] or {}).get("goal") for r in run["results"]}
    model, kb = get_model(get_settings()), get_knowledge_base()
    from_code, refused, drafts = collections.Counter(), collections.Counter(), 0
    for p in yaml.safe_load(PERSONAS.read_text(encoding="utf-8")):
        request = OutreachRequest(
            mentor_name=p["mentor"]["name"],
            mentor_role=p["mentor"].get("role", ""),
            bio=p.get("bio", ""),
            goal=goals.get(p["id"]) or p["answers"][0],
            channel=p["channel"],
            relationship=p.get("relationship", "cold"),
            sender_name=p.get("sender_name", ""),
            about_me=p.get("situation", ""),
        )
        start = time.time()
        draft, _ = draft_outreach(request, model, kb)
        seconds = time.time() - start
        drafts += 1
        from_code.update(draft.from_code)
        for problems in draft.revisions:
            refused.update(part[:70] for part in problems.split("; "))
        failed = [i.id for i in draft.report.failed()]
        print(f"== {p['id']} {seconds:.1f}s attempts={draft.attempts} ", end="")
        print(f"from_code={draft.from_code} failed={failed}")
        print("   pieces:", json.dumps(draft.pieces))
        print("   " + draft.body.replace("\n", "\n   "), flush=True)
    print("from_code", dict(from_code), "of", drafts)
    for text, count in refused.most_common(15):
        print(count, text)


if __name__ == "__main__":
    main()
