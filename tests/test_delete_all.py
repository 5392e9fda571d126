"""Deletion that deletes: user A types and uploads marker strings through the real web app, a
rebuild moves the vector store aside (as after a crash), A downloads the prep pack, then A runs
"Delete all my data". Every byte of every file in the data home (the database and its WAL, the
vector store, the kept uploads, the aside folder) and in Gradio's temporary folder is searched:
A's markers are gone, and user B's data, deleted by no one, is all still there."""

import logging
import os

import httpx
import pytest

from assistant.services.knowledge_base import KnowledgeBase
from assistant.services.store import Store
from assistant.settings import get_settings
from assistant.ui import handlers as h
from assistant.ui.identity import COOKIE
from tests.conftest import served

pytestmark = pytest.mark.slow

A = {"typed": "zqd-typed-5521", "doc": "zqd-doc-5522", "draft": "zqd-draft-5523"}
B = {"typed": "zqd-bob-typed-6631", "doc": "zqd-bob-doc-6632"}
NOTE = """---
id: follow-up
title: Following up
---
# Following up

When a mentor does not reply, wait a week and send one short, friendly nudge.
"""


def _found(root, markers: dict[str, str]) -> dict[str, list[str]]:
    """{marker name: files under root whose bytes contain it}."""
    found: dict[str, list[str]] = {}
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for name, marker in markers.items():
                if marker.encode() in data:
                    found.setdefault(name, []).append(str(path.relative_to(root)))
    return found


@pytest.fixture
def app(fake_model, tmp_path, monkeypatch):
    from assistant.ui.web import private_home

    monkeypatch.setenv("GRADIO_TEMP_DIR", "set by private_home, restored after the test")
    settings = get_settings()
    previous = os.umask(0o077)
    try:
        temp = private_home(settings)  # as `mentorprep serve` does: Gradio's folder in the home
    finally:
        os.umask(previous)
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "follow-up.md").write_text(NOTE)
    kb = KnowledgeBase(settings, knowledge_dir=tmp_path / "knowledge")
    kb.ensure_index()
    store = Store(settings.store_url)  # SQLite in the data home
    deps = h.Deps(lambda: fake_model, lambda: kb, lambda: store, settings)
    with served(deps) as url:
        yield url, kb, settings, temp


def _works(url: str, tmp_path, markers: dict[str, str], name: str):
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False)
    client.predict(f"How do I follow up? {markers['typed']}", [], api_name="/ask")
    doc = tmp_path / name / "notes.md"
    doc.parent.mkdir()
    doc.write_text(f"# Notes\n\nThe {markers['doc']} group meets on Tuesdays.\n")
    status, _ = client.predict([handle_file(str(doc))], api_name="/upload_documents")
    assert "passages added" in status, status
    if "draft" in markers:
        client.predict(
            "Hi",
            f"Hello, {markers['draft']} here.",
            "email",
            "Priya",
            "",
            "",
            "",
            api_name="/check_outreach",
        )
    return client


def test_delete_all_leaves_no_copy_anywhere(app, tmp_path, caplog):
    url, kb, settings, temp = app
    caplog.set_level(logging.INFO)
    ann = _works(url, tmp_path, A, "ann")
    _works(url, tmp_path, B, "bob")
    kb.rebuild("a test: the index was found broken")  # moves the store aside, with both users
    pack = httpx.get(url + "prep-pack.md", cookies={COOKIE: ann.cookies[COOKIE]})
    assert A["draft"] in pack.text and "attachment" in pack.headers["content-disposition"]

    before = _found(settings.home, A)
    assert set(before) == set(A)  # the markers are really stored: the search can fail
    assert any(f.startswith("chroma.broken-") for f in before["doc"])
    assert any(f.startswith("uploads/") for f in before["doc"])
    assert any(f.startswith("mentorprep.db") for f in before["typed"])

    message, *_ = ann.predict(api_name="/delete_all_my_data")
    assert "were deleted" in message

    assert temp.is_relative_to(settings.home) and temp.is_dir()
    assert _found(settings.home, A) == {}  # the database, its WAL, Chroma, uploads, aside, temp
    assert _found(temp, A) == {}
    assert not list(settings.home.glob("chroma.broken-*"))
    assert all(marker not in caplog.text for marker in A.values())
    # B's data is untouched, and still works
    kept = _found(settings.home, B)
    assert set(kept) == set(B), kept
    assert any(f.startswith("mentorprep.db") for f in kept["typed"])
    bob_user = next(c["user_id"] for c in _conversations(settings) if B["typed"] in c["title"])
    assert kb.user_documents(bob_user) == ["notes.md"]
    assert any(B["doc"] in p.text for p in kb.search("Tuesdays group", k=3, user_id=bob_user))


def _conversations(settings) -> list[dict]:
    import sqlite3

    with sqlite3.connect(settings.home / "mentorprep.db") as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT user_id, title FROM conversations")]
