"""A missing or corrupted vector index is detected and rebuilt, keeping the users' uploads."""

import os
from pathlib import Path

import pytest

from assistant.errors import BackendUnavailable
from assistant.services.knowledge_base import KnowledgeBase
from assistant.settings import Settings

NOTE = b"# Mentor log\n\nMy mentor Zaphira suggested a weekly review of the quokka migration plan."


def fresh_kb(home: Path, **overrides) -> KnowledgeBase:
    """A new process's view of the data home (chromadb caches clients per path)."""
    import chromadb

    chromadb.api.client.SharedSystemClient.clear_system_cache()
    return KnowledgeBase(Settings(home=home, _env_file=None, **overrides))


@pytest.fixture
def built(tmp_path) -> Path:
    kb = fresh_kb(tmp_path)
    kb.ensure_index()
    kb.add_user_document("user:ana", "mentor-log.md", NOTE)
    assert (tmp_path / "uploads").exists()
    return tmp_path


def corrupt_sqlite(home: Path) -> None:
    (home / "chroma" / "chroma.sqlite3").write_bytes(os.urandom(200_000))


def truncate_sqlite(home: Path) -> None:
    path = home / "chroma" / "chroma.sqlite3"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def remove_index(home: Path) -> None:
    import shutil

    shutil.rmtree(home / "chroma")


@pytest.mark.parametrize("damage", [corrupt_sqlite, truncate_sqlite, remove_index])
def test_a_broken_index_is_rebuilt_with_the_uploads(built, damage):
    damage(built)
    kb = fresh_kb(built)
    report = kb.ensure_index()
    assert report is not None and report.added > 200
    titles = [p.title for p in kb.search("ask someone to be my mentor", k=3)]
    assert titles
    mine = kb.search("quokka migration weekly review", k=3, user_id="user:ana")
    assert any("Zaphira" in p.text for p in mine)
    if damage is not remove_index:
        assert list(built.glob("chroma.broken-*")), "the broken store is kept aside, not deleted"
    assert fresh_kb(built).ensure_index() is None  # healthy now: nothing to do


def test_a_healthy_index_is_left_alone(built):
    assert fresh_kb(built).ensure_index() is None
    assert not list(built.glob("chroma.broken-*"))


def test_deleting_my_data_removes_the_kept_uploads(built):
    kb = fresh_kb(built)
    kb.delete_user_data("user:ana")
    assert not any((built / "uploads").rglob("*.md"))
    corrupt_sqlite(built)
    kb = fresh_kb(built)
    kb.ensure_index()
    mine = kb.search("quokka migration weekly review", k=3, user_id="user:ana")
    assert not any("Zaphira" in p.text for p in mine)
    assert kb.user_documents("user:ana") == []


def test_a_server_side_problem_is_reported_not_rebuilt(chroma_server, tmp_path, monkeypatch):
    kb = fresh_kb(tmp_path, chroma_url=chroma_server, collection_prefix="probe_test")
    kb.ensure_index()

    def broken_probe():
        return "a stored passage is not found by its own vector"

    monkeypatch.setattr(kb, "_probe", broken_probe)
    with pytest.raises(BackendUnavailable, match="broken index"):
        kb.ensure_index()
