"""A raw HTTP client for a Gradio app's queue (join, then read the session's event stream): it
can call any event by its index, the private ones too, with any cookies and session hash."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import httpx


@dataclass
class Result:
    status: int  # of the join (200: the job ran; 403, 503…: refused)
    text: str  # every message the server sent about the job, or the refusal
    success: bool = False
    output: list | None = None


def call(
    client: httpx.Client,
    base: str,
    fn_index: int,
    data: list,
    session_hash: str | None = None,
    timeout: float = 120,
) -> Result:
    session_hash = session_hash or uuid.uuid4().hex[:11]
    join = client.post(
        f"{base}gradio_api/queue/join",
        json={
            "data": data,
            "fn_index": fn_index,
            "session_hash": session_hash,
            "event_data": None,
            "trigger_id": None,
        },
        timeout=timeout,
    )
    if join.status_code != 200:
        return Result(join.status_code, join.text)
    event_id = join.json()["event_id"]
    seen: list[str] = []
    url = f"{base}gradio_api/queue/data"
    with client.stream("GET", url, params={"session_hash": session_hash}, timeout=timeout) as r:
        if r.status_code != 200:
            return Result(r.status_code, r.read().decode(errors="replace"))
        for line in r.iter_lines():
            if not line.startswith("data:"):
                continue
            seen.append(line)
            message = json.loads(line[5:])
            if message.get("msg") == "process_completed" and message.get("event_id") == event_id:
                output = message.get("output") or {}
                return Result(
                    200, "\n".join(seen), bool(message.get("success")), output.get("data")
                )
            if message.get("msg") == "close_stream":
                break
    return Result(200, "\n".join(seen))
