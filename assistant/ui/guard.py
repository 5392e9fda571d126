"""The ASGI layer in front of Gradio: identity cookies, who owns which session and job, the
login attempt limit, and the security headers (a real Content-Security-Policy).

Every request gets a server-issued identity (see identity.py). A session hash or event id used by
another identity than the one that first used it is refused, so the ids Gradio puts in URLs (and
so in proxy logs) give no one else's session. Responses carry a CSP that allows scripts from this
server only, plus the page's own inline scripts by their SHA-256 (computed per page, since
Gradio's page embeds its config), and forbids framing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable

from assistant.ui.identity import COOKIE, Identities, Owners
from assistant.ui.limits import LoginLimiter

MAX_JSON_BODY = 8 * 1024 * 1024  # a question, a bio or a draft: far below; refuse anything larger
COOKIE_MAX_AGE = 365 * 24 * 3600
CSP = (
    "default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; "
    "connect-src 'self'; worker-src 'self' blob:; frame-src 'none'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_API = r"(?:^|/)gradio_api/"
LOGIN = re.compile(r"(?:^|/)login/?$")
HEARTBEAT = re.compile(_API + r"heartbeat/([^/]+)/?$")
STREAM_SESSION = re.compile(_API + r"stream/([^/]+)/[^/]+/[^/]+/")
EVENT_IN_PATH = re.compile(_API + r"(?:call/(?:v2/)?[^/]+|stream)/([0-9a-f]{8,})(?:/close)?/?$")
JOINS = re.compile(_API + r"(?:queue/join|call/|upload/?$)")
SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)

Send = Callable
Receive = Callable


def script_hashes(html: bytes) -> list[str]:
    """CSP sources for the page's inline scripts."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for attrs, body in SCRIPT.findall(html)
        if b"src=" not in attrs.lower() and body.strip()
    ]


def _json_response(status: int, detail: str, extra: list | None = None) -> tuple[dict, dict]:
    body = json.dumps({"detail": detail, "error": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", CSP.format(hashes="").encode()),
    ]
    start = {"type": "http.response.start", "status": status, "headers": headers + (extra or [])}
    return start, {"type": "http.response.body", "body": body, "more_body": False}


def _cookies(header: str) -> dict[str, str]:
    pairs = (part.strip().partition("=") for part in header.split(";"))
    return {name: value for name, _, value in pairs if name}


class Guard:
    """Pure ASGI middleware: see the module docstring."""

    def __init__(
        self,
        app,
        *,
        identities: Identities,
        owners: Owners,
        limiter: LoginLimiter,
        login_user: Callable[[dict[str, str]], str | None],
        busy_message: str,
        too_large_message: str,
    ) -> None:
        self.app, self.identities, self.owners = app, identities, owners
        self.limiter, self.login_user = limiter, login_user
        self.busy_message, self.too_large_message = busy_message, too_large_message

    async def __call__(self, scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k != b"cookie"]
        cookie_header = "; ".join(
            v.decode("latin-1") for k, v in scope["headers"] if k == b"cookie"
        )
        cookies = _cookies(cookie_header)
        new_cookie = None
        if self.identities.user_id(cookies.get(COOKIE)) is None:
            new_cookie = cookies[COOKIE] = self.identities.issue()
        cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        headers.append((b"cookie", cookie_header.encode("latin-1")))
        accept = dict(scope["headers"]).get(b"accept", b"")
        if b"text/html" in accept:  # the page must come uncompressed, to hash its scripts
            headers = [(k, v) for k, v in headers if k != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        owner = self.login_user(cookies) or self.identities.user_id(cookies[COOKIE]) or ""
        secure = scope.get("scheme") == "https"
        extra = self._headers(new_cookie, secure)
        path, method = scope["path"], scope["method"]

        if method == "POST" and LOGIN.search(path):
            await self._login(scope, receive, send, extra)
            return
        body = None
        if method == "POST" and re.search(_API, path) and self._is_json(scope):
            body = await self._read(receive)
            if body is None:
                start, end = _json_response(413, "The request is too large.", extra)
                await send(start)
                await send(end)
                return
            receive = self._replay(body, receive)
        if not self._owns(scope, path, method, body, owner):
            start, end = _json_response(
                403,
                "This session belongs to another visitor. Reload the page to start your own.",
                extra,
            )
            await send(start)
            await send(end)
            return
        joining = method == "POST" and bool(JOINS.search(path))
        await self.app(scope, receive, self._sender(send, extra, owner, joining))

    # requests --------------------------------------------------------------------------
    @staticmethod
    def _is_json(scope) -> bool:
        return b"json" in dict(scope["headers"]).get(b"content-type", b"")

    @staticmethod
    async def _read(receive) -> bytes | None:
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_JSON_BODY:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    @staticmethod
    def _replay(body: bytes, receive) -> Receive:
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    def _owns(self, scope, path: str, method: str, body: bytes | None, owner: str) -> bool:
        """False when the request names another user's session or job."""
        sessions, events = [], []
        query = scope.get("query_string", b"").decode("latin-1")
        sessions += re.findall(r"(?:^|&)session_hash=([^&]+)", query)
        for pattern in (HEARTBEAT, STREAM_SESSION):
            if match := pattern.search(path):
                sessions.append(match.group(1))
        if match := EVENT_IN_PATH.search(path):
            events.append(match.group(1))
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                data = None
            if isinstance(data, dict):
                sessions += (
                    [data["session_hash"]] if isinstance(data.get("session_hash"), str) else []
                )
                events += [data["event_id"]] if isinstance(data.get("event_id"), str) else []
        return all(self.owners.claim("s:" + s, owner) for s in sessions) and all(
            self.owners.allowed("e:" + e, owner) for e in events
        )

    async def _login(self, scope, receive, send, extra: list) -> None:
        client = scope.get("client")
        address = client[0] if client else "unknown"
        wait = self.limiter.wait_seconds(address)
        if wait:
            retry = [(b"retry-after", str(int(wait) + 1).encode())]
            start, end = _json_response(429, self.limiter.message(wait), extra + retry)
            await send(start)
            await send(end)
            return

        async def watch(message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] in (400, 401):
                    self.limiter.failed(address)
                elif message["status"] == 200:
                    self.limiter.succeeded(address)
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, watch)

    # responses -------------------------------------------------------------------------
    def _headers(self, new_cookie: str | None, secure: bool) -> list[tuple[bytes, bytes]]:
        extra = list(HEADERS)
        if new_cookie:
            cookie = (
                f"{COOKIE}={new_cookie}; Path=/; Max-Age={COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax"
                + ("; Secure" if secure else "")
            )
            extra.append((b"set-cookie", cookie.encode()))
        return extra

    def _sender(self, send: Send, extra: list, owner: str, joining: bool) -> Send:
        """Adds the headers; holds back a page (to hash its scripts), a queue join's answer (to
        record who owns the job, or to say plainly that the server is busy) and an upload's (to
        say plainly that a file is too large)."""
        held: dict = {}

        async def sender(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-frame-options"]
                content_type = dict(headers).get(b"content-type", b"")
                if b"text/html" in content_type or joining:
                    held.update(start={**message, "headers": headers}, chunks=[])
                    return
                headers += [*extra, (b"content-security-policy", CSP.format(hashes="").encode())]
                await send({**message, "headers": headers})
                return
            if message["type"] != "http.response.body" or not held:
                await send(message)
                return
            held["chunks"].append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._release(send, held["start"], b"".join(held["chunks"]), extra, owner)

        return sender

    async def _release(self, send: Send, start: dict, body: bytes, extra: list, owner: str) -> None:
        headers = start["headers"]
        hashes = ""
        if b"text/html" in dict(headers).get(b"content-type", b""):
            hashes = "".join(" " + h for h in script_hashes(body))
        elif start["status"] in (503, 413):
            detail = self.busy_message if start["status"] == 503 else self.too_large_message
            body = json.dumps({"detail": detail, "error": detail}).encode()
            headers = [(k, v) for k, v in headers if k != b"content-type"]
            headers.append((b"content-type", b"application/json"))
        elif start["status"] == 200:
            try:
                event_id = json.loads(body).get("event_id")
            except (ValueError, AttributeError):
                event_id = None
            if isinstance(event_id, str):
                self.owners.claim("e:" + event_id, owner)
        headers = [(k, v) for k, v in headers if k != b"content-length"]
        headers += [(b"content-length", str(len(body)).encode()), *extra]
        headers.append((b"content-security-policy", CSP.format(hashes=hashes).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
