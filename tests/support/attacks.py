"""User B against the running app: every event (from its config, private ones included, called
raw) and every endpoint in its API info (through gradio_client), with another user's ids in every
value. The events and endpoints are read from the app, so a new one is covered by itself."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx

from tests.support.raw_gradio import call


def value_for(kind: str, attack, file_path: str):
    """An input for a component of `kind`, carrying `attack` where a string can go, and a file
    input pointing at `file_path` (a file on the server the caller does not own)."""
    if kind in ("textbox", "dropdown", "radio"):
        return attack
    if kind == "file":
        return [
            {
                "path": file_path,
                "orig_name": Path(file_path).name,
                "meta": {"_type": "gradio.FileData"},
            }
        ]
    return {"chatbot": [], "slider": 30, "checkbox": False, "dataset": 0}.get(kind)


def every_event(client: httpx.Client, url: str, attacks: list, file_path: str) -> list[str]:
    """Call every event of the app with every attack value; the texts the server sent back."""
    config = client.get(url + "config", timeout=30).json()
    kinds = {c["id"]: c["type"] for c in config["components"]}
    texts = []
    for event in config["dependencies"]:
        for attack in attacks:
            data = [value_for(kinds[i], attack, file_path) for i in event["inputs"]]
            result = call(client, url, event["id"], data)
            assert result.status == 200, (event["api_name"], result.text)
            texts.append(result.text)
    return texts


def every_endpoint(url: str, attacks: list, own_file: Path, file_path: str) -> list[str]:
    """gradio_client (a client of its own) on every endpoint in the API info; the answers, or
    the errors a refused value raised."""
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert len(endpoints) >= 12, endpoints
    texts = []
    for name, info in endpoints.items():
        for attack in attacks:
            args = [
                [handle_file(str(own_file))]
                if p["component"].lower() == "file"
                else value_for(p["component"].lower(), attack, file_path)
                for p in info["parameters"]
            ]
            try:
                texts.append(json.dumps(client.predict(*args, api_name=name), default=str))
            except Exception as exc:  # a refused value: its message must not leak either
                texts.append(f"{name}: {type(exc).__name__}: {exc}")
    return texts


def snapshot(db: Path, user: str, kept: Path | None = None) -> dict:
    """Everything stored for `user`: rows of the store, and the bytes of the kept uploads."""

    def rows(query: str) -> list:
        with sqlite3.connect(db) as conn:
            return conn.execute(query, (user,)).fetchall()

    return {
        "conversations": rows("SELECT * FROM conversations WHERE user_id = ?"),
        "messages": rows(
            "SELECT m.* FROM messages m JOIN conversations c ON m.conversation_id = c.id "
            "WHERE c.user_id = ?"
        ),
        "artifacts": rows("SELECT * FROM artifacts WHERE user_id = ?"),
        "kept": sorted((p.name, p.read_bytes()) for p in kept.glob("*")) if kept else [],
    }


def leaks(texts: list[str], markers: dict[str, str]) -> list[tuple[int, list[str]]]:
    found = [(i, [n for n, m in markers.items() if m in text]) for i, text in enumerate(texts)]
    return [(i, names) for i, names in found if names]
