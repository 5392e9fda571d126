"""The store of conversations and saved work, on SQLite and on a real PostgreSQL (each test runs on
both; see the `database_url` fixture)."""

import threading

import pytest

from assistant.services.store import ARTIFACT_KINDS, Store


@pytest.fixture
def store(database_url):
    opened = Store(database_url)
    yield opened
    opened.close()


def test_a_user_sees_and_changes_only_their_own(store):
    mine = store.create_conversation("u1", "ask", "How do I follow up?")
    theirs = store.create_conversation("u2", "ask", "Someone else's question")
    store.add_message(mine, "u1", "user", "How do I follow up?")
    answer = store.add_message(theirs, "u2", "assistant", "Their answer")
    assert [c["id"] for c in store.list_conversations("u1")] == [mine]
    assert store.messages(theirs, "u1") == []
    with pytest.raises(KeyError):
        store.add_message(theirs, "u1", "user", "sneaking in")
    store.update_message(answer, "u1", "overwritten", "complete")  # not theirs: no effect
    assert store.messages(theirs, "u2")[0]["content"] == "Their answer"
    assert store.delete_conversation(theirs, "u1") is False
    assert store.list_conversations("u2")[0]["id"] == theirs


def test_messages_keep_their_order_status_meta_and_text(store):
    cid = store.create_conversation("u1", "rehearse", "Rehearsal")
    text = "Ünïcödé, 中文, emoji 🙂 and <b>markup</b>\nover two lines"
    store.add_message(cid, "u1", "user", text, meta={"sent": text})
    mid = store.add_message(cid, "u1", "assistant", "", status="partial")
    store.update_message(mid, "u1", "half an ans", "partial", {"sources": [{"title": "T"}]})
    store.update_message(mid, "u1", "half an answer, then all of it", "complete")
    rows = store.messages(cid, "u1")
    assert [(m["role"], m["status"]) for m in rows] == [
        ("user", "complete"),
        ("assistant", "complete"),
    ]
    assert rows[0]["content"] == text and rows[0]["meta"] == {"sent": text}
    assert rows[1]["content"] == "half an answer, then all of it"
    assert rows[1]["meta"] == {"sources": [{"title": "T"}]}  # kept when an update passes none


def test_nul_characters_and_long_titles_are_stored_alike_on_every_backend(store):
    """PostgreSQL cannot store NUL and enforces VARCHAR lengths; SQLite does neither. The store
    behaves the same on both: NULs are dropped, titles cut to 200 characters."""
    cid = store.create_conversation("u1", "ask", "a\x00b" + "x" * 300)
    mid = store.add_message(cid, "u1", "user", "before\x00after", meta={"raw": "\x00"})
    store.update_message(mid, "u1", "still\x00here", "complete")
    store.save_artifact("u1", "goal_card", {"goal": "g\x00"}, "## Goal\x00card", cid)
    [conversation] = store.list_conversations("u1")
    assert conversation["title"] == "ab" + "x" * 198
    [message] = store.messages(cid, "u1")
    assert message["content"] == "stillhere" and message["meta"] == {"raw": "\x00"}
    [artifact] = store.artifacts("u1")
    assert artifact["markdown"] == "## Goalcard" and artifact["data"] == {"goal": "g\x00"}


def test_artifacts_by_kind_latest_and_unknown_kinds(store):
    for i, kind in enumerate(ARTIFACT_KINDS * 2):
        store.save_artifact("u1", kind, {"n": i}, f"## {kind} {i}")
    store.save_artifact("u2", "goal_card", {"n": 99}, "## theirs")
    assert len(store.artifacts("u1")) == 2 * len(ARTIFACT_KINDS)
    assert store.latest_artifact("u1", "goal_card")["data"] == {"n": len(ARTIFACT_KINDS)}
    assert store.latest_artifact("u2", "draft") is None
    with pytest.raises(ValueError):
        store.save_artifact("u1", "diary", {}, "")


def test_deleting_a_conversation_or_a_user_removes_only_theirs(store):
    one = store.create_conversation("u1", "clarify", "one")
    two = store.create_conversation("u1", "ask", "two")
    other = store.create_conversation("u2", "ask", "other")
    for cid, user in ((one, "u1"), (two, "u1"), (other, "u2")):
        store.add_message(cid, user, "user", "hello")
    store.save_artifact("u1", "goal_card", {}, "card", one)
    store.save_artifact("u1", "agenda", {}, "agenda")  # not tied to a conversation
    store.save_artifact("u2", "draft", {}, "draft", other)
    assert store.delete_conversation(one, "u1")
    assert [a["kind"] for a in store.artifacts("u1")] == ["agenda"]
    store.delete_user("u1")
    assert store.list_conversations("u1") == [] and store.artifacts("u1") == []
    assert store.messages(two, "u1") == []
    assert [m["content"] for m in store.messages(other, "u2")] == ["hello"]
    assert len(store.artifacts("u2")) == 1


def test_the_latest_conversation_comes_first(store):
    first = store.create_conversation("u1", "ask", "first")
    second = store.create_conversation("u1", "ask", "second")
    store.add_message(first, "u1", "user", "back to the first one")
    rows = store.list_conversations("u1")
    assert [r["id"] for r in rows] == [first, second]
    assert rows[0]["updated_at"] >= rows[1]["updated_at"] >= rows[1]["created_at"]
    assert store.list_conversations("u1", kind="clarify") == []


def test_two_stores_on_one_database_share_everything_and_write_concurrently(database_url):
    """What two app instances do: each opens the store; writes from many threads of both land,
    each once, and each is visible from the other instance at once."""
    a, b = Store(database_url), Store(database_url)
    try:
        cid = a.create_conversation("u1", "ask", "shared")
        assert b.list_conversations("u1")[0]["id"] == cid
        errors: list[Exception] = []

        def write(store: Store, tag: str) -> None:
            try:
                for i in range(20):
                    store.add_message(cid, "u1", "user", f"{tag}-{i}")
            except Exception as exc:  # reported below, with the others
                errors.append(exc)

        threads = [
            threading.Thread(target=write, args=(s, f"{n}{s is a}"))
            for n in range(3)
            for s in (a, b)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        contents = [m["content"] for m in b.messages(cid, "u1")]
        assert len(contents) == len(set(contents)) == 6 * 20
        assert [m["content"] for m in a.messages(cid, "u1")] == contents
    finally:
        a.close()
        b.close()


def test_a_conversation_and_its_first_message_are_written_together(store):
    from sqlalchemy.exc import IntegrityError

    cid = store.create_conversation("u1", "outreach", "Draft", first=("assistant", "Hi Marcus"))
    assert [(m["role"], m["content"]) for m in store.messages(cid, "u1")] == [
        ("assistant", "Hi Marcus")
    ]
    with pytest.raises(IntegrityError):  # the message cannot be stored: neither is kept
        store.create_conversation("u1", "outreach", "Broken", first=(None, "lost"))
    assert [c["title"] for c in store.list_conversations("u1")] == ["Draft"]
