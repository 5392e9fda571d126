"""Serving the web app: Gradio mounted on a FastAPI app that issues identities and holds the limits
(guard.py), the prep-pack download, and the checks made before anything is served."""

from __future__ import annotations

import ipaddress
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import MentorPrepError
from assistant.settings import Settings, get_settings
from assistant.ui import handlers as h
from assistant.ui.identity import COOKIE, Owners, identities_for
from assistant.ui.limits import LoginLimiter

log = logging.getLogger(__name__)
CSS = """
#sources {font-size: 0.9em}
.empty-state {opacity: 0.8}
"""
BUSY = "MentorPrep is busy: too many requests are waiting for the model. Try again in a minute."
PACK_ROUTE = "/prep-pack.md"


def too_large(limit: int) -> str:
    return (
        f"The file is larger than the {limit // 2**20} MB upload limit; nothing was kept. "
        "Split the document or upload only the relevant part."
    )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def check_exposure(host: str, settings: Settings) -> None:
    """Refuse to serve on a network address with no login, unless the operator took the risk
    by name (MENTORPREP_INSECURE_SERVE_WITHOUT_LOGIN)."""
    if is_loopback(host) or settings.credentials() or settings.insecure_serve_without_login:
        return
    raise MentorPrepError(
        f"Refusing to serve on {host} without a login: anyone who can reach that address could "
        "read and change what is stored in the app.",
        fix="set a login with `mentorprep passwd NAME` (then restart), or serve on 127.0.0.1 "
        "behind a proxy that logs users in; to take the risk anyway, set "
        "MENTORPREP_INSECURE_SERVE_WITHOUT_LOGIN=true",
    )


def private_home(settings: Settings) -> Path:
    """Make the data home private (0700; new files 0600 via the umask) and give Gradio a
    temporary folder inside it, emptied at start (uploads are deleted once read; see handlers).
    Call before Gradio is imported: it reads GRADIO_TEMP_DIR at import."""
    os.umask(0o077)
    settings.home.mkdir(parents=True, exist_ok=True)
    settings.home.chmod(0o700)
    temp = settings.home / "gradio-tmp"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(mode=0o700)
    os.environ["GRADIO_TEMP_DIR"] = str(temp)
    return temp


def auth_message(settings: Settings) -> str:
    return (
        f"After {settings.login_max_failures} failed logins from one address, that address "
        f"waits {settings.login_lockout_minutes:g} minutes."
    )


def create_web_app(blocks, deps: h.Deps, settings: Settings | None = None):
    """The FastAPI app that serves `blocks` (from `build_app`) behind the guard."""
    import gradio as gr
    from fastapi import FastAPI, Response
    from starlette.concurrency import run_in_threadpool
    from starlette.routing import Mount

    from assistant.services import runtime
    from assistant.services.coaching.prep_pack import build_prep_pack
    from assistant.services.documents import MAX_UPLOAD_BYTES
    from assistant.ui.guard import Guard

    settings = settings or get_settings()
    identities = identities_for(settings.home)
    logins = runtime.logins(settings)
    if logins and logins.plain_text_names:
        log.warning(
            "Plain-text passwords for %d login(s); store hashes with `mentorprep passwd NAME`.",
            len(logins.plain_text_names),
        )
    web = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    gradio_app = None

    def login_user(cookies: dict[str, str]) -> str | None:
        if gradio_app is None or logins is None:
            return None
        cookie_id = gradio_app.cookie_id
        token = cookies.get(f"access-token-{cookie_id}") or cookies.get(
            f"access-token-unsecure-{cookie_id}"
        )
        name = gradio_app.tokens.get(token) if token else None
        return f"user:{name}" if name else None

    async def prep_pack_file(request) -> Response:
        """The prep pack made on request and never written to disk (nothing to delete)."""
        cookies = dict(request.cookies)
        user = login_user(cookies) if logins else identities.user_id(cookies.get(COOKIE))
        if user is None:
            return Response("Log in first.", status_code=401, media_type="text/plain")
        text = await run_in_threadpool(build_prep_pack, deps.store(), user)
        return Response(
            text.encode("utf-8"),
            media_type="text/markdown; charset=utf-8",
            headers={
                "content-disposition": 'attachment; filename="mentorprep-prep-pack.md"',
                "cache-control": "no-store",
            },
        )

    web.add_route(PACK_ROUTE, prep_pack_file, methods=["GET"])
    gr.mount_gradio_app(
        web,
        blocks,
        path="/",
        auth=logins.login if logins else None,
        auth_message=auth_message(settings) if logins else None,
        max_file_size=MAX_UPLOAD_BYTES,
        run_history=False,
        footer_links=["api"],
        show_error=False,
        enable_monitoring=False,
        mcp_server=False,
        ssr_mode=False,
        css=CSS,
    )
    gradio_app = next(r.app for r in web.routes if isinstance(r, Mount))
    limiter = LoginLimiter(settings.login_max_failures, settings.login_lockout_minutes * 60)
    web.add_middleware(
        Guard,
        identities=identities,
        owners=Owners(),
        limiter=limiter,
        login_user=login_user,
        busy_message=BUSY,
        too_large_message=too_large(MAX_UPLOAD_BYTES),
    )
    return web


@dataclass
class Running:
    """A server started by `start` (tests, scripts): its URL, and how to stop it."""

    server: object
    thread: threading.Thread
    url: str

    def close(self) -> None:
        """Stop serving; a client's open connection (keep-alive, an event stream) is not waited
        for beyond a few seconds (uvicorn would wait for it to close)."""
        self.server.should_exit = True
        self.thread.join(timeout=1)
        if self.thread.is_alive():
            self.server.force_exit = True
            self.thread.join(timeout=30)


def start(web, host: str = "127.0.0.1", port: int = 0) -> Running:
    """Serve `web` from a background thread (port 0: any free port)."""
    import uvicorn

    config = uvicorn.Config(web, host=host, port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name="mentorprep-web")
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the web app did not start on {host}:{port}")
        time.sleep(0.05)
    bound = server.servers[0].sockets[0].getsockname()[1]
    return Running(server, thread, f"http://{host}:{bound}/")


def launch(host: str = "127.0.0.1", port: int = 7860) -> None:
    """Check the exposure, build the index if needed, load the model, and serve the app."""
    from assistant.logs import log_to_stderr

    settings = get_settings()
    check_exposure(host, settings)
    private_home(settings)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    log_to_stderr()
    import uvicorn

    from assistant.services import runtime
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.services.store import get_store
    from assistant.ui.app import build_app, default_deps

    get_store(settings)  # opens the store and upgrades its schema (one instance at a time)
    get_knowledge_base().ensure_index()
    runtime.model(settings)  # load once before the first visitor, so errors show at start-up
    deps = default_deps(settings)
    web = create_web_app(build_app(deps), deps, settings)
    print(f"MentorPrep is running on http://{host}:{port}/", flush=True)
    uvicorn.run(web, host=host, port=port, log_level="warning", access_log=False)
