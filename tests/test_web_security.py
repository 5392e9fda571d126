"""The web app's limits and hardening over real HTTP (the app in this process, a fake model): the
CSP header, the identity cookie, logins (hashed, non-ASCII, the attempt limit), the upload size
limit, a full queue, one long job per user, run history off, the refusal to serve on a network
address without a login, and a private data home."""

import os
import re
import stat
import threading

import httpx
import pytest

from assistant.components.passwords import set_password
from assistant.errors import MentorPrepError
from assistant.services.store import Store
from assistant.settings import get_settings
from assistant.ui import handlers as h
from assistant.ui.guard import script_hashes
from assistant.ui.identity import COOKIE
from tests.conftest import FakeModel, run_cli, served

NON_ASCII = "Grüße, 日本語 🔑 pass"


class GatedModel(FakeModel):
    """Holds every prompt that contains HOLD until `release` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()
        self.release = threading.Event()

    def execute(self, prompt):
        if "HOLD" in str(prompt.messages[-1]["content"]):
            self.started.set()
            assert self.release.wait(120), "the test never released the model"
        yield from super().execute(prompt)


@pytest.fixture
def start_app(local_kb, tmp_path, monkeypatch):
    """start_app(**settings) -> (url, model): the app with MENTORPREP_<NAME> settings."""
    running = []

    def start(**env):
        for name, value in env.items():
            monkeypatch.setenv(f"MENTORPREP_{name.upper()}", str(value))
        monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
        get_settings.cache_clear()
        model, store = GatedModel(), Store(f"sqlite:///{tmp_path / 'ui.db'}")
        deps = h.Deps(lambda: model, lambda: local_kb, lambda: store, get_settings())
        context = served(deps)
        running.append((context, model))
        return context.__enter__(), model

    yield start
    for context, model in running:
        model.release.set()
        context.__exit__(None, None, None)


def _wait(condition, what: str, tries: int = 600) -> None:
    import time

    for _ in range(tries):
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not happen")


# headers and the identity cookie -------------------------------------------------------------


@pytest.mark.slow
def test_the_page_and_the_api_carry_a_real_csp(start_app):
    url, _ = start_app()
    page = httpx.get(url)
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]
    inline = script_hashes(page.content)
    assert inline and all(h in csp for h in inline)  # the page's own inline scripts, only those
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "Content-Security-Policy" not in page.text  # a header, not a <meta> added by script
    api = httpx.get(url + "gradio_api/info")
    assert api.headers["content-security-policy"].startswith(
        "default-src 'self'; script-src 'self';"
    )


@pytest.mark.slow
def test_the_identity_cookie_is_issued_by_the_server_and_hidden_from_scripts(start_app):
    url, _ = start_app()
    first = httpx.get(url)
    cookie = first.headers["set-cookie"]
    assert re.match(rf"{COOKIE}=[\w-]{{43}}\.[\w-]{{43}}; ", cookie)
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"]:
        assert attribute in cookie
    issued = first.cookies[COOKIE]
    again = httpx.get(url, cookies={COOKIE: issued})
    assert "set-cookie" not in again.headers  # a valid cookie is kept
    for forged in ["browser:abc", issued.split(".")[0] + ".x", issued[:-1] + "A"]:
        replaced = httpx.get(url, cookies={COOKIE: forged})
        assert replaced.cookies[COOKIE] not in (forged, issued)


# logins ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_hashed_non_ascii_login_works_and_wrong_passwords_are_limited(start_app, tmp_path):
    from gradio_client import Client

    auth = tmp_path / "auth"
    set_password(auth, "zoë", NON_ASCII)
    url, _ = start_app(auth_file=auth, login_max_failures=3, login_lockout_minutes=10)
    assert httpx.get(url + "config").status_code == 401  # nothing without a login
    client = Client(url, auth=("zoë", NON_ASCII), verbose=False)  # logs in over HTTP
    chat, *_ = client.predict("How do I find a mentor?", [], api_name="/ask")
    assert chat[-1]["role"] == "assistant"
    wrong = {"username": "zoë", "password": NON_ASCII + "!"}
    with httpx.Client() as browser:
        for _ in range(3):
            assert browser.post(url + "login", data=wrong).status_code == 400
        locked = browser.post(url + "login", data={"username": "zoë", "password": NON_ASCII})
        assert locked.status_code == 429  # the right password too, until the wait is over
        assert "Too many failed logins" in locked.json()["detail"]
        assert 0 < int(locked.headers["retry-after"]) <= 600
    assert "failed logins" in httpx.get(url).text  # the login page states the rule


# limits ---------------------------------------------------------------------------------------


def _peak_rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))


@pytest.mark.slow
def test_an_upload_over_the_limit_is_refused_while_it_streams(start_app, tmp_path):
    """100 MB sent to the upload route: a clear 413 once 5 MB have arrived, nothing kept, and the
    process's peak memory (server and client are this process) grows by far less than 100 MB."""
    url, _ = start_app()
    boundary = "mentorprepboundary"

    def body():
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        chunk = b"mentor " * 150_000  # ~1 MB, the same buffer every time
        for _ in range(100):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset the peak to the current size
    before = _peak_rss_kb()
    response = httpx.post(
        url + "gradio_api/upload",
        content=body(),
        timeout=120,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert "larger than the 5 MB upload limit" in response.json()["detail"]
    assert _peak_rss_kb() - before < 40_000  # kB: the file was never held in memory
    kept = [p for p in (tmp_path / "gradio").rglob("*") if p.is_file()]
    assert all(p.stat().st_size < 1_000_000 for p in kept), kept


def test_the_handler_checks_the_size_before_reading(tmp_path, monkeypatch):
    from pathlib import Path

    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(6 * 2**20)  # sparse: 6 MB on paper

    def no_read(self):
        raise AssertionError("read before the size check")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(MentorPrepError, match="the limit is 5 MB"):
        h.read_upload(big)


@pytest.mark.slow
def test_a_full_queue_answers_busy_try_again(start_app):
    from gradio_client import Client
    from gradio_client.utils import QueueError, Status

    from tests.support.raw_gradio import call

    url, model = start_app(queue_size=1, concurrent_jobs=1)
    running = Client(url, verbose=False).submit("HOLD: first question", [], api_name="/ask")
    _wait(model.started.is_set, "the first answer starting")
    waiting = Client(url, verbose=False).submit("second question", [], api_name="/ask")
    _wait(lambda: waiting.status().code == Status.IN_QUEUE, "the second question queueing")
    with pytest.raises(QueueError, match="Queue is full! Please try again"):
        Client(url, verbose=False).predict("third question", [], api_name="/ask")
    config = httpx.get(url + "config").json()
    ask = next(d["id"] for d in config["dependencies"] if d["api_name"] == "ask")
    with httpx.Client() as raw:
        refused = call(raw, url, ask, ["fourth question", [], None])
    assert refused.status == 503 and "busy" in refused.text and "Try again" in refused.text
    model.release.set()
    assert running.result()[0][-1]["role"] == "assistant"
    assert waiting.result()[0][-1]["role"] == "assistant"


@pytest.mark.slow
def test_one_long_job_per_user(start_app):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    url, model = start_app(concurrent_jobs=2)
    ann, bob = Client(url, verbose=False), Client(url, verbose=False)
    first = ann.submit("HOLD: a long question", [], api_name="/ask")
    _wait(model.started.is_set, "the first answer starting")
    with pytest.raises(AppError, match="already have a request running"):
        ann.predict("a second question at the same time", [], api_name="/ask")
    chat, *_ = bob.predict("another user's question", [], api_name="/ask")  # the other slot
    assert chat[-1]["role"] == "assistant"
    model.release.set()
    first.result()
    chat, *_ = ann.predict("after the first one", [], api_name="/ask")
    assert chat[-1]["role"] == "assistant"


@pytest.mark.slow
def test_run_history_is_off(start_app):
    url, _ = start_app()
    config = httpx.get(url + "config").json()
    assert config.get("run_history") is False or "runs" not in str(config.get("footer_links"))
    assert httpx.get(url + "gradio_api/runs").status_code == 404


# exposure and the data home -------------------------------------------------------------------


def test_a_network_address_needs_a_login(monkeypatch, tmp_path):
    from assistant.ui.web import check_exposure

    settings = get_settings()
    for host in ["127.0.0.1", "localhost", "::1", "127.0.0.2"]:
        check_exposure(host, settings)
    for host in ["0.0.0.0", "192.168.1.20", "::", "mentorprep.example"]:
        with pytest.raises(MentorPrepError, match="MENTORPREP_INSECURE_SERVE_WITHOUT_LOGIN"):
            check_exposure(host, settings)
    set_password(tmp_path / "auth", "ann", "long enough")
    monkeypatch.setenv("MENTORPREP_AUTH_FILE", str(tmp_path / "auth"))
    get_settings.cache_clear()
    check_exposure("0.0.0.0", get_settings())  # with a login
    monkeypatch.delenv("MENTORPREP_AUTH_FILE")
    monkeypatch.setenv("MENTORPREP_INSECURE_SERVE_WITHOUT_LOGIN", "true")
    get_settings.cache_clear()
    check_exposure("0.0.0.0", get_settings())  # the operator took the risk, by its name


def test_serve_refuses_a_network_address_before_loading_anything():
    result = run_cli("serve", "--host", "0.0.0.0", "--port", "1", timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Refusing to serve on 0.0.0.0 without a login" in result.stderr
    assert "mentorprep passwd" in result.stderr and "Traceback" not in result.stderr


def test_the_data_home_is_private(tmp_path, monkeypatch):
    from assistant.ui.identity import Identities
    from assistant.ui.web import private_home

    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    monkeypatch.setenv("MENTORPREP_HOME", str(home))
    monkeypatch.setenv("GRADIO_TEMP_DIR", "restored after the test")  # private_home sets it
    get_settings.cache_clear()
    settings = get_settings()
    previous = os.umask(0o022)
    try:
        temp = private_home(settings)
        Identities.from_home(home)
        store = Store(settings.store_url)
        store.create_conversation("u1", "ask", "a question")
        (home / "uploads" / "c").mkdir(parents=True)
        (home / "uploads" / "c" / "bio.md").write_bytes(b"# Bio")
        set_password(settings.auth_path, "ann", "long enough")
    finally:
        os.umask(previous)
    assert os.environ["GRADIO_TEMP_DIR"] == str(temp) and temp.parent == home
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    modes = {p.relative_to(home): stat.S_IMODE(p.stat().st_mode) for p in home.rglob("*")}
    assert {"identity_key", "mentorprep.db", "auth", "uploads/c/bio.md"} <= {str(p) for p in modes}
    assert {p: oct(m) for p, m in modes.items() if m & 0o077} == {}
