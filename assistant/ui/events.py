"""What the page does: every event of `layout.build_layout`'s components, each calling a handler
of `handlers` or `workflow_handlers` with the user taken from the request (the login, or the
identity cookie the server issued), never from an input value."""

# no `from __future__ import annotations`: Gradio inspects `request: gr.Request` at run time
from pathlib import Path
from types import SimpleNamespace

from assistant.errors import MentorPrepError
from assistant.settings import Settings
from assistant.ui import handlers as h
from assistant.ui import workflow_handlers as wf
from assistant.ui.identity import COOKIE, identities_for
from assistant.ui.limits import UserJobs
from assistant.ui.web import PACK_ROUTE

UPLOAD_WAIT = 120.0  # seconds an upload waits for the same user's running answer to end
MODEL = "model"  # the concurrency group of every event that runs the model or embeds documents


def wire(app, ui: SimpleNamespace, deps: h.Deps, settings: Settings) -> None:
    """Connect the components to their handlers (inside the `gr.Blocks` of `app`)."""
    import gradio as gr
    from gradio.utils import get_upload_folder

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

    def refresh_history(request: gr.Request):
        return gr.update(choices=h.history_choices(deps, user(request)), value=None)

    # an API client lists its conversations here (and reopens one with /open_conversation)
    app.load(refresh_history, outputs=ui.history_list, api_name="history")

    def on_ask(message, history, cid, request: gr.Request):
        uid = user(request)
        yield from clearing(one_job(uid, h.ask_turn(deps, uid, cid, message, history)))

    def on_retry(history, cid, request: gr.Request):
        uid = user(request)
        yield from one_job(uid, h.retry_last(deps, uid, cid, history))

    ask_event = gr.on(
        [ui.box.submit, ui.send.click],
        on_ask,
        inputs=[ui.box, ui.chatbot, ui.ask_conversation],
        outputs=[ui.chatbot, ui.sources, ui.ask_conversation, ui.box],
        api_name="ask",
        **long,
    )
    ask_event.then(refresh_history, outputs=ui.history_list, api_visibility="private")
    retry_event = ui.retry.click(
        on_retry,
        inputs=[ui.chatbot, ui.ask_conversation],
        outputs=[ui.chatbot, ui.sources, ui.ask_conversation],
        api_name="retry",
        **long,
    )
    ui.stop.click(None, cancels=[ask_event, retry_event])

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

    ui.open_btn.click(
        on_open,
        inputs=ui.history_list,
        outputs=[ui.chatbot, ui.sources, ui.ask_conversation],
        api_name="open_conversation",
    )
    ui.new_btn.click(
        on_new, outputs=[ui.chatbot, ui.sources, ui.ask_conversation], api_visibility="private"
    )
    ui.delete_btn.click(
        on_delete,
        inputs=ui.history_list,
        outputs=[ui.history_status, ui.chatbot, ui.ask_conversation],
        api_name="delete_conversation",
    ).then(refresh_history, outputs=ui.history_list, api_visibility="private")
    ui.delete_all_btn.click(
        on_delete_all,
        outputs=[
            ui.history_status,
            ui.chatbot,
            ui.ask_conversation,
            ui.clarify_chat,
            ui.clarify_state,
            ui.goal_card,
            ui.rehearse_chat,
            ui.rehearsal_state,
            ui.debrief_md,
            ui.pack_preview,
            ui.pack_file,
        ],
        api_name="delete_all_my_data",
    ).then(refresh_history, outputs=ui.history_list, api_visibility="private")

    def on_clarify(message, history, state, me, request: gr.Request):
        uid = user(request)
        turn = wf.clarify_turn(deps, uid, message, history, state, about_me=me)
        yield from clearing(one_job(uid, turn))

    clarify_event = ui.clarify_box.submit(
        on_clarify,
        inputs=[ui.clarify_box, ui.clarify_chat, ui.clarify_state, ui.clarify_about_me],
        outputs=[ui.clarify_chat, ui.goal_card, ui.clarify_state, ui.clarify_box],
        api_name="clarify",
        **long,
    )
    clarify_event.then(refresh_history, outputs=ui.history_list, api_visibility="private")

    def on_draft(m, r, b, g, c, a, rel, s, me, request: gr.Request):
        uid = user(request)
        yield from one_job(uid, wf.draft(deps, uid, m, r, b, g, c, a, rel, s, me))

    ui.draft_btn.click(
        on_draft,
        inputs=[
            ui.mentor,
            ui.role,
            ui.bio,
            ui.goal_in,
            ui.channel,
            ui.ask_time,
            ui.relationship,
            ui.sender,
            ui.about_me,
        ],
        outputs=[ui.subject, ui.body, ui.rubric],
        api_name="draft_outreach",
        **long,
    )

    def on_recheck(s, b, c, m, r, bio_text, g, request: gr.Request):
        return wf.recheck(deps, user(request), s, b, c, m, r, bio_text, g)

    ui.recheck_btn.click(
        on_recheck,
        inputs=[ui.subject, ui.body, ui.channel, ui.mentor, ui.role, ui.bio, ui.goal_in],
        outputs=ui.rubric,
        api_name="check_outreach",
    )

    def on_start(sc, name, crole, temp, me, request: gr.Request):
        return wf.start_rehearsal(deps, user(request), sc, name, crole, temp, me)

    ui.start_btn.click(
        on_start,
        inputs=[
            ui.scenario,
            ui.counterpart,
            ui.counterpart_role,
            ui.temperament,
            ui.rehearse_about_me,
        ],
        outputs=[ui.rehearse_chat, ui.rehearsal_state, ui.debrief_md],
        api_name="start_rehearsal",
    )

    def on_line(message, history, session, request: gr.Request):
        uid = user(request)
        yield from clearing(one_job(uid, wf.rehearse_turn(deps, uid, message, history, session)))

    ui.rehearse_box.submit(
        on_line,
        inputs=[ui.rehearse_box, ui.rehearse_chat, ui.rehearsal_state],
        outputs=[ui.rehearse_chat, ui.rehearsal_state, ui.rehearse_box],
        api_name="rehearse",
        **long,
    )

    def on_end(session, request: gr.Request):
        uid = user(request)
        yield from one_job(uid, wf.end_rehearsal(deps, uid, session))

    ui.end_btn.click(
        on_end, inputs=ui.rehearsal_state, outputs=ui.debrief_md, api_name="debrief", **long
    )

    def on_prep(g, notes, is_first, mins, request: gr.Request):
        uid = user(request)
        yield from one_job(uid, wf.prepare(deps, uid, g, notes, is_first, mins))

    ui.prep_btn.click(
        on_prep,
        inputs=[ui.prep_goal, ui.prep_notes, ui.first, ui.minutes],
        outputs=ui.agenda_md,
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

    ui.uploads.upload(
        on_upload,
        inputs=ui.uploads,
        outputs=[ui.upload_status, ui.uploads],
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

    ui.pack_btn.click(on_pack, outputs=[ui.pack_preview, ui.pack_file], api_name="prep_pack")
