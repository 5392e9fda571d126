"""Schema migrations (Alembic), on SQLite and on a real PostgreSQL: a database made by the previous
release keeps every conversation and artifact through the upgrade, a new database gets exactly the
schema the code declares, and instances that start together upgrade it once."""

import threading

import pytest
from sqlalchemy import create_engine, inspect, select, text

from assistant.errors import MentorPrepError
from assistant.services import schema
from assistant.services.store import Store, engine_url, metadata
from tests.conftest import run_cli
from tests.support import store_0_1


def _rows(url: str) -> dict[str, list[dict]]:
    """Every row of every table, as the database holds them."""
    engine = create_engine(engine_url(url))
    try:
        with engine.connect() as db:
            return {
                table.name: [
                    dict(r) for r in db.execute(select(table).order_by(table.c.id)).mappings()
                ]
                for table in store_0_1.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _fill_like_0_1(url: str) -> None:
    """Conversations of two users with finished, interrupted and failed answers, and every kind of
    artifact, written by release 0.1's own code."""
    old = store_0_1.Store(engine_url(url))
    for user in ("user:ana", "browser:5f2c"):
        ask = old.create_conversation(user, "ask", f"{user} asks")
        old.add_message(ask, user, "user", "How do I follow up? 🙂", meta={"sent": "How…"})
        old.add_message(ask, user, "assistant", "Wait a week [1].", meta={"sources": [{"t": 1}]})
        old.add_message(ask, user, "user", "And then?")
        old.add_message(ask, user, "assistant", "Then send one short", status="partial")
        clarify = old.create_conversation(user, "clarify", "be a better manager")
        old.add_message(clarify, user, "assistant", "The backend failed.", status="error")
        for kind in store_0_1.ARTIFACT_KINDS:
            old.save_artifact(user, kind, {"kind": kind, "user": user}, f"## {kind}", clarify)
        old.save_artifact(user, "agenda", {"first": True}, "## Agenda without a conversation")
    old.engine.dispose()


def test_a_database_of_the_previous_release_keeps_everything_through_the_upgrade(database_url):
    _fill_like_0_1(database_url)
    before = _rows(database_url)
    assert len(before["messages"]) == 10 and len(before["artifacts"]) == 10

    result = run_cli("db", "upgrade", env={"MENTORPREP_DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr
    assert f"upgraded from {schema.FIRST} to revision {schema.head()}" in result.stdout

    assert _rows(database_url) == before  # not one row changed
    store = Store(database_url)
    try:
        for user in ("user:ana", "browser:5f2c"):
            old_ids = {c["id"] for c in before["conversations"] if c["user_id"] == user}
            assert {c["id"] for c in store.list_conversations(user)} == old_ids
            for cid in old_ids:
                kept = [(m["role"], m["content"], m["status"]) for m in store.messages(cid, user)]
                old = [
                    (m["role"], m["content"], m["status"])
                    for m in before["messages"]
                    if m["conversation_id"] == cid
                ]
                assert kept == old
            assert len(store.artifacts(user)) == 5
            assert store.latest_artifact(user, "agenda")["data"] == {"first": True}
        with store.engine.connect() as db:
            assert schema.current(db) == schema.head()
            indexes = {i["name"] for i in inspect(db).get_indexes("messages")}
        assert "ix_messages_conversation_id" in indexes
    finally:
        store.close()
    again = run_cli("db", "current", env={"MENTORPREP_DATABASE_URL": database_url})
    assert again.returncode == 0 and f"revision {schema.head()} (up to date)" in again.stdout


def test_a_new_database_gets_exactly_the_schema_the_code_declares(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store = Store(database_url)
    try:
        with store.engine.connect() as db:
            assert compare_metadata(MigrationContext.configure(db), metadata) == []
            assert schema.current(db) == schema.head()
        # every revision goes down and up again
        from alembic import command

        with store.engine.begin() as db:
            command.downgrade(schema.alembic_config(db), "base")
            assert not inspect(db).has_table("conversations")
        assert schema.upgrade(store.engine) == (None, schema.head())
    finally:
        store.close()


def test_instances_that_start_together_upgrade_the_database_once(database_url):
    barrier, errors, stores = threading.Barrier(4), [], []

    def start() -> None:
        barrier.wait()
        try:
            stores.append(Store(database_url))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)  # without the lock they deadlock in Alembic
    try:
        assert not any(t.is_alive() for t in threads), "the upgrades did not finish"
        assert not errors, errors
        cid = stores[0].create_conversation("u1", "ask", "q")
        assert stores[3].list_conversations("u1")[0]["id"] == cid
        with stores[0].engine.connect() as db:
            assert db.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        for store in stores:
            store.close()


def test_a_database_from_a_newer_version_is_refused_with_a_clear_message(database_url):
    store = Store(database_url)
    with store.engine.begin() as db:
        db.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(MentorPrepError) as caught:
        Store(database_url)
    assert "revision 9999, newer than" in caught.value.message and "upgrade" in caught.value.fix
    assert ":mentorprep@" not in caught.value.message  # the password is not shown
