"""Chroma: embedded PersistentClient in the data home, or a Chroma server when a URL is set."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from urllib.parse import urlparse

from assistant.errors import BackendUnavailable
from assistant.settings import Settings, get_settings


def chroma_client(settings: Settings | None = None):
    """A Chroma client per settings, telemetry off. Raises BackendUnavailable if a server is down."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = settings or get_settings()
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.chroma_url:
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    url = urlparse(settings.chroma_url)
    try:
        client = chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
        client.heartbeat()
    except Exception as exc:  # chromadb raises several types for a refused connection
        raise BackendUnavailable(
            f"The Chroma server at {settings.chroma_url} cannot be reached ({type(exc).__name__}).",
            fix="start it (`chroma run --path DIR --host 127.0.0.1 --port 8000`) or unset "
            "MENTORPREP_CHROMA_URL to use the embedded store",
        ) from exc
    return client


GET_PAGE = 5000  # rows a Chroma `get` returns at a time (SQLite caps the variables in a query)


def get_all(collection, include: list[str], where: dict | None = None) -> dict[str, list]:
    """`collection.get` for any number of rows, a page at a time.

    One unpaged `get` over a large collection (about 30k rows and up) fails inside Chroma with
    "too many SQL variables".
    """
    result: dict[str, list] = {"ids": [], **{field: [] for field in include}}
    offset = 0
    while True:
        page = collection.get(where=where, include=include, limit=GET_PAGE, offset=offset)
        for field in result:
            result[field].extend(page.get(field) or [])
        if len(page["ids"]) < GET_PAGE:
            return result
        offset += GET_PAGE


def segment_dirs(chroma_dir: Path, collection_id: str) -> list[Path]:
    """The embedded store's folders of one collection's segments (its vector index files)."""
    database = chroma_dir / "chroma.sqlite3"
    if not database.is_file():
        return []
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT id FROM segments WHERE collection = ?", (collection_id,))
        return [chroma_dir / row[0] for row in rows if (chroma_dir / row[0]).is_dir()]


def wipe_free_space(chroma_dir: Path) -> bool:
    """Rewrite the embedded store's database without its free pages (VACUUM), so documents of a
    deleted collection are gone from the file, not only unlinked. False if it stayed busy."""
    database = chroma_dir / "chroma.sqlite3"
    if not database.is_file():
        return True
    try:
        with contextlib.closing(sqlite3.connect(database, timeout=30)) as db:
            db.execute("VACUUM")
        return True
    except sqlite3.OperationalError:  # "database is locked": Chroma kept writing for 30 s
        return False
