"""One deployment, two app instances, tested for real (docs/deploy.md): PostgreSQL, `chroma run`,
one OpenAI-compatible model server (llama_cpp.server on the small model) and two
`mentorprep serve` processes, driven through the Gradio API by two signed-in users.

The tests share the deployment and run in order: the second kills one instance, the third backs
the deployment up and restores it into a fresh PostgreSQL cluster and Chroma server.
"""

import threading
import time

import pytest

from assistant.settings import REPO_ROOT
from tests.conftest import free_port
from tests.support.deployment import (
    COMMANDS,
    DOC_VALUES,
    ENVIRONMENT,
    POSTGRES,
    Deployment,
    Instance,
    client_as,
    render,
)

slow = pytest.mark.slow
MAX_TOKENS = {"MENTORPREP_MAX_TOKENS": "200"}
DOC = "# Dana Reyes\nDana leads the Zorblax platform team and mentors new engineering managers.\n"


@pytest.fixture(scope="module")
def deployment(small_model_path, tmp_path_factory):
    """PostgreSQL, Chroma and the model server, set up with the guide's commands."""
    from tests.support.postgres import INSTALL_HINT, PostgresCluster, pg_bin

    if pg_bin() is None:
        pytest.fail(INSTALL_HINT)
    cluster = PostgresCluster().start()
    built = Deployment(tmp_path_factory.mktemp("deployment"), cluster, small_model_path)
    try:
        built.postgres("role")
        built.postgres("database")
        built.start("chroma")
        built.start("model")
        built.run("upgrade")
        built.run("ingest")
        yield built
    finally:
        built.stop_all()
        cluster.stop()


@pytest.fixture(scope="module")
def instances(deployment):
    """Two instances, started together as after a deploy."""
    pair = [Instance(deployment, name, free_port(), MAX_TOKENS) for name in ("app1", "app2")]
    errors: list[Exception] = []

    def start(instance: Instance) -> None:
        try:
            instance.start()
        except Exception as exc:  # reported below with the instance's log
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(i,)) for i in pair]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert not errors, f"{errors}\n{pair[0].log_tail()}\n{pair[1].log_tail()}"
        yield pair
    finally:
        for instance in pair:
            instance.stop()


@pytest.fixture(scope="module")
def store(deployment):
    """The deployment's database, read as a third party would (to check what is committed)."""
    from assistant.services.store import Store

    opened = Store(render(ENVIRONMENT["MENTORPREP_DATABASE_URL"], deployment.values))
    yield opened
    opened.close()


def text_of(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content or "")


def answered(chat: list[dict]) -> str:
    answer = text_of(chat[-1])
    # a small model may start to recite its instructions, which the output guard withholds: that
    # is still an answer; an error is not
    ok = "⚠️" not in answer or "withheld" in answer
    assert chat[-1]["role"] == "assistant" and answer.strip() and ok, answer
    return answer


def history_ids(client) -> list[str]:
    """The user's saved conversations, newest first, as the sidebar lists them."""
    return [cid for _, cid in client.predict(None, api_name="/history")["choices"]]


@slow
def test_a_conversation_continues_on_the_other_instance_and_users_stay_apart(
    instances, store, tmp_path
):
    from gradio_client import handle_file

    one, two = instances
    ana_1, ana_2, ben_2 = (
        client_as(one.url, "ana"),
        client_as(two.url, "ana"),
        client_as(two.url, "ben"),
    )

    chat, *_ = ana_1.predict("How do I ask someone to be my mentor?", [], None, api_name="/ask")
    answered(chat)
    [cid] = history_ids(ana_2)  # the other instance lists it...
    history, _ = ana_2.predict(cid, None, api_name="/open_conversation")
    assert text_of(history[0]) == "How do I ask someone to be my mentor?"
    chat, *_ = ana_2.predict("And what if they say no?", history, None, api_name="/ask")
    answered(chat)  # ...and continues it
    assert [c["id"] for c in store.list_conversations("user:ana")] == [cid]
    messages = store.messages(cid, "user:ana")
    assert [(m["role"], m["status"]) for m in messages] == [
        ("user", "complete"),
        ("assistant", "complete"),
        ("user", "complete"),
        ("assistant", "complete"),
    ]

    # an upload on one instance is searchable from the other, by its owner only
    doc = tmp_path / "dana-reyes.md"
    doc.write_text(DOC)
    report = ana_1.predict([handle_file(str(doc))], api_name="/upload_documents")[0]
    assert "✅ dana-reyes.md" in report, report
    question = "Who leads the Zorblax platform team?"
    _, sources, _ = ana_2.predict(question, [], None, api_name="/ask")
    assert "dana-reyes.md" in sources
    _, sources, _ = ben_2.predict(question, [], None, api_name="/ask")
    assert "dana-reyes.md" not in sources
    notes = tmp_path / "ben-notes.md"
    notes.write_text("# Ben's notes\nMy manager suggested a mentor in the data team.\n")
    report = ben_2.predict([handle_file(str(notes))], api_name="/upload_documents")[0]
    assert "Your documents: ben-notes.md" in report and "dana" not in report

    # and never each other's history
    assert cid not in history_ids(ben_2)
    assert cid not in history_ids(client_as(one.url, "ben"))
    try:
        seen, _ = ben_2.predict(cid, None, api_name="/open_conversation")
    except Exception as exc:  # the app refuses an id that is not in his history
        assert "not in the list of choices" in str(exc)
    else:
        assert seen == []


@slow
def test_kill_9_of_one_instance_mid_answer_loses_nothing_and_the_other_keeps_serving(
    instances, store
):
    one, two = instances
    ana_1 = client_as(one.url, "ana")
    question = "Tell me everything about preparing for a first mentor meeting, step by step"
    for attempt in range(3):  # the small model may finish before a partial answer is saved
        asked = f"{question} ({attempt})."
        job = ana_1.submit(asked, [], None, api_name="/ask")
        cid = _wait_for_a_partial_answer(store, asked, job)
        if cid:
            break
    else:
        pytest.fail("no answer was ever seen mid-stream")
    committed = _everything_of(store, "user:ana")
    one.kill()

    after = _everything_of(store, "user:ana")
    assert after.keys() == committed.keys()
    for conversation, messages in committed.items():
        kept = after[conversation]
        assert [m["id"] for m in kept] == [m["id"] for m in messages]
        for old, new in zip(messages, kept, strict=True):  # as committed, or written further
            assert new["content"].startswith(old["content"])
    assert after[cid][-1]["status"] == "partial"

    ben_2 = client_as(two.url, "ben")
    chat, *_ = ben_2.predict(
        "How do I follow up when a mentor does not reply?", [], None, api_name="/ask"
    )
    answered(chat)  # the other instance keeps serving
    ana_2 = client_as(two.url, "ana")
    assert cid in history_ids(ana_2)
    history, _ = ana_2.predict(cid, None, api_name="/open_conversation")
    assert "interrupted" in text_of(history[-1])
    chat, *_ = ana_2.predict(history, None, api_name="/retry")
    answered(chat)  # and she asks it again there
    assert store.messages(cid, "user:ana")[-1]["status"] == "complete"


def _wait_for_a_partial_answer(store, question: str, job, timeout: float = 120) -> str | None:
    """The conversation id once its answer is stored half-written; None if it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not job.done():
        for conversation in store.list_conversations("user:ana"):
            if conversation["title"] == question[:80]:
                # the conversation is committed a moment before its first message
                stored = store.messages(conversation["id"], "user:ana")
                last = stored[-1] if stored else {"role": None}
                if last["role"] == "assistant" and last["status"] == "partial" and last["content"]:
                    return conversation["id"]
        time.sleep(0.05)
    return None


def _everything_of(store, user: str) -> dict[str, list[dict]]:
    return {c["id"]: store.messages(c["id"], user) for c in store.list_conversations(user)}


@slow
def test_a_backup_restored_into_a_fresh_cluster_and_chroma_server_is_read_by_the_app(
    instances, deployment, store, tmp_path
):
    from gradio_client import handle_file

    from tests.support.postgres import PostgresCluster

    _, two = instances
    ana_2 = client_as(two.url, "ana")
    doc = tmp_path / "quill.md"
    doc.write_text("# Quill\nQuillfeather is the name of our mentoring circle.\n")
    assert "✅ quill.md" in ana_2.predict([handle_file(str(doc))], api_name="/upload_documents")[0]
    answered(ana_2.predict("What is Quillfeather?", [], None, api_name="/ask")[0])
    saved = _everything_of(store, "user:ana")

    deployment.postgres("dump")
    deployment.stop("chroma")  # its folder is copied while it is stopped
    deployment.run("backup_chroma")
    fresh = PostgresCluster().start()
    try:
        for step in ("role", "database", "restore"):
            deployment.postgres(step, fresh)
        restored = {
            "pg_port": str(fresh.port),
            "chroma_port": str(free_port()),
            "chroma_path": deployment.values["chroma_backup"],
        }
        deployment.start("chroma", key="restored-chroma", **restored)
        deployment.run("upgrade", **restored)
        three = Instance(deployment, "app3", free_port(), MAX_TOKENS).start(**restored)
        try:
            ana_3 = client_as(three.url, "ana")
            assert history_ids(ana_3) == list(saved)  # every conversation, newest first
            for cid, messages in saved.items():
                history, _ = ana_3.predict(cid, None, api_name="/open_conversation")
                assert len(history) == len(messages)
                for shown, kept in zip(history, messages, strict=True):  # partial ones are marked
                    assert text_of(shown).startswith(kept["content"])
            _, sources, _ = ana_3.predict("What is Quillfeather?", [], None, api_name="/ask")
            assert "quill.md" in sources
        finally:
            three.stop()
    finally:
        fresh.stop()


def test_the_deploy_guide_shows_the_commands_the_test_runs():
    """docs/deploy.md's commands are the ones above, with the guide's values."""
    guide = (REPO_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for template in [*POSTGRES.values(), *COMMANDS.values()]:
        command = render(template, DOC_VALUES)
        assert command in guide, command
    for key, value in ENVIRONMENT.items():
        assert f"{key}={render(value, DOC_VALUES)}" in guide, key
