"""The Gradio Blocks app: layout and wiring only; behaviour lives in handlers and services."""

# no `from __future__ import annotations`: Gradio inspects `request: gr.Request` at run time

from assistant.settings import Settings, get_settings
from assistant.ui import handlers as h
from assistant.ui.events import wire
from assistant.ui.layout import build_layout


def default_deps(settings: Settings) -> h.Deps:
    from assistant.services import runtime
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.services.store import get_store

    return h.Deps(
        model=lambda: runtime.model(settings),
        knowledge_base=get_knowledge_base,
        store=lambda: get_store(settings),
        settings=settings,
    )


def build_app(deps: h.Deps | None = None):
    """The Blocks (queue set up), to be served by `web.create_web_app`: every handler takes the
    user from the request (the login, or the identity cookie the server issued), never from an
    input value."""
    import gradio as gr

    settings = get_settings()
    deps = deps or default_deps(settings)

    with gr.Blocks(title="MentorPrep", delete_cache=(3600, 3600)) as app:
        wire(app, build_layout(settings), deps, settings)
    app.queue(max_size=settings.queue_size, default_concurrency_limit=1)
    return app


def launch(host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the app (see `assistant.ui.web.launch`)."""
    from assistant.ui.web import launch as serve

    serve(host, port)
