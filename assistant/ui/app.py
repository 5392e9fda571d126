"""The Gradio Blocks app: layout and wiring only; behaviour lives in handlers and services."""

from __future__ import annotations

import os

from assistant.settings import get_settings

EXAMPLES = [
    "How do I turn 'be a better manager' into a goal a mentor can help with?",
    "What should I put in a first message to a possible mentor?",
    "How do I react when my mentor gives me critical feedback?",
]


def build_app():
    import gradio as gr

    from assistant.components.llm import get_model
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.ui.handlers import chat_turn

    settings = get_settings()

    def respond(message, history):
        yield from chat_turn(
            message,
            history,
            model_factory=lambda: get_model(settings),
            knowledge_base_factory=get_knowledge_base,
            settings=settings,
        )

    with gr.Blocks(title="MentorPrep") as app:
        gr.Markdown(
            "# MentorPrep\nPrepare to work with a mentor: ask about goals, outreach, difficult "
            "conversations or your next meeting. Answers cite the guidance they draw on."
        )
        chatbot = gr.Chatbot(label="Conversation", height=460, buttons=["copy"])
        with gr.Row():
            box = gr.Textbox(
                placeholder="Ask a question, e.g. How do I ask someone to mentor me?",
                show_label=False,
                scale=8,
                autofocus=True,
            )
            send = gr.Button("Send", variant="primary", scale=1)
            stop = gr.Button("Stop", scale=1)
        sources = gr.Markdown(elem_id="sources")
        gr.Examples(EXAMPLES, inputs=box)

        event = gr.on(
            [box.submit, send.click],
            respond,
            inputs=[box, chatbot],
            outputs=[chatbot, sources],
            api_name="ask",
        )
        event.then(lambda: "", outputs=box, api_visibility="private")
        stop.click(None, cancels=[event])
    return app


def launch(host: str = "127.0.0.1", port: int = 7860) -> None:
    """Build the index if needed, load the model, and serve the app."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from assistant.components.llm import get_model
    from assistant.services.knowledge_base import get_knowledge_base

    get_knowledge_base().ensure_index()
    get_model()  # load once before the first visitor, so errors show at start-up
    app = build_app()
    app.queue(default_concurrency_limit=1).launch(server_name=host, server_port=port)
