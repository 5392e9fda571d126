"""A real OpenAI-compatible HTTP server on 127.0.0.1 whose behaviour each test scripts.

It serves `GET /v1/models` and `POST /v1/chat/completions` (streamed as server-sent events in the
chat.completion.chunk format, or as one chat.completion JSON), like llama.cpp's server, vLLM or
Ollama, and records every request it receives. No model: each reply is the scripted text.

    with ScriptedOpenAIServer(Script(reply="Hello", fail_first=2)) as server:
        ...  # point OPENAI_BASE_URL at server.url
        assert len(server.completion_requests) == 3

Failure modes, for the completion requests counted since the script was last set:
`fail_first=N` answers the first N with `fail_status` (503); `delay_first_byte=s` waits s seconds
before the status line; `cut_after=N` streams N content chunks, then closes the connection without
finishing the chunked body or sending `[DONE]` (a backend dying mid-answer); `chunk_delay=s`
streams one chunk every s seconds (a slow model).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Script:
    """What the server does with the next completion requests."""

    reply: str | list[str] = "Send one short, friendly follow-up after a week [1]."
    model: str = "scripted-model"
    fail_first: int = 0
    fail_status: int = 503
    delay_first_byte: float = 0.0
    cut_after: int | None = None
    clean_end: bool = False  # with cut_after: end the body properly, but with no finish_reason
    chunk_delay: float = 0.0  # seconds between streamed chunks (a slow model)

    def chunks(self) -> list[str]:
        """The reply as streamed: the given pieces, or word by word (spaces kept)."""
        if isinstance(self.reply, list):
            return list(self.reply)
        return re.findall(r"\s*\S+\s*", self.reply) or [self.reply]


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any = None  # parsed JSON, or None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return (self.body or {}).get("messages", [])


@dataclass
class _State:
    script: Script
    requests: list[RecordedRequest] = field(default_factory=list)
    completions: int = 0  # completion requests since the script was set
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)


class ScriptedOpenAIServer:
    """Starts on a free port (or `port`) in a background thread; `stop()` or use it as a context."""

    def __init__(self, script: Script | None = None, port: int = 0) -> None:
        self._state = _State(script or Script())
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.state = self._state
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """The base URL clients use (OPENAI_BASE_URL)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def script(self) -> Script:
        return self._state.script

    def set_script(self, script: Script | None = None, **changes: Any) -> None:
        """Replace the script (or change some of its fields). `fail_first` counts again from
        here; the recorded requests are kept."""
        with self._state.lock:
            self._state.script = replace(script or self._state.script, **changes)
            self._state.completions = 0

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def completion_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def start(self) -> ScriptedOpenAIServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._state.stopping.set()  # wakes handlers that are sleeping in a delay
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> ScriptedOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    state: _State


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies, like real servers
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read `requests`
        pass

    # routing -----------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._record(None)
        if self.path.rstrip("/") == "/v1/models":
            model = self.server.state.script.model
            data = [{"id": model, "object": "model", "created": 0, "owned_by": "scripted"}]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, _error(f"no route GET {self.path}", "not_found"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = None
        self._record(body)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_json(404, _error(f"no route POST {self.path}", "not_found"))
            return
        state = self.server.state
        with state.lock:
            state.completions += 1
            number, script = state.completions, state.script
        if script.delay_first_byte and state.stopping.wait(script.delay_first_byte):
            return  # the server is stopping
        if number <= script.fail_first:
            self._send_json(
                script.fail_status, _error(f"scripted failure {number}", "server_error")
            )
        elif body and body.get("stream"):
            self._stream(script, body)
        else:
            self._send_json(200, _completion(script, number))

    def _record(self, body: Any) -> None:
        request = RecordedRequest(self.command, self.path, dict(self.headers.items()), body)
        with self.server.state.lock:
            self.server.state.requests.append(request)

    # responses ---------------------------------------------------------------------------
    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, script: Script, body: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk_id = f"chatcmpl-scripted-{time.monotonic_ns()}"
        self._event(_chunk(chunk_id, script.model, {"role": "assistant", "content": ""}))
        pieces = script.chunks()
        for piece in pieces[: script.cut_after]:
            if script.chunk_delay and self.server.state.stopping.wait(script.chunk_delay):
                return  # the server is stopping
            self._event(_chunk(chunk_id, script.model, {"content": piece}))
        if script.cut_after is not None:
            if script.clean_end:
                self._write_chunk(b"")  # a well-formed end of body: no finish_reason, no [DONE]
            else:
                self._cut()
            return
        self._event(_chunk(chunk_id, script.model, {}, finish_reason="stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = _usage(body, "".join(pieces))
            self._event({**_chunk(chunk_id, script.model, {}), "choices": [], "usage": usage})
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")  # the chunked body's terminator

    def _event(self, payload: dict[str, Any]) -> None:
        self._write_chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _cut(self) -> None:
        """Close the connection mid-body: no terminating chunk, no [DONE]."""
        self.close_connection = True
        self.wfile.flush()
        with contextlib.suppress(OSError):  # the client may have gone already
            self.connection.shutdown(socket.SHUT_RDWR)


def _error(message: str, kind: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": None}}


def _chunk(
    chunk_id: str, model: str, delta: dict[str, Any], finish_reason: str | None = None
) -> dict[str, Any]:
    return {
        "id": chunk_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
    completion = len(text.split())
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _completion(script: Script, number: int) -> dict[str, Any]:
    text = "".join(script.chunks())
    return {
        "id": f"chatcmpl-scripted-{number}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": script.model,
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": _usage({}, text),
    }
