"""The bad-input table: every row through the command line and through the Gradio API.

Each bad input gets a clear message (no traceback, no crash) and the session stays usable: the
next good request works. The model is a real HTTP server on 127.0.0.1 (the scripted
OpenAI-compatible one: cheap, no weights), so the CLI and the app run their real backend path.
"""

import io

import pytest

from assistant.cli import main
from assistant.services import knowledge_base as kb_module
from assistant.services.store import Store
from assistant.settings import get_settings
from assistant.ui import handlers as h
from tests.conftest import run_cli, served

pytestmark = pytest.mark.real_model  # real HTTP calls to the scripted server; no model weights

ANSWER = "Send one short, friendly nudge after a week [1]."
GOOD = "How do I follow up when a mentor does not reply?"
MIXED = "Héllo\x07\x1b[31m wörld — 你好, مرحبا, Привет: how do I ask for mentoring?\x00"
HUGE = "How do I follow up with a mentor who has not replied? " * 19_000  # ~1 MB


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=612, height=792)
    writer.write(buffer)
    return buffer.getvalue()


FILES = [  # (name, content, what the message says)
    ("bio.txt", b"Priya leads \xff\xfe platform teams", "is not UTF-8 text"),
    ("bio.txt", b"PK\x03\x04\x00\x00\x08\x00binary", "looks like a binary file"),
    ("scan.pdf", _blank_pdf(), "has no extractable text"),
    ("broken.pdf", b"%PDF-1.4 cut off", "is not a readable PDF"),
    ("huge.txt", b"mentor " * 1_000_000, "the limit is 5 MB"),
    ("empty.txt", b"", "has no text in it"),
]
FILE_IDS = ["invalid-utf8", "binary-as-txt", "pdf-without-text", "broken-pdf", "oversized", "empty"]


@pytest.fixture
def backend(scripted_openai, local_kb, monkeypatch):
    """MENTORPREP_BACKEND=openai at the scripted server, the session's knowledge index."""
    monkeypatch.setattr(kb_module, "_instance", None)
    monkeypatch.setenv("MENTORPREP_BACKEND", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", scripted_openai.url)
    monkeypatch.setenv("MENTORPREP_MAX_RETRIES", "0")
    get_settings.cache_clear()
    scripted_openai.set_script(reply=ANSWER)
    return scripted_openai


def _sent_question(server) -> str:
    """The last user message the model server received."""
    return server.completion_requests[-1].messages[-1]["content"]


# The command line ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t  "], ids=["empty", "whitespace"])
def test_cli_empty_message(text, backend, capsys):
    assert main(["ask", text]) == 2
    err = capsys.readouterr().err
    assert "The message is empty" in err and "To fix" in err
    assert backend.completion_requests == []  # refused before anything was sent
    assert main(["ask", GOOD]) == 0  # and the next question works


def test_cli_a_1_mb_message_is_trimmed_with_a_notice(backend, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(HUGE))  # `mentorprep ask -`: any length
    assert main(["ask", "-"]) == 0
    out, err = capsys.readouterr()
    assert "only its beginning was used" in err
    assert ANSWER in out
    assert len(_sent_question(backend)) < 20_000


def test_cli_control_characters_and_mixed_scripts(backend, capsys):
    assert main(["ask", MIXED]) == 0
    assert ANSWER in capsys.readouterr().out
    sent = _sent_question(backend)
    assert "你好, مرحبا, Привет" in sent and "Héllo" in sent
    assert not any(ch in sent for ch in "\x07\x1b\x00")


@pytest.mark.parametrize(("name", "data", "message"), FILES, ids=FILE_IDS)
def test_cli_bad_context_file(name, data, message, backend, tmp_path, capsys):
    path = tmp_path / name
    path.write_bytes(data)
    args = ["draft", "--mentor", "Priya Raman", "--goal", "Run useful 1:1s by June"]
    assert main([*args, "--context-file", str(path), "--json"]) == 2
    err = capsys.readouterr().err
    assert message in err and "To fix" in err and "Traceback" not in err
    assert backend.completion_requests == []


def test_cli_a_gguf_path_that_is_not_a_model(tmp_path):
    bogus = tmp_path / "model.gguf"
    bogus.write_text("not a model")
    result = run_cli("ask", GOOD, env={"MENTORPREP_MODEL": str(bogus)}, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "not a GGUF" in result.stderr and "To fix" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_a_malformed_env_file(tmp_path):
    (tmp_path / ".env").write_text("MENTORPREP_MAX_TOKENS=lots\n")
    result = run_cli("ask", GOOD, prefix=["env", "-C", str(tmp_path)], timeout=120)
    assert result.returncode == 2, result.stderr
    assert "MENTORPREP_MAX_TOKENS" in result.stderr and "To fix" in result.stderr
    assert "Traceback" not in result.stderr


# The Gradio API ---------------------------------------------------------------------------------


@pytest.fixture
def api(backend, local_kb, tmp_path):
    """The app on 127.0.0.1, its model the scripted server; a gradio_client Client for it."""
    from gradio_client import Client

    from assistant.components.llm import get_model

    settings = get_settings()
    store = Store(f"sqlite:///{tmp_path / 'ui.db'}")
    deps = h.Deps(lambda: get_model(settings), lambda: local_kb, lambda: store, settings)
    with served(deps) as url:
        yield Client(url, verbose=False)


def _ask(client, text: str) -> str:
    chat, *_ = client.predict(text, [], api_name="/ask")
    return str(chat[-1]["content"])


@pytest.mark.slow
@pytest.mark.parametrize("text", ["", "   \n\t  "], ids=["empty", "whitespace"])
def test_api_empty_message(text, api, backend):
    assert "Type a question first" in _ask(api, text)
    assert backend.completion_requests == []
    assert ANSWER in _ask(api, GOOD)


@pytest.mark.slow
def test_api_a_1_mb_message_is_trimmed_with_a_notice(api, backend):
    answer = _ask(api, HUGE)
    assert "only its beginning was used" in answer and ANSWER in answer
    assert len(_sent_question(backend)) < 20_000
    assert ANSWER in _ask(api, GOOD)


@pytest.mark.slow
def test_api_control_characters_and_mixed_scripts(api, backend):
    assert ANSWER in _ask(api, MIXED)
    sent = _sent_question(backend)
    assert "你好, مرحبا, Привет" in sent
    assert not any(ch in sent for ch in "\x07\x1b\x00")


@pytest.mark.slow
def test_api_bad_uploads_then_a_good_one(api, tmp_path):
    from gradio_client import handle_file

    for (name, data, message), folder in zip(FILES, FILE_IDS, strict=True):
        path = tmp_path / folder / name
        path.parent.mkdir()
        path.write_bytes(data)
        if folder == "oversized":  # refused before it is sent (the server's limit, in its config)
            with pytest.raises(ValueError, match="exceeds the maximum file size of 5242880"):
                api.predict([handle_file(str(path))], api_name="/upload_documents")
            continue
        status, _ = api.predict([handle_file(str(path))], api_name="/upload_documents")
        assert message in status and "❌" in status, status
    good = tmp_path / "notes.md"
    good.write_text("# My notes\n\nPriya writes a newsletter about first-time managers.\n")
    status, _ = api.predict([handle_file(str(good))], api_name="/upload_documents")
    assert "✅ notes.md" in status and "Your documents: notes.md" in status
