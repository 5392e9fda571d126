"""Shared fixtures: an isolated data home, a queue-based fake model, and a guard that blocks real
model calls unless a test opts in with @pytest.mark.real_model."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"

from assistant.components.llm import Model, Prompt  # noqa: E402
from assistant.settings import REPO_ROOT, Settings, get_settings  # noqa: E402

# Models are assembled once in the real data home (by `make setup-test`); tests only read them.
REAL_MODELS_DIR = Settings().models_dir
BIN = Path(sys.executable).parent


class FakeModel(Model):
    """Answers from a queue of canned replies and records every prompt it receives."""

    name = "fake"

    def __init__(self, replies: list[str] | None = None) -> None:
        super().__init__()
        self.replies = list(replies or [])
        self.prompts: list[Prompt] = []

    def queue(self, *replies: str) -> None:
        self.replies.extend(replies)

    def execute(self, prompt: Prompt) -> Iterator[str]:
        self.prompts.append(prompt)
        reply = self.replies.pop(0) if self.replies else "OK"
        for word in reply.split(" "):
            yield word + " "


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory, monkeypatch, request):
    """Every test gets its own data home and no stray MENTORPREP_/OPENAI_ settings."""
    for key in list(os.environ):
        if key.startswith(("MENTORPREP_", "OPENAI_")):
            monkeypatch.delenv(key)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("MENTORPREP_HOME", str(home))
    monkeypatch.setenv("MENTORPREP_MODELS_DIR", str(REAL_MODELS_DIR))
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(REAL_MODELS_DIR.parent / "tiktoken"))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))  # no stray .env
    if not request.node.get_closest_marker("real_model"):
        # screening a pasted bio is one more model call before the draft: tests that queue a
        # fake model's replies would have to queue for it too; test_screen.py turns it on
        monkeypatch.setenv("MENTORPREP_SCREEN_PASTED_TEXT", "false")
    get_settings.cache_clear()
    from assistant.components.llm import factory

    factory.clear_cache()
    yield
    get_settings.cache_clear()
    factory.clear_cache()


@pytest.fixture(autouse=True)
def _block_real_models(request, monkeypatch):
    """Unit tests must not run a real model by accident: opt in with @pytest.mark.real_model."""
    if request.node.get_closest_marker("real_model"):
        return
    from assistant.components.llm.local import LocalModel
    from assistant.components.llm.openai_compat import OpenAICompatModel

    def blocked(self, prompt):
        raise RuntimeError("real model call in a unit test: mark it @pytest.mark.real_model")

    monkeypatch.setattr(LocalModel, "execute", blocked)
    monkeypatch.setattr(OpenAICompatModel, "execute", blocked)


@pytest.fixture
def fake_model() -> FakeModel:
    return FakeModel()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on 127.0.0.1, stopped after the session."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("w")
    process = subprocess.Popen(
        [
            str(BIN / "chroma"),
            "run",
            "--path",
            str(path / "data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


@pytest.fixture(params=["embedded", "server"])
def store(request, monkeypatch) -> str:
    """Run a test against embedded Chroma and against a real Chroma server."""
    if request.param == "server":
        monkeypatch.setenv("MENTORPREP_CHROMA_URL", request.getfixturevalue("chroma_server"))
        # each test gets its own collections on the shared server
        monkeypatch.setenv("MENTORPREP_COLLECTION_PREFIX", f"t{os.getpid()}_{free_port()}")
    get_settings.cache_clear()
    return request.param


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster for the whole session (see tests/support/postgres.py)."""
    from tests.support.postgres import INSTALL_HINT, PostgresCluster, pg_bin

    if pg_bin() is None:
        pytest.fail(INSTALL_HINT)
    cluster = PostgresCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def database_url(request, tmp_path) -> str:
    """Run a test against the store on SQLite and on a real PostgreSQL (a new database each)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres").new_database()


_KB_CACHE: dict = {}


@pytest.fixture(scope="session")
def kb_home(tmp_path_factory) -> Path:
    """A data home whose knowledge index is built once per test session."""
    return tmp_path_factory.mktemp("kb-home")


def _knowledge_base(request, kb_home, monkeypatch, kind: str):
    monkeypatch.setenv("MENTORPREP_HOME", str(kb_home))
    if kind == "server":
        monkeypatch.setenv("MENTORPREP_CHROMA_URL", request.getfixturevalue("chroma_server"))
    get_settings.cache_clear()
    if kind not in _KB_CACHE:
        from assistant.services.knowledge_base import KnowledgeBase

        kb = KnowledgeBase(get_settings())
        kb.ensure_index()
        _KB_CACHE[kind] = kb
    return _KB_CACHE[kind]


@pytest.fixture(params=["embedded", "server"])
def knowledge_base(request, kb_home, monkeypatch):
    """The knowledge base over the real knowledge/ notes, indexed once per session, on embedded
    Chroma and on a real Chroma server (retrieval tests run against both)."""
    return _knowledge_base(request, kb_home, monkeypatch, request.param)


@pytest.fixture
def local_kb(request, kb_home, monkeypatch):
    """The knowledge base on embedded Chroma only (for tests about what is built on top)."""
    return _knowledge_base(request, kb_home, monkeypatch, "embedded")


@pytest.fixture(scope="session")
def indexed_template(tmp_path_factory) -> Path:
    """A data home whose knowledge index `mentorprep ingest` built once for the session: tests
    that start the app or the CLI on the index, and do not test building it, start from a copy
    (`indexed_home`) instead of embedding every note again (~9 s each on two cores)."""
    home = tmp_path_factory.mktemp("indexed-template")
    result = run_cli("ingest", env={"MENTORPREP_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    return home


def indexed_home(template: Path, target: Path) -> Path:
    """A fresh data home at `target` (which must not exist yet, or be empty) with a copy of the
    template's knowledge index."""
    shutil.copytree(template, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def indexed(indexed_template) -> Path:
    """This test's own data home (MENTORPREP_HOME), with a copy of the session's index."""
    return indexed_home(indexed_template, Path(os.environ["MENTORPREP_HOME"]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def small_model_path() -> Path:
    path = REAL_MODELS_DIR / "smollm2-135m-instruct-q4_1.gguf"
    if not path.is_file():
        pytest.fail("the small model is missing: run `make setup-test`")
    return path


@pytest.fixture(scope="session")
def llama_server(small_model_path, tmp_path_factory) -> Iterator[str]:
    """A real OpenAI-compatible llama.cpp server on 127.0.0.1 serving the small model."""
    port = free_port()
    log = (tmp_path_factory.mktemp("llama-server") / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(small_model_path),
            "--model_alias",
            "small",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_threads",
            "2",
            "--n_ctx",
            "4096",
            "--verbose",
            "False",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/v1/models", process)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop_process(process)


@pytest.fixture
def scripted_openai():
    """A scripted OpenAI-compatible server on 127.0.0.1 (no model; cheap): set its behaviour with
    `scripted_openai.set_script(...)`, read what it received in `.requests`."""
    from tests.support.scripted_openai_server import ScriptedOpenAIServer

    with ScriptedOpenAIServer() as server:
        yield server


def run_cli(*args: str, env: dict | None = None, timeout: float = 300, prefix: list[str] = ()):
    """Run the `mentorprep` console script in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [*prefix, str(BIN / "mentorprep"), *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


@contextmanager
def served(deps) -> Iterator[str]:
    """The web app (guard, identities and limits included) on 127.0.0.1 in this process, with
    `deps` (fake or scripted model): yields its URL."""
    from assistant.ui.app import build_app
    from assistant.ui.web import create_web_app, start

    running = start(create_web_app(build_app(deps), deps, deps.settings))
    try:
        yield running.url
    finally:
        running.close()


def copy_knowledge(target: Path) -> Path:
    """A private copy of knowledge/ (for tests that edit or delete notes)."""
    shutil.copytree(REPO_ROOT / "knowledge", target / "knowledge")
    return target / "knowledge"


# Debian's Chromium, driven by Playwright (no browser download): the browser tests share it
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for one test module."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
