"""Blind judging: packets that hold only the mentee's inputs and one output, the fixed questions
of eval/judging.md, and the verdicts merged back into the run file."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

from assistant.settings import REPO_ROOT

QUESTIONS_FILE = REPO_ROOT / "eval" / "judging.md"
_QUESTION = re.compile(r"^- \*\*(\w+)\*\* \(([^)]*)\): (.+)$")


def questions() -> dict[str, list[dict]]:
    """The fixed questions per kind of output: {kind: [{id, choices, text}]}."""
    kinds: dict[str, list[dict]] = {}
    kind = None
    for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            kind = line[3:].strip()
        elif kind and (m := _QUESTION.match(line)):
            choices = [c.strip() for c in m.group(2).split("|")]
            kinds.setdefault(kind, []).append(
                {"id": m.group(1), "choices": choices, "text": m.group(3)}
            )
    return kinds


def _inputs(persona: dict) -> str:
    mentor = persona.get("mentor", {})
    parts = [
        f"Goal as typed: {persona['goal']}",
        *[f"Answer {i}: {a}" for i, a in enumerate(persona.get("answers", []), 1)],
        f"Mentor: {mentor.get('name', '')}, {mentor.get('role', '')}",
        f"Mentor's bio (pasted): {persona.get('bio', '')}",
        f"Channel: {persona.get('channel', '')}; relationship: {persona.get('relationship', '')}",
    ]
    if persona.get("sender_name"):
        parts.append(f"Mentee's name: {persona['sender_name']}")
    if persona.get("situation"):  # typed in "About you": the drafts and agendas may use it
        parts.append(f"About the mentee (typed by them): {persona['situation']}")
    return "\n".join(parts)


def _outputs(result: dict) -> dict[str, str]:
    """The output of each kind, as its reader sees it."""
    r = result["rehearsal"]
    setup = f"Scenario: {r['scenario']}; the counterpart's temperament: {r['temperament']}\n\n"
    lines = [f"Counterpart: {r['opening']}"]
    for x in r["replies"]:
        lines += [f"Mentee: {x['mentee']}", f"Counterpart: {x['reply']}"]
    subject = result["draft"]["subject"]
    draft = (f"Subject: {subject}\n\n" if subject else "") + result["draft"]["body"]
    return {
        "goal_card": result["goal_card"]["markdown"],
        "draft": draft,
        "rehearsal": setup + "\n".join(lines),
        "debrief": "The rehearsal:\n"
        + "\n".join(lines)
        + "\n\nThe debrief:\n"
        + result["debrief"]["markdown"],
        "agenda": "A first meeting with this mentor.\n\n" + result["agenda"]["markdown"],
    }


def write_packets(run: dict, personas: dict[str, dict], out: Path, seed: int = 0) -> int:
    """One Markdown packet per output under shuffled ids, and key.json (packet -> persona,
    kind), which judges must not read."""
    out.mkdir(parents=True, exist_ok=True)
    asked = questions()
    items = [
        (result["id"], kind, text)
        for result in run["results"]
        if "error" not in result
        for kind, text in _outputs(result).items()
    ]
    random.Random(seed).shuffle(items)
    key = {}
    for n, (pid, kind, text) in enumerate(items, 1):
        packet = f"p{n:03d}"
        key[packet] = {"persona": pid, "kind": kind}
        qs = "\n".join(
            f"- **{q['id']}** ({' | '.join(q['choices'])}): {q['text']}" for q in asked[kind]
        )
        (out / f"{packet}.md").write_text(
            f"# Packet {packet}: {kind.replace('_', ' ')}\n\n## The mentee's inputs\n\n"
            f"{_inputs(personas[pid])}\n\n## The output\n\n{text}\n\n## Questions\n\n{qs}\n",
            encoding="utf-8",
        )
    (out / "key.json").write_text(json.dumps(key, indent=1), encoding="utf-8")
    return len(items)


def merge_verdicts(run: dict, packets: Path) -> dict:
    """Read verdicts-*.json ({packet: {question: {answer, reason}}}) and record them in the run:
    per result and kind, every judge's answers; and a summary per kind and question."""
    key = json.loads((packets / "key.json").read_text(encoding="utf-8"))
    by_persona = {r["id"]: r for r in run["results"]}
    judges = sorted(packets.glob("verdicts-*.json"))
    tallies: dict = {}
    for path in judges:
        judge = path.stem.removeprefix("verdicts-")
        for packet, answers in json.loads(path.read_text(encoding="utf-8")).items():
            where = key[packet]
            result = by_persona[where["persona"]]
            result.setdefault("judges", {}).setdefault(where["kind"], {})[judge] = answers
            for qid, answer in answers.items():
                value = answer["answer"] if isinstance(answer, dict) else answer
                tallies.setdefault(result.get("set", ""), {}).setdefault(
                    where["kind"], {}
                ).setdefault(qid, Counter())[value] += 1
    run["judging"] = {
        "judges": [p.stem.removeprefix("verdicts-") for p in judges],
        "questions_file": "eval/judging.md",
        "answers": {
            s: {k: {q: dict(c) for q, c in qs.items()} for k, qs in kinds.items()}
            for s, kinds in tallies.items()
        },
        "agreement": _agreement(run["results"]),
        "majority": majority(run["results"]),
    }
    return run


# the answers that count for the output: "would send" includes light edits, "in character"
# includes "mostly", a usable agenda includes light edits; for every other question only "yes"
POSITIVE = {
    "send": {"as_is", "light_edits"},
    "in_character": {"yes", "mostly"},
    "usable": {"yes", "light_edits"},
}


def majority(results: list[dict]) -> dict:
    """Per set, kind and question: outputs that most judges answered positively, of those judged
    ("not_applicable" counts as not positive, so a rewrite nobody offered is not a good one)."""
    table: dict = {}
    for result in results:
        for kind, verdicts in result.get("judges", {}).items():
            qids = sorted({q for answers in verdicts.values() for q in answers})
            for q in qids:
                said = [
                    a[q]["answer"] if isinstance(a[q], dict) else a[q] for a in verdicts.values()
                ]
                good = sum(answer in POSITIVE.get(q, {"yes"}) for answer in said)
                cell = table.setdefault(result.get("set", ""), {}).setdefault(kind, {})
                cell = cell.setdefault(q, {"positive": 0, "of": 0})
                cell["positive"] += good * 2 > len(said)
                cell["of"] += 1
    return table


def _agreement(results: list[dict]) -> dict:
    """Where several judges answered the same question: the share answered alike by all."""
    same = total = 0
    for result in results:
        for verdicts in result.get("judges", {}).values():
            if len(verdicts) < 2:
                continue
            qids = set.intersection(*(set(v) for v in verdicts.values()))
            for q in qids:
                answers = {
                    (a[q]["answer"] if isinstance(a[q], dict) else a[q]) for a in verdicts.values()
                }
                same += len(answers) == 1
                total += 1
    return {
        "questions_judged_by_several": total,
        "all_alike": same,
        "rate": round(same / total, 3) if total else None,
    }
