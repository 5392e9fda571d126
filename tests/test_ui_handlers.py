"""UI handlers without a browser (fake model), and the Gradio API through gradio_client."""

import json

import pytest

from assistant.services.store import Store
from assistant.ui import handlers as h
from assistant.ui import workflow_handlers as wf
from tests.conftest import served
from tests.test_coaching_workflows import CARD, PASSING_EMAIL


@pytest.fixture
def deps(fake_model, local_kb, database_url):
    """The handlers over a real store, on SQLite and on PostgreSQL."""
    from assistant.settings import get_settings

    store = Store(database_url)
    yield h.Deps(lambda: fake_model, lambda: local_kb, lambda: store, get_settings())
    store.close()


def test_request_user_comes_from_the_login_or_a_cookie_the_server_signed():
    from assistant.ui.identity import Identities

    ids, other = Identities(b"k" * 32), Identities(b"o" * 32)
    cookie = ids.issue()
    assert h.request_user("ann", None, ids, login_required=True) == "user:ann"
    assert h.request_user(None, cookie, ids, login_required=False) == ids.user_id(cookie)
    assert ids.user_id(cookie).startswith("browser:") and cookie.split(".")[0] not in ids.user_id(
        cookie
    )  # the store never sees the token itself
    token = cookie.partition(".")[0]
    for forged in [None, "", token, token + ".", ids.user_id(cookie), other.issue(), cookie + "x"]:
        with pytest.raises(h.MentorPrepError, match="no session cookie"):
            h.request_user(None, forged, ids, login_required=False)
    with pytest.raises(h.MentorPrepError, match="not logged in"):
        h.request_user(None, cookie, ids, login_required=True)  # a login is required: no cookie


def test_ask_streams_and_stores_the_conversation(deps, fake_model):
    fake_model.queue("Wait a week, then send one short nudge [1].")
    steps = list(h.ask_turn(deps, "u1", None, "My mentor never replied. What now?", []))
    history, sources, cid = steps[-1]
    assert len(steps) > 3  # streamed in pieces
    assert history[-1]["content"].strip().endswith("[1].")
    assert "**[1]" in sources
    stored = deps.store().messages(cid, "u1")
    assert [(m["role"], m["status"]) for m in stored] == [
        ("user", "complete"),
        ("assistant", "complete"),
    ]
    assert deps.store().messages(cid, "u2") == []  # another user sees nothing
    assert h.history_choices(deps, "u2") == []
    assert h.history_choices(deps, "u1")[0][1] == cid


def test_ask_empty_message_is_refused_kindly(deps):
    history, _, cid = list(h.ask_turn(deps, "u1", None, "   ", []))[-1]
    assert "Type a question" in history[-1]["content"] and cid is None


def test_a_failing_backend_keeps_the_partial_answer(deps, fake_model):
    from assistant.errors import BackendUnavailable

    def broken(prompt):
        yield "Start with "
        raise BackendUnavailable("The connection broke off.", fix="retry")

    fake_model.execute = broken
    history, _, cid = list(h.ask_turn(deps, "u1", None, "How do I follow up?", []))[-1]
    assert history[-1]["content"].startswith("Start with") and "broke off" in history[-1]["content"]
    stored = deps.store().messages(cid, "u1")[-1]
    assert stored["status"] == "error" and stored["content"].startswith("Start with")
    assert "Traceback" not in history[-1]["content"]


def test_interrupted_answer_is_kept_and_marked(deps):
    store = deps.store()
    cid = store.create_conversation("u1", "ask", "q")
    store.add_message(cid, "u1", "user", "q")
    store.add_message(cid, "u1", "assistant", "half an ans", status="partial")
    history, _ = h.load_conversation(deps, "u1", cid)
    assert "half an ans" in history[-1]["content"] and "interrupted" in history[-1]["content"]


def test_retry_asks_the_last_question_again(deps, fake_model):
    fake_model.queue("first", "second")
    history, _, cid = list(h.ask_turn(deps, "u1", None, "Question?", []))[-1]
    history, _, cid2 = list(h.retry_last(deps, "u1", cid, history))[-1]
    assert cid2 == cid and history[-1]["content"].strip() == "second"
    assert sum(m["role"] == "user" for m in history) == 1


def test_retry_takes_the_question_as_gradio_hands_the_chat_back(deps, fake_model):
    """Gradio 6's chatbot passes each message's content as a list of parts, not a string."""
    fake_model.queue("first", "second")
    history, _, cid = list(h.ask_turn(deps, "u1", None, "Question?", []))[-1]
    as_gradio = [{**m, "content": [{"type": "text", "text": m["content"]}]} for m in history]
    history, _, _ = list(h.retry_last(deps, "u1", cid, as_gradio))[-1]
    assert history[-1]["content"].strip() == "second"
    assert [m["content"] for m in deps.store().messages(cid, "u1") if m["role"] == "user"] == [
        "Question?",
        "Question?",
    ]


def test_delete_one_and_delete_all(deps, fake_model, tmp_path):
    list(h.ask_turn(deps, "u1", None, "One?", []))
    cid = list(h.ask_turn(deps, "u1", None, "Two?", []))[-1][2]
    assert h.delete_conversation(deps, "u2", cid) == "Choose a conversation to delete."
    assert h.delete_conversation(deps, "u1", cid) == "Conversation deleted."
    assert len(h.history_choices(deps, "u1")) == 1
    doc = tmp_path / "bio.md"
    doc.write_text("# Bio\nDana leads the Zorblax team.")
    assert "✅ bio.md" in h.upload_documents(deps, "u1", [str(doc)])
    assert "deleted" in h.delete_all_data(deps, "u1")
    assert h.history_choices(deps, "u1") == []
    assert deps.knowledge_base().user_documents("u1") == []


def test_upload_reports_bad_files_clearly(deps, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    good = tmp_path / "guide.txt"
    good.write_text("Programme guide: meet monthly.")
    report = h.upload_documents(deps, "u1", [str(bad), str(good)])
    assert "❌" in report and "✅ guide.txt" in report
    assert h.upload_documents(deps, "u1", []).startswith("Choose")


def test_clarify_flow_then_card(deps, fake_model):
    steps = list(wf.clarify_turn(deps, "u1", "I want to be a better manager", [], None))
    history, card_md, state = steps[-1]
    assert state.stage == "answers" and "loaded" in history[-1]["content"] and card_md == ""
    fake_model.queue(json.dumps(CARD))
    answer = "Useful 1:1s; 4/5 usefulness score on the quarterly survey; by 30 June 2027"
    me = "I'm six months into managing five engineers"
    turn = wf.clarify_turn(deps, "u1", answer, history, state, about_me=f" {me} ")
    history, card_md, state = list(turn)[-1]
    assert state.stage == "done" and "## Goal card" in card_md
    assert wf.latest_goal(deps, "u1") == CARD["goal"]
    # who they are reaches the model, so the steps fit them
    assert any(me in m["content"] for m in fake_model.prompts[-1].messages)


def test_draft_and_recheck(deps, fake_model):
    fake_model.queue(json.dumps(PASSING_EMAIL))
    subject, body, rubric = list(
        wf.draft(
            deps,
            "u1",
            "Marcus Lee",
            "Senior PM at Fieldnote",
            "",
            "Become an APM in 9 months",
            "email",
            "",
            "cold",
            "Dana",
        )
    )[-1]
    assert subject and body and "Passes every check" in rubric
    weak = wf.recheck(deps, "u1", subject, "Be my mentor?", "email", "Marcus Lee", "", "", "")
    assert "❌ fail" in weak
    drafts = deps.store().artifacts("u1", "draft")
    assert len(drafts) == 2  # the generated draft and the user's edit


def test_rehearsal_and_debrief(deps, fake_model):
    chat, session, _ = wf.start_rehearsal(deps, "u1", "promotion", "Jordan", "", "skeptical")
    assert chat[0]["role"] == "assistant"
    fake_model.queue(json.dumps({"reply": "What do you think was missing?"}))
    chat, session = list(
        wf.rehearse_turn(deps, "u1", "I guess I thought I was ready.", chat, session)
    )[-1]
    assert chat[-1]["content"] == "What do you think was missing?"
    fake_model.queue(json.dumps({"summary": "Fine.", "went_well": [], "improve": []}))
    debrief = list(wf.end_rehearsal(deps, "u1", session))[-1]
    assert "I guess I thought I was ready." in debrief
    assert list(wf.end_rehearsal(deps, "u1", None))[-1].startswith("⚠️")


def test_prepare_and_prep_pack(deps, fake_model):
    agenda = {
        "updates": ["Ran two 1:1s"],
        "topics": ["Feedback"],
        "questions": ["How do you open a 1:1?", "What if a report goes quiet?"],
        "commitments": ["Try SBI once"],
    }
    fake_model.queue(json.dumps(agenda))
    markdown = list(wf.prepare(deps, "u1", "Useful 1:1s by June", "", True, 30))[-1]
    assert "First mentor meeting agenda" in markdown
    text = h.prep_pack(deps, "u1")
    assert "agenda" in text and "First mentor meeting agenda" in text


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # about the API, not the store
def test_gradio_api_end_to_end(deps, fake_model):
    """Every workflow has a named endpoint, callable with gradio_client."""
    from gradio_client import Client

    with served(deps) as url:
        client = Client(url, verbose=False)
        endpoints = set(client.view_api(return_format="dict")["named_endpoints"])
        assert {
            "/ask",
            "/clarify",
            "/draft_outreach",
            "/check_outreach",
            "/start_rehearsal",
            "/rehearse",
            "/debrief",
            "/prepare_meeting",
            "/upload_documents",
            "/prep_pack",
            "/history",
            "/open_conversation",
        } <= endpoints
        fake_model.queue("Send one polite nudge after a week [1].")
        chat, sources, _box = client.predict("My mentor did not reply.", [], api_name="/ask")
        assert "nudge" in str(chat[-1]["content"]) and "Sources" in sources
        # an API client lists its conversations, reopens one and carries on in it
        [(label, cid)] = client.predict(api_name="/history")["choices"]
        assert "My mentor did not reply." in label
        history, _ = client.predict(cid, api_name="/open_conversation")
        fake_model.queue("Then a second, shorter one.")
        chat, *_ = client.predict("And then?", history, api_name="/ask")
        assert len(chat) == 4 and len(client.predict(api_name="/history")["choices"]) == 1
        chat, card, *_ = client.predict("be a better manager", [], api_name="/clarify")
        assert "loaded" in str(chat[-1]["content"])


def test_second_turn_prompt_starts_with_the_first_turn_as_sent(deps, fake_model):
    """The KV-cache contract: turn 2's prompt repeats turn 1's prompt and answer verbatim."""
    fake_model.queue("First answer.", "Second answer.")
    cid = list(h.ask_turn(deps, "u1", None, "How do I find a mentor?", []))[-1][2]
    history = list(h.ask_turn(deps, "u1", cid, "And how do I ask them?", []))[-1][0]
    first, second = (p.messages for p in fake_model.prompts)
    assert second[1] == first[1]  # turn 1's user message, passages included
    assert second[2] == {"role": "assistant", "content": "First answer. "}
    assert history[-1]["content"].strip() == "Second answer."


def test_delete_all_my_data_deletes_nothing_when_the_vector_store_is_down(deps, fake_model):
    from assistant.errors import BackendUnavailable

    fake_model.queue("An answer.")
    list(h.ask_turn(deps, "u-down", None, "How do I find a mentor?", []))

    class DownKnowledgeBase:
        def delete_user_data(self, user_id):
            raise BackendUnavailable("The Chroma server at http://127.0.0.1:9 failed.", fix="x")

    down = h.Deps(deps.model, lambda: DownKnowledgeBase(), deps.store, deps.settings)
    message = h.delete_all_data(down, "u-down")
    assert "Nothing was deleted" in message and "Chroma" in message
    assert deps.store().list_conversations("u-down")
