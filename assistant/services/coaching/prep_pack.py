"""The prep pack: one Markdown file with the goal card, drafts, debriefs and agenda."""

from __future__ import annotations

from datetime import date

SECTIONS = (
    ("goal_card", "Your goal"),
    ("draft", "Your request to a mentor"),
    ("debrief", "Rehearsal debriefs"),
    ("agenda", "Your next meeting"),
)


def build_prep_pack(store, user_id: str, today: date | None = None) -> str:
    """Latest goal card, latest draft per channel, every debrief, latest agenda."""
    today = today or date.today()
    lines = [f"# MentorPrep prep pack ({today.isoformat()})", ""]
    empty = True
    for kind, title in SECTIONS:
        found = store.artifacts(user_id, kind)
        if kind == "draft":
            latest = {a["data"].get("channel"): a for a in found}
            found = list(latest.values())
        elif kind != "debrief":
            found = found[-1:]
        if not found:
            continue
        empty = False
        lines += [f"# {title}", ""]
        for artifact in found:
            lines += [artifact["markdown"].strip(), ""]
    if empty:
        lines.append(
            "Nothing here yet. Clarify a goal, draft a request, rehearse a conversation or "
            "prepare a meeting, and it will be collected here."
        )
    return "\n".join(lines).rstrip() + "\n"
