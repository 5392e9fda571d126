"""The Gradio Blocks app: layout and wiring only; behaviour lives in handlers and services."""

# no `from __future__ import annotations`: Gradio inspects `request: gr.Request` at run time
from pathlib import Path

from assistant.errors import MentorPrepError
from assistant.settings import Settings, get_settings
from assistant.ui import handlers as h
from assistant.ui import workflow_handlers as wf
from assistant.ui.identity import COOKIE, identities_for
from assistant.ui.limits import UserJobs
from assistant.ui.web import PACK_ROUTE

ASK_EXAMPLES = [
    "How do I turn 'be a better manager' into a goal a mentor can help with?",
    "What should I put in a first message to a possible mentor?",
    "My mentor hasn't replied in two weeks. What now?",
]
GOAL_EXAMPLES = [
    "I want to be a better manager",
    "get into product management",
    "be more confident in meetings",
]
UPLOAD_WAIT = 120.0  # seconds an upload waits for the same user's running answer to end
MODEL = "model"  # the concurrency group of every event that runs the model or embeds documents


def default_deps(settings: Settings) -> h.Deps:
    from assistant.components.llm import get_model
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.services.store import get_store

    return h.Deps(
        model=lambda: get_model(settings),
        knowledge_base=get_knowledge_base,
        store=lambda: get_store(settings),
        settings=settings,
    )


def build_app(deps: h.Deps | None = None):
    """The Blocks (queue set up), to be served by `web.create_web_app`: every handler takes the
    user from the request (the login, or the identity cookie the server issued), never from an
    input value."""
    import gradio as gr
    from gradio.utils import get_upload_folder

    settings = get_settings()
    deps = deps or default_deps(settings)
    identities = identities_for(settings.home)
    login_required = bool(settings.credentials())
    jobs = UserJobs()

    def user(request: gr.Request | None) -> str:
        cookies = getattr(request, "cookies", None) or {}
        try:
            return h.request_user(
                getattr(request, "username", None), cookies.get(COOKIE), identities, login_required
            )
        except MentorPrepError as exc:
            raise gr.Error(h.plain_error(exc)) from None

    def one_job(user_id: str, steps, wait: float = 0.0):
        """The user's one long job at a time (a second is refused with a message, or waits up
        to `wait` seconds for the first to end)."""
        try:
            yield from jobs.run(user_id, steps, wait)
        except MentorPrepError as exc:  # Busy: raised before anything ran
            raise gr.Error(h.plain_error(exc)) from None

    def clearing(steps):
        """Add the input box to each update: emptied with the first (the message is in the chat
        by then), untouched after, so whatever the user types meanwhile is kept."""
        first = True
        for out in steps:
            yield (*out, "" if first else gr.skip())
            first = False

    long = {"concurrency_id": MODEL, "concurrency_limit": settings.app_concurrency}

    with gr.Blocks(title="MentorPrep", delete_cache=(3600, 3600)) as app:
        ask_conversation = gr.State(None)

        with gr.Sidebar(open=True):
            gr.Markdown("### Your history")
            history_list = gr.Dropdown(
                elem_id="history", label="Saved conversations", choices=[], interactive=True
            )
            with gr.Row():
                open_btn = gr.Button("Open", elem_id="history-open", size="sm")
                delete_btn = gr.Button("Delete", size="sm", variant="stop")
            new_btn = gr.Button("New chat", size="sm")
            history_status = gr.Markdown()
            with gr.Accordion("Settings", open=False):
                gr.Markdown(
                    f"Backend: **{settings.backend}**  \nModel: **{Path(settings.model).name if settings.backend == 'local' else settings.openai_model or 'server default'}**  \n"
                    "Change with `MENTORPREP_BACKEND` / `MENTORPREP_MODEL` and restart."
                )
                gr.Slider(
                    0,
                    1.5,
                    value=settings.temperature,
                    step=0.1,
                    label="Temperature (set MENTORPREP_TEMPERATURE)",
                    interactive=False,
                )
            with gr.Accordion("Privacy", open=False):
                gr.Markdown("Everything stays on this machine, in your data home.")
                delete_all_btn = gr.Button("Delete all my data", variant="stop", size="sm")

        gr.Markdown(
            "# MentorPrep\nPrepare to work with a mentor in four steps: **clarify your goal → "
            "draft your request → rehearse the conversation → prepare the meeting**. Every "
            "answer is grounded in a curated guide and cites it."
        )
        with gr.Tabs():
            with gr.Tab("1 · Clarify goal", id="clarify"):
                gr.Markdown(
                    "Type what you want from mentoring, even if it's vague. I'll name the loaded words, ask up to three questions, then write a goal card.",
                    elem_classes="empty-state",
                )
                clarify_state = gr.State(None)
                with gr.Row():
                    with gr.Column(scale=3):
                        clarify_chat = gr.Chatbot(
                            elem_id="clarify-chat", label="Goal coach", height=360, buttons=["copy"]
                        )
                        clarify_box = gr.Textbox(
                            elem_id="clarify-input",
                            placeholder="e.g. I want to be a better manager",
                            show_label=False,
                            submit_btn=True,
                        )
                        gr.Examples(GOAL_EXAMPLES, inputs=clarify_box)
                    with gr.Column(scale=2):
                        goal_card = gr.Markdown(
                            "_Your goal card will appear here._", elem_id="goal-card"
                        )

            with gr.Tab("2 · Draft outreach", id="outreach"):
                with gr.Row():
                    with gr.Column():
                        mentor = gr.Textbox(
                            elem_id="mentor-name", label="Mentor's name", placeholder="Priya Raman"
                        )
                        role = gr.Textbox(
                            elem_id="mentor-role",
                            label="Their role",
                            placeholder="Director of Engineering at Lumen Health",
                        )
                        bio = gr.Textbox(
                            elem_id="mentor-bio",
                            label="Their bio or your notes (pasted text is treated as data)",
                            lines=4,
                        )
                        goal_in = gr.Textbox(
                            elem_id="outreach-goal",
                            label="Your goal (blank: your latest goal card)",
                        )
                        with gr.Row():
                            channel = gr.Dropdown(
                                ["email", "linkedin_note", "linkedin_message", "in_person"],
                                value="email",
                                label="Channel",
                            )
                            relationship = gr.Dropdown(
                                ["cold", "warm", "colleague"], value="cold", label="Relationship"
                            )
                        ask_time = gr.Textbox(value="30 minutes once a month", label="The ask")
                        sender = gr.Textbox(label="Your name (to sign with)")
                        draft_btn = gr.Button("Draft it", elem_id="draft-button", variant="primary")
                    with gr.Column():
                        subject = gr.Textbox(label="Subject (email)", buttons=["copy"])
                        body = gr.Textbox(
                            elem_id="draft-body",
                            label="Draft (edit freely, then re-check)",
                            lines=12,
                            buttons=["copy"],
                        )
                        recheck_btn = gr.Button("Re-check my edits")
                        rubric = gr.Markdown(
                            "_The rubric check appears here: specific goal, bounded ask, why this person, reciprocity, a question, length._",
                            elem_id="rubric",
                        )

            with gr.Tab("3 · Rehearse", id="rehearse"):
                rehearsal_state = gr.State(None)
                with gr.Row():
                    scenario = gr.Dropdown(
                        [(s.title, s.id) for s in wf.rh.SCENARIOS.values()],
                        value="ask_mentorship",
                        label="Scenario",
                    )
                    counterpart = gr.Textbox(value="Alex", label="Their name")
                    counterpart_role = gr.Textbox(label="Their role (optional)")
                    temperament = gr.Radio(
                        list(wf.rh.TEMPERAMENTS), value="supportive", label="Temperament"
                    )
                start_btn = gr.Button(
                    "Start rehearsal", elem_id="start-rehearsal", variant="primary"
                )
                rehearse_chat = gr.Chatbot(elem_id="rehearse-chat", label="Rehearsal", height=320)
                rehearse_box = gr.Textbox(
                    elem_id="rehearse-input",
                    placeholder="Say your line…",
                    show_label=False,
                    submit_btn=True,
                )
                end_btn = gr.Button("End and debrief", elem_id="end-rehearsal")
                debrief_md = gr.Markdown(
                    "_Start a rehearsal; when you end it, your debrief quotes your own words._",
                    elem_id="debrief",
                )

            with gr.Tab("4 · Prepare meeting", id="prepare"):
                with gr.Row():
                    with gr.Column():
                        prep_goal = gr.Textbox(
                            elem_id="prep-goal", label="Your goal (blank: your latest goal card)"
                        )
                        prep_notes = gr.Textbox(label="What happened since last time", lines=4)
                        first = gr.Checkbox(label="This is our first meeting")
                        minutes = gr.Slider(15, 90, value=30, step=15, label="Minutes")
                        prep_btn = gr.Button(
                            "Prepare agenda", elem_id="prep-button", variant="primary"
                        )
                    agenda_md = gr.Markdown("_Your agenda appears here._", elem_id="agenda")

            with gr.Tab("Ask", id="ask"):
                chatbot = gr.Chatbot(
                    elem_id="ask-chat",
                    label="Ask anything about mentoring",
                    height=420,
                    buttons=["copy", "copy_all"],
                )
                with gr.Row():
                    box = gr.Textbox(
                        elem_id="ask-input",
                        placeholder="Ask a question, e.g. How do I ask someone to mentor me?",
                        show_label=False,
                        scale=8,
                    )
                    send = gr.Button("Send", elem_id="ask-send", variant="primary", scale=1)
                    stop = gr.Button("Stop", scale=1)
                    retry = gr.Button("Retry", scale=1)
                sources = gr.Markdown(elem_id="sources")
                gr.Examples(ASK_EXAMPLES, inputs=box)

            with gr.Tab("Documents & prep pack", id="pack"):
                gr.Markdown(
                    "Add your own material (a mentor's bio, a programme guide). It is private to you and used as background, never as instructions."
                )
                uploads = gr.File(
                    label="Upload .md, .txt or .pdf (up to 5 MB each)",
                    file_count="multiple",
                    file_types=[".md", ".txt", ".pdf"],
                )
                upload_status = gr.Markdown()
                pack_btn = gr.Button("Build my prep pack", elem_id="pack-button", variant="primary")
                pack_file = gr.HTML(visible=False)
                pack_preview = gr.Markdown()

        # wiring: the user comes from `request` in every handler -------------------------------
        def refresh_history(request: gr.Request):
            return gr.update(choices=h.history_choices(deps, user(request)), value=None)

        # an API client lists its conversations here (and reopens one with /open_conversation)
        app.load(refresh_history, outputs=history_list, api_name="history")

        def on_ask(message, history, cid, request: gr.Request):
            uid = user(request)
            yield from clearing(one_job(uid, h.ask_turn(deps, uid, cid, message, history)))

        def on_retry(history, cid, request: gr.Request):
            uid = user(request)
            yield from one_job(uid, h.retry_last(deps, uid, cid, history))

        ask_event = gr.on(
            [box.submit, send.click],
            on_ask,
            inputs=[box, chatbot, ask_conversation],
            outputs=[chatbot, sources, ask_conversation, box],
            api_name="ask",
            **long,
        )
        ask_event.then(refresh_history, outputs=history_list, api_visibility="private")
        retry_event = retry.click(
            on_retry,
            inputs=[chatbot, ask_conversation],
            outputs=[chatbot, sources, ask_conversation],
            api_name="retry",
            **long,
        )
        stop.click(None, cancels=[ask_event, retry_event])

        def on_open(cid, request: gr.Request):
            history, src = h.load_conversation(deps, user(request), cid)
            return history, src, cid if history else None  # only a conversation of one's own

        def on_new():
            return [], "", None

        def on_delete(cid, request: gr.Request):
            message = h.delete_conversation(deps, user(request), cid)
            return message, [], None

        def on_delete_all(request: gr.Request):
            message = h.delete_all_data(deps, user(request))
            return message, [], None, [], None, "", [], None, "", "", gr.update(visible=False)

        open_btn.click(
            on_open,
            inputs=history_list,
            outputs=[chatbot, sources, ask_conversation],
            api_name="open_conversation",
        )
        new_btn.click(
            on_new, outputs=[chatbot, sources, ask_conversation], api_visibility="private"
        )
        delete_btn.click(
            on_delete,
            inputs=history_list,
            outputs=[history_status, chatbot, ask_conversation],
            api_name="delete_conversation",
        ).then(refresh_history, outputs=history_list, api_visibility="private")
        delete_all_btn.click(
            on_delete_all,
            outputs=[
                history_status,
                chatbot,
                ask_conversation,
                clarify_chat,
                clarify_state,
                goal_card,
                rehearse_chat,
                rehearsal_state,
                debrief_md,
                pack_preview,
                pack_file,
            ],  # fmt: skip
            api_name="delete_all_my_data",
        ).then(refresh_history, outputs=history_list, api_visibility="private")

        def on_clarify(message, history, state, request: gr.Request):
            uid = user(request)
            yield from clearing(one_job(uid, wf.clarify_turn(deps, uid, message, history, state)))

        clarify_event = clarify_box.submit(
            on_clarify,
            inputs=[clarify_box, clarify_chat, clarify_state],
            outputs=[clarify_chat, goal_card, clarify_state, clarify_box],
            api_name="clarify",
            **long,
        )
        clarify_event.then(refresh_history, outputs=history_list, api_visibility="private")

        def on_draft(m, r, b, g, c, a, rel, s, request: gr.Request):
            uid = user(request)
            yield from one_job(uid, wf.draft(deps, uid, m, r, b, g, c, a, rel, s))

        draft_btn.click(
            on_draft,
            inputs=[mentor, role, bio, goal_in, channel, ask_time, relationship, sender],
            outputs=[subject, body, rubric],
            api_name="draft_outreach",
            **long,
        )

        def on_recheck(s, b, c, m, r, bio_text, g, request: gr.Request):
            return wf.recheck(deps, user(request), s, b, c, m, r, bio_text, g)

        recheck_btn.click(
            on_recheck,
            inputs=[subject, body, channel, mentor, role, bio, goal_in],
            outputs=rubric,
            api_name="check_outreach",
        )

        def on_start(sc, name, crole, temp, request: gr.Request):
            return wf.start_rehearsal(deps, user(request), sc, name, crole, temp)

        start_btn.click(
            on_start,
            inputs=[scenario, counterpart, counterpart_role, temperament],
            outputs=[rehearse_chat, rehearsal_state, debrief_md],
            api_name="start_rehearsal",
        )

        def on_line(message, history, session, request: gr.Request):
            uid = user(request)
            yield from clearing(
                one_job(uid, wf.rehearse_turn(deps, uid, message, history, session))
            )

        rehearse_box.submit(
            on_line,
            inputs=[rehearse_box, rehearse_chat, rehearsal_state],
            outputs=[rehearse_chat, rehearsal_state, rehearse_box],
            api_name="rehearse",
            **long,
        )

        def on_end(session, request: gr.Request):
            uid = user(request)
            yield from one_job(uid, wf.end_rehearsal(deps, uid, session))

        end_btn.click(
            on_end, inputs=rehearsal_state, outputs=debrief_md, api_name="debrief", **long
        )

        def on_prep(g, notes, is_first, mins, request: gr.Request):
            uid = user(request)
            yield from one_job(uid, wf.prepare(deps, uid, g, notes, is_first, mins))

        prep_btn.click(
            on_prep,
            inputs=[prep_goal, prep_notes, first, minutes],
            outputs=agenda_md,
            api_name="prepare_meeting",
            **long,
        )

        def on_upload(files, request: gr.Request, progress=gr.Progress()):
            uid = user(request)
            paths = [f if isinstance(f, str) else f.name for f in (files or [])]
            temp = Path(get_upload_folder())  # Gradio's copies there are deleted once read
            steps = (h.upload_documents(deps, uid, paths, progress, temp) for _ in [0])  # lazy
            # the component is emptied: its files are gone
            # an upload made while an answer finishes waits for it rather than being refused
            yield from ((status, None) for status in one_job(uid, steps, wait=UPLOAD_WAIT))

        uploads.upload(
            on_upload,
            inputs=uploads,
            outputs=[upload_status, uploads],
            api_name="upload_documents",
            **long,
        )

        def on_pack(request: gr.Request):
            text = h.prep_pack(deps, user(request))
            link = (
                f'<a href="{PACK_ROUTE.lstrip("/")}" download="mentorprep-prep-pack.md">'
                "Download prep pack (.md)</a>"
            )
            return text, gr.update(value=link, visible=True)

        pack_btn.click(on_pack, outputs=[pack_preview, pack_file], api_name="prep_pack")
    app.queue(max_size=settings.queue_size, default_concurrency_limit=1)
    return app


def launch(host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the app (see `assistant.ui.web.launch`)."""
    from assistant.ui.web import launch as serve

    serve(host, port)
