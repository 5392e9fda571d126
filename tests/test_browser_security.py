"""Web app security with a real browser: `mentorprep serve` (its model a scripted
OpenAI-compatible server: no weights) and Debian's Chromium. User A works in the browser; user B,
an API client, sends A's ids (user id, conversation id, session hash, upload path) and forged
values to every event and every endpoint, and gets and changes nothing of A's. The page runs
under its Content-Security-Policy without a single violation, cannot read its identity cookie,
keeps no run history, and a full queue shows the browser a 'busy, try again' message."""

import re
import sqlite3
from pathlib import Path

import httpx
import pytest

from assistant.ui.identity import COOKIE
from tests.conftest import CHROMIUM, indexed_home
from tests.support.attacks import every_endpoint, every_event, leaks, snapshot
from tests.support.raw_gradio import call
from tests.support.scripted_openai_server import Script, ScriptedOpenAIServer
from tests.test_browser import Server, open_app, textarea

pytestmark = pytest.mark.slow

MARKERS = {"typed": "zqb-typed-4411", "doc": "zqb-doc-4412"}
REPLY = "Wait a week, then send one short, friendly nudge [1]."
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def scripted():
    with ScriptedOpenAIServer(Script(reply=REPLY)) as server:
        yield server


def _server(home: Path, scripted, **env) -> Server:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    env = {"MENTORPREP_BACKEND": "openai", "OPENAI_BASE_URL": scripted.url, **env}
    server = Server(home, env=env)
    server.start()
    return server


@pytest.fixture(scope="module")
def ann(scripted, browser, tmp_path_factory, indexed_template):
    """A's browser session: a question and an upload, each with a marker."""
    home = indexed_home(indexed_template, tmp_path_factory.mktemp("security-home"))
    server = _server(home, scripted)
    try:  # a failure while setting up still stops the server
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(WATCH)
        page = context.new_page()
        sessions: set[str] = set()
        page.on("request", lambda r: sessions.update(re.findall(r"session_hash=(\w+)", r.url)))
        first = page.goto(server.url)
        open_app(page, server.url)
        page.get_by_role("tab", name="Ask").click()
        textarea(page, "ask-input").fill(f"How do I follow up? {MARKERS['typed']}")
        page.locator("#ask-send").click()
        page.locator("#ask-chat").get_by_text("friendly nudge").wait_for(timeout=120_000)
        page.get_by_role("tab", name="Documents & prep pack").click()
        doc = tmp_path_factory.mktemp("upload") / "ann-notes.md"
        doc.write_text(f"# Notes\n\nThe {MARKERS['doc']} group meets on Tuesdays.\n")
        page.locator("input[type=file]").first.set_input_files(str(doc))
        page.get_by_text(re.compile(r"passages added|❌")).first.wait_for(timeout=120_000)
        yield server, context, page, sessions, first
        context.close()
    finally:
        server.stop()


def test_the_page_runs_under_its_csp_without_a_violation(ann):
    server, _, page, _, first = ann
    csp = first.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "passages added" in page.locator("body").inner_text()
    page.get_by_role("tab", name="4 · Prepare meeting").click()
    page.get_by_role("tab", name="Ask").click()
    assert page.evaluate("window.__csp") == []  # Gradio works with nothing more allowed
    blocked = page.evaluate("""async () => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = 1';
        document.head.appendChild(s);
        await new Promise(r => setTimeout(r, 300));
        return [typeof window.__injected, window.__csp.length];
    }""")
    assert blocked[0] == "undefined" and blocked[1] >= 1  # an injected inline script is refused


def test_the_page_cannot_read_its_identity_cookie_and_keeps_no_run_history(ann):
    server, context, page, _, _ = ann
    assert COOKIE not in page.evaluate("document.cookie")
    cookie = next(c for c in context.cookies() if c["name"] == COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    runs = page.context.new_page()
    assert runs.goto(server.url + "gradio_api/runs").status == 404
    runs.close()
    stored = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert MARKERS["typed"] not in stored  # Gradio's run history (in local storage) is off


def test_an_api_client_gets_and_changes_nothing_of_the_browsers(ann, tmp_path):
    server, context, page, sessions, _ = ann
    db = server.home / "mentorprep.db"
    with sqlite3.connect(db) as conn:
        [(a_user,)] = conn.execute("SELECT DISTINCT user_id FROM conversations").fetchall()
        a_conversations = [r[0] for r in conn.execute("SELECT id FROM conversations")]
    kept_dir = next((server.home / "uploads").glob("*"))
    kept = next(kept_dir.glob("*"))
    before = snapshot(db, a_user, kept_dir)
    assert MARKERS["typed"] in str(before) and MARKERS["doc"].encode() in kept.read_bytes()
    a_cookie = next(c["value"] for c in context.cookies() if c["name"] == COOKIE)
    attacks = [*a_conversations, a_user, a_cookie.partition(".")[0], str(kept), None]
    assert sessions  # the browser's session hashes, seen in its requests

    responses = []
    with httpx.Client() as b:
        responses += every_event(b, server.url, attacks, str(kept))
        for session in sessions:
            config = b.get(server.url + "config").json()
            event = config["dependencies"][0]
            hijack = call(b, server.url, event["id"], [None] * len(event["inputs"]), session)
            assert hijack.status == 403
            path = f"gradio_api/queue/data?session_hash={session}"
            assert b.get(server.url + path, timeout=10).status_code == 403
    for forged in [a_user, a_cookie.partition(".")[0], a_cookie[:-2] + "xx"]:
        jar = httpx.Cookies()
        jar.set(COOKIE, forged, domain="127.0.0.1")
        with httpx.Client(cookies=jar) as forger:
            responses.append(forger.get(server.url + "prep-pack.md", timeout=30).text)
            responses += every_event(forger, server.url, [a_conversations[0]], str(kept))
    own = tmp_path / "b-notes.md"
    own.write_text("# B\n\nNothing here.\n")
    responses += every_endpoint(server.url, [a_conversations[0], a_user], own, str(kept))

    assert leaks(responses, MARKERS) == []
    assert snapshot(db, a_user, kept_dir) == before
    page.reload()  # and A, in the browser, still has everything
    open_app(page, server.url)
    page.locator("#history input").click()
    titles = page.get_by_role("option").all_inner_texts()
    assert any(MARKERS["typed"] in t for t in titles), titles


def test_a_full_queue_shows_the_browser_busy_try_again(
    scripted, browser, tmp_path_factory, indexed_template
):
    from gradio_client import Client
    from gradio_client.utils import Status

    home = indexed_home(indexed_template, tmp_path_factory.mktemp("busy-home"))
    server = _server(home, scripted, MENTORPREP_QUEUE_SIZE="1", MENTORPREP_CONCURRENCY="1")
    scripted.set_script(Script(reply=REPLY, delay_first_byte=20))
    try:
        running = Client(server.url, verbose=False).submit("first", [], api_name="/ask")
        _until(lambda: running.status().code in (Status.PROCESSING, Status.ITERATING))
        waiting = Client(server.url, verbose=False).submit("second", [], api_name="/ask")
        _until(lambda: waiting.status().code == Status.IN_QUEUE)
        page = browser.new_page()
        open_app(page, server.url)
        page.get_by_role("tab", name="Ask").click()
        textarea(page, "ask-input").fill("a third question, while the queue is full")
        page.locator("#ask-send").click()
        page.get_by_text("busy").first.wait_for(timeout=30_000)
        assert "try again" in page.locator("body").inner_text().lower()
        page.close()
    finally:
        scripted.set_script(Script(reply=REPLY))
        server.stop()


def _until(condition, tries: int = 600) -> None:
    import time

    for _ in range(tries):
        if condition():
            return
        time.sleep(0.1)
    pytest.fail("the queue never reached the expected state")
