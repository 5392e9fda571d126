"""Two real clients on the real web app (guard, identities, Gradio): user A works, then user B
sends A's ids (user id, conversation id, session hash, event id, the path of A's upload) and
forged identity cookies to every event of the app, the private ones included, and to every
endpoint in the app's API info. B gets nothing of A's, and A's stored data does not change.

The events and endpoints are read from the running app (its config and API info), so one added
later is covered without touching this test."""

import json
import sqlite3
import uuid

import httpx
import pytest

from assistant.services.store import Store
from assistant.settings import get_settings
from assistant.ui import handlers as h
from assistant.ui.identity import COOKIE
from tests.conftest import served
from tests.support.attacks import every_endpoint, every_event, leaks, snapshot
from tests.support.raw_gradio import call

pytestmark = pytest.mark.slow

MARKERS = {
    "ask": "zqa-ask-7781",
    "doc": "zqa-doc-7782",
    "draft": "zqa-draft-7783",
    "goal": "zqa-goal-7784",
    "partner": "Zqarina",
}


@pytest.fixture
def app(fake_model, local_kb, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    settings = get_settings()
    db = tmp_path / "ui.db"
    store = Store(f"sqlite:///{db}")
    deps = h.Deps(lambda: fake_model, lambda: local_kb, lambda: store, settings)
    with served(deps) as url:
        yield url, db, local_kb, settings
    for user in {row[0] for row in _rows(db, "SELECT user_id FROM conversations")}:
        local_kb.delete_user_data(user)


def _rows(db, query: str, *args) -> list:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, args).fetchall()


def _user_a_works(url: str, tmp_path) -> tuple:
    """A (gradio_client) asks, uploads, checks a draft, clarifies a goal, starts a rehearsal."""
    from gradio_client import Client, handle_file

    a = Client(url, verbose=False)
    a.predict(f"How do I follow up? {MARKERS['ask']}", [], api_name="/ask")
    doc = tmp_path / "a-notes.md"
    doc.write_text(f"# Notes\n\nPriya leads the {MARKERS['doc']} platform group.\n")
    status, _ = a.predict([handle_file(str(doc))], api_name="/upload_documents")
    assert "passages added" in status
    a.predict(
        "Hi",
        f"Hello, {MARKERS['draft']} here.",
        "email",
        "Priya",
        "",
        "",
        "",
        api_name="/check_outreach",
    )
    a.predict(f"be a better manager {MARKERS['goal']}", [], api_name="/clarify")
    a.predict("ask_mentorship", MARKERS["partner"], "", "supportive", api_name="/start_rehearsal")
    return a


def _snapshot(db, kb, user: str, settings) -> dict:
    from assistant.services.knowledge_base import user_collection_name

    kept = settings.home / "uploads" / user_collection_name(user, settings.collection_prefix)
    return {**snapshot(db, user, kept), "documents": kb.user_documents(user)}


def test_user_b_gets_and_changes_nothing_of_user_a(app, tmp_path):
    url, db, kb, settings = app
    a = _user_a_works(url, tmp_path)
    [(a_user,)] = _rows(db, "SELECT DISTINCT user_id FROM conversations")
    assert a_user.startswith("browser:")
    a_conversations = [row[0] for row in _rows(db, "SELECT id FROM conversations")]
    before = _snapshot(db, kb, a_user, settings)
    assert before["documents"] == ["a-notes.md"] and len(a_conversations) >= 3
    stored = json.dumps(before, default=str)
    assert all(MARKERS[m] in stored for m in ["doc", "draft", "goal", "ask"])  # the test can fail
    kept = next((settings.home / "uploads").glob("*/a-notes.md"))
    a_cookie = a.cookies[COOKIE]
    a_token = a_cookie.partition(".")[0]
    forged = [
        a_user,  # the id the store knows A by, as a cookie
        a_user.removeprefix("browser:"),  # its digest alone
        a_token,  # A's token without its tag
        a_token + "." + "A" * 43,  # with a made-up tag
        f"{uuid.uuid4().hex}.{uuid.uuid4().hex}",
    ]
    attacks = [*a_conversations, a_user, a_token, str(kept), None]
    responses: list[str] = []

    # B's own browser-like client: one identity the server issued, for every event and value
    with httpx.Client() as b:
        responses += every_event(b, url, attacks, str(kept))
        config = b.get(url + "config").json()
        events = config["dependencies"]
        assert len(events) >= 20
        ran = call(
            b,
            url,
            next(e["id"] for e in events if e["api_name"] == "ask"),
            ["What is a mentor?", [], None],
        )
        assert ran.success and "role" in ran.text  # B's calls really ran, as B

        # A's session hash and event id are refused, whatever B sends with them
        for path in [
            f"gradio_api/queue/data?session_hash={a.session_hash}",
            f"gradio_api/heartbeat/{a.session_hash}",
        ]:
            assert b.get(url + path, timeout=10).status_code == 403
        hijack = call(b, url, events[0]["id"], [None] * len(events[0]["inputs"]), a.session_hash)
        assert hijack.status == 403 and "another visitor" in hijack.text
        with httpx.Client(cookies={COOKIE: a_cookie}) as a_raw:
            joined = a_raw.post(
                url + "gradio_api/call/prep_pack", json={"data": []}, timeout=30
            ).json()["event_id"]
            assert b.get(url + f"gradio_api/call/prep_pack/{joined}", timeout=10).status_code == 403
            cancel = {
                "session_hash": "b" + uuid.uuid4().hex[:10],
                "fn_index": 0,
                "event_id": joined,
            }
            assert b.post(url + "gradio_api/cancel", json=cancel, timeout=10).status_code == 403
            shown = a_raw.get(url + f"gradio_api/call/prep_pack/{joined}", timeout=30).text
            assert MARKERS["draft"] in shown  # A gets A's pack: the refusals above were B's only

    # forged identity cookies: each is replaced by a new identity, never taken as A
    for value in forged:
        jar = httpx.Cookies()
        jar.set(COOKIE, value, domain="127.0.0.1")  # as a browser holds it: replaced when set
        with httpx.Client(cookies=jar) as forger:
            page = forger.get(url, timeout=30)
            assert forger.cookies[COOKIE] != value and "HttpOnly" in page.headers["set-cookie"]
            responses.append(forger.get(url + "prep-pack.md", timeout=30).text)
            responses += every_event(forger, url, [a_conversations[0]], str(kept))

    # every endpoint in the API info, through gradio_client, with A's ids in every string
    own = tmp_path / "b-notes.md"
    own.write_text("# B's notes\n\nNothing to see.\n")
    responses += every_endpoint(url, [a_conversations[0], a_user], own, str(kept))

    assert leaks(responses, MARKERS) == []
    assert _snapshot(db, kb, a_user, settings) == before
    assert kept.is_file()  # B's file "upload" of A's kept copy neither read nor deleted it
