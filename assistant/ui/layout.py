"""The page: the sidebar (history, settings, privacy), the heading and the tabs, as components
with no behaviour (`events.wire` connects them)."""

# no `from __future__ import annotations`, like app.py
from pathlib import Path
from types import SimpleNamespace

from assistant.services.coaching import choices
from assistant.settings import Settings

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


def build_layout(settings: Settings) -> SimpleNamespace:
    """Every component of the page, made inside the current `gr.Blocks`."""
    import gradio as gr

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
                    clarify_about_me = gr.Textbox(
                        value="",
                        elem_id="clarify-about-me",
                        label="About you, one line (optional: fits the first steps to your work)",
                        placeholder="e.g. I'm a freelance cellist who records for film and games",
                    )
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
                            list(choices.CHANNEL_CHOICES),
                            value="email",
                            label="Channel",
                        )
                        relationship = gr.Dropdown(
                            list(choices.RELATIONSHIP_CHOICES), value="cold", label="Relationship"
                        )
                    ask_time = gr.Textbox(value=choices.DEFAULT_ASK, label="The ask")
                    sender = gr.Textbox(label="Your name (to sign with)")
                    about_me = gr.Textbox(
                        value="",
                        elem_id="outreach-about-me",
                        label="About you, one line (optional: opens the message)",
                        placeholder="e.g. I'm a backend engineer at a logistics start-up",
                    )
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
                    [(s.title, s.id) for s in choices.SCENARIOS.values()],
                    value="ask_mentorship",
                    label="Scenario",
                )
                counterpart = gr.Textbox(value="Alex", label="Their name")
                counterpart_role = gr.Textbox(label="Their role (optional)")
                temperament = gr.Radio(
                    list(choices.TEMPERAMENT_CHOICES), value="supportive", label="Temperament"
                )
            rehearse_about_me = gr.Textbox(
                value="",
                label="About you, one line (optional: the counterpart's opening fits it)",
                placeholder="e.g. I'm a nurse who wants to move into clinical education",
            )
            start_btn = gr.Button("Start rehearsal", elem_id="start-rehearsal", variant="primary")
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

        with gr.Tab("4 · Prepare meeting", id="prepare"), gr.Row():
            with gr.Column():
                prep_goal = gr.Textbox(
                    elem_id="prep-goal", label="Your goal (blank: your latest goal card)"
                )
                prep_notes = gr.Textbox(label="What happened since last time", lines=4)
                first = gr.Checkbox(label="This is our first meeting")
                minutes = gr.Slider(15, 90, value=30, step=15, label="Minutes")
                prep_btn = gr.Button("Prepare agenda", elem_id="prep-button", variant="primary")
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

    return SimpleNamespace(
        ask_conversation=ask_conversation,
        history_list=history_list,
        open_btn=open_btn,
        delete_btn=delete_btn,
        new_btn=new_btn,
        history_status=history_status,
        delete_all_btn=delete_all_btn,
        clarify_state=clarify_state,
        clarify_chat=clarify_chat,
        clarify_box=clarify_box,
        clarify_about_me=clarify_about_me,
        goal_card=goal_card,
        mentor=mentor,
        role=role,
        bio=bio,
        goal_in=goal_in,
        channel=channel,
        relationship=relationship,
        ask_time=ask_time,
        sender=sender,
        about_me=about_me,
        draft_btn=draft_btn,
        subject=subject,
        body=body,
        recheck_btn=recheck_btn,
        rubric=rubric,
        rehearsal_state=rehearsal_state,
        scenario=scenario,
        counterpart=counterpart,
        counterpart_role=counterpart_role,
        temperament=temperament,
        rehearse_about_me=rehearse_about_me,
        start_btn=start_btn,
        rehearse_chat=rehearse_chat,
        rehearse_box=rehearse_box,
        end_btn=end_btn,
        debrief_md=debrief_md,
        prep_goal=prep_goal,
        prep_notes=prep_notes,
        first=first,
        minutes=minutes,
        prep_btn=prep_btn,
        agenda_md=agenda_md,
        chatbot=chatbot,
        box=box,
        send=send,
        stop=stop,
        retry=retry,
        sources=sources,
        uploads=uploads,
        upload_status=upload_status,
        pack_btn=pack_btn,
        pack_file=pack_file,
        pack_preview=pack_preview,
    )
