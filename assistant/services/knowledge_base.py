"""The knowledge base: ingest notes and user documents into Chroma, and search them."""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.components.vector_store import get_all
from assistant.errors import BackendUnavailable, MentorPrepError
from assistant.services.documents import (
    Chunk,
    chunk_note,
    extract_text,
    load_knowledge,
    plain_document,
)
from assistant.services.retrieval import (
    CollectionSearcher,
    KnowledgeRetriever,
    Mode,
    Passage,
    search_collections,
)
from assistant.settings import REPO_ROOT, Settings, get_settings

BATCH = 128
log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class IngestReport:
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.added} chunks added, {self.removed} removed, {self.unchanged} unchanged "
            f"in {self.seconds:.2f} s"
        )


def user_collection_name(user_id: str, prefix: str = "mentorprep") -> str:
    """Each user's documents live in a collection of their own."""
    return f"{prefix}_user_" + hashlib.sha256(user_id.encode()).hexdigest()[:24]


class KnowledgeBase:
    """Ingest and search; one instance per process (see `get_knowledge_base`)."""

    def __init__(self, settings: Settings | None = None, knowledge_dir: Path | None = None) -> None:
        from assistant.components.embeddings import get_embeddings
        from assistant.components.vector_store import chroma_client

        self.settings = settings or get_settings()
        self.knowledge_dir = knowledge_dir or REPO_ROOT / "knowledge"
        self.embedder = get_embeddings()
        self._broken: str | None = None  # why the embedded store could not even be opened
        try:
            self.client = chroma_client(self.settings)
        except BackendUnavailable:
            raise
        except Exception as exc:  # an unreadable embedded store: rebuilt on first use
            if self.settings.chroma_url:
                raise
            self.client = None
            self._broken = f"{type(exc).__name__}: {exc}"
        self.knowledge_collection = f"{self.settings.collection_prefix}_knowledge"
        self._searchers: dict[str, CollectionSearcher] = {}
        self._lock = threading.Lock()

    def _user_collection(self, user_id: str) -> str:
        return user_collection_name(user_id, self.settings.collection_prefix)

    def _collection(self, name: str):
        if self.client is None:
            self.rebuild(self._broken or "the store could not be opened")
        # embeddings are computed here, never by Chroma (its default model downloads at run time)
        return self.client.get_or_create_collection(
            name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    def _sync(
        self, name: str, chunks: list[Chunk], where: dict | None, progress: Progress | None
    ) -> IngestReport:
        """Make the collection (or its `where` slice) hold exactly `chunks`, by content-hash id."""
        start = time.perf_counter()
        collection = self._collection(name)
        existing = set(get_all(collection, include=[], where=where)["ids"])
        wanted = {chunk.id: chunk for chunk in chunks}
        new = [chunk for cid, chunk in wanted.items() if cid not in existing]
        stale = sorted(existing - wanted.keys())
        for i in range(0, len(stale), BATCH * 8):
            collection.delete(ids=stale[i : i + BATCH * 8])
        for i in range(0, len(new), BATCH):
            batch = new[i : i + BATCH]
            vectors = self.embedder.embed([c.embedding_text() for c in batch])
            collection.add(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[c.metadata() for c in batch],
                embeddings=vectors,
            )
            if progress:
                progress(min(i + BATCH, len(new)), len(new))
        if new or stale:
            self._searchers.pop(name, None)
        return IngestReport(
            added=len(new),
            removed=len(stale),
            unchanged=len(wanted) - len(new),
            seconds=time.perf_counter() - start,
        )

    def ingest_knowledge(self, progress: Progress | None = None) -> IngestReport:
        """Sync the curated notes in `knowledge/` into the knowledge collection (idempotent)."""
        root = self.knowledge_dir.parent
        chunks = [c for note in load_knowledge(self.knowledge_dir, root) for c in chunk_note(note)]
        return self._sync(self.knowledge_collection, chunks, None, progress)

    def knowledge_size(self) -> int:
        return self._collection(self.knowledge_collection).count()

    def ensure_index(self, progress: Progress | None = None) -> IngestReport | None:
        """Build the index when it is empty (first start, or after the data home was wiped), and
        rebuild an embedded one that is unreadable or fails its probe, from `knowledge/` and the
        users' kept uploads. A Chroma server's index is its operator's: it is only reported."""
        if self._broken:
            return self.rebuild(self._broken, progress)
        try:
            if self.knowledge_size() == 0:  # first start, or the store was deleted
                report = self.ingest_knowledge(progress)
                self._restore_uploads()
                return report
            problem = self._probe()
        except BackendUnavailable:
            raise
        except Exception as exc:  # chromadb raises InternalError and others for a broken store
            problem = f"{type(exc).__name__}: {exc}"
        if problem is None:
            return None
        if self.settings.chroma_url:
            raise BackendUnavailable(
                f"The Chroma server at {self.settings.chroma_url} has a broken index ({problem}).",
                fix="repair or wipe the server's data, then run `mentorprep ingest`",
            )
        return self.rebuild(problem, progress)

    def _probe(self) -> str | None:
        """A stored chunk must find itself: catches an index that reads but returns garbage."""
        collection = self._collection(self.knowledge_collection)
        sample = collection.get(limit=1, include=["embeddings"])
        found = collection.query(query_embeddings=[sample["embeddings"][0]], n_results=1)
        if found["ids"][0][:1] != sample["ids"][:1]:
            return "a stored passage is not found by its own vector"
        return None

    def rebuild(self, reason: str, progress: Progress | None = None) -> IngestReport:
        """Move the broken embedded store aside and build it again: the notes from `knowledge/`,
        every user's uploads from the copies kept in the data home."""
        import chromadb

        from assistant.components.vector_store import chroma_client

        broken = self.settings.chroma_dir
        aside = broken.with_name(f"chroma.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        log.warning(
            "The vector index is broken (%s); moving it to %s and rebuilding.", reason, aside
        )
        with self._lock:
            self._searchers.clear()
            chromadb.api.client.SharedSystemClient.clear_system_cache()
            if broken.exists():
                broken.rename(aside)
            self.client = chroma_client(self.settings)
            self._broken = None
        report = self.ingest_knowledge(progress)
        self._restore_uploads()
        return report

    def _restore_uploads(self) -> None:
        """Index again every upload kept in the data home (idempotent: unchanged chunks stay)."""
        for folder in sorted(self._uploads_root().glob("*")):
            for path in sorted(folder.iterdir()):
                self._sync_document(folder.name, path.name, path.read_bytes())

    def _sync_document(
        self, collection: str, name: str, data: bytes, progress: Progress | None = None
    ) -> tuple[IngestReport, str]:
        """Index one uploaded file in `collection`; (report, the source name it is kept under)."""
        note = plain_document(extract_text(name, data), Path(name).name)
        return self._sync(
            collection, chunk_note(note), {"source": note.source}, progress
        ), note.source

    def _uploads_root(self) -> Path:
        return self.settings.home / "uploads"

    def add_user_document(
        self, user_id: str, name: str, data: bytes, progress: Progress | None = None
    ) -> IngestReport:
        """Add (or replace) one uploaded document in the user's private collection."""
        collection = self._user_collection(user_id)
        report, source = self._sync_document(collection, name, data, progress)
        if not self.settings.chroma_url:
            # kept, so a broken embedded index can be rebuilt without losing it. A Chroma server
            # keeps its own data (back it up), and an app instance's disk is not shared with the
            # other instances, whose "delete all my data" could not reach a copy kept here.
            kept = self._uploads_root() / collection / source
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_bytes(data)
        return report

    def user_documents(self, user_id: str) -> list[str]:
        metas = get_all(self._collection(self._user_collection(user_id)), include=["metadatas"])
        return sorted({m["source"] for m in metas["metadatas"] or []})

    def delete_user_data(self, user_id: str) -> None:
        """Remove every document (and vector) the user uploaded. In the embedded store, also the
        collection's index files, the database's free pages (where deleted documents would stay
        readable) and any folder a rebuild moved aside (it holds every user's documents)."""
        from chromadb.errors import NotFoundError

        from assistant.components.vector_store import segment_dirs, wipe_free_space

        name = self._user_collection(user_id)
        embedded = not self.settings.chroma_url and self.client is not None
        leftovers: list[Path] = []
        try:
            if embedded:
                collection_id = str(self.client.get_collection(name, embedding_function=None).id)
                leftovers = segment_dirs(self.settings.chroma_dir, collection_id)
            self.client.delete_collection(name)
        except NotFoundError:  # never uploaded anything: nothing to delete
            pass
        except Exception as exc:
            raise self._unavailable(exc) from exc
        self._searchers.pop(name, None)
        shutil.rmtree(self._uploads_root() / name, ignore_errors=True)
        if not embedded:
            return
        for folder in leftovers + sorted(self.settings.home.glob("chroma.broken-*")):
            shutil.rmtree(folder, ignore_errors=True)
        if not wipe_free_space(self.settings.chroma_dir):
            log.warning("The vector store stayed busy; its free pages are wiped next time.")

    def _searcher(self, name: str) -> CollectionSearcher:
        with self._lock:
            searcher = self._searchers.get(name)
            if searcher is not None and self.settings.chroma_url and not self._current(searcher):
                searcher = None  # another app instance changed it on the shared server
            if searcher is None:
                searcher = CollectionSearcher(self._collection(name), self.embedder)
                self._searchers[name] = searcher
            return searcher

    def _current(self, searcher: CollectionSearcher) -> bool:
        """Does a cached searcher still hold what the Chroma server holds? Chunk ids are content
        hashes, so the same collection with the same ids has the same passages."""
        collection = self._collection(searcher.collection.name)
        if collection.id != searcher.collection.id:  # deleted and made again
            return False
        return set(get_all(collection, include=[])["ids"]) == set(searcher.ids)

    def search(
        self,
        query: str,
        k: int = 5,
        workflow: str | None = None,
        mode: Mode = "hybrid",
        user_id: str | None = None,
    ) -> list[Passage]:
        """The `k` best passages for `query`, from the notes and the user's own documents."""
        try:
            searchers = [self._searcher(self.knowledge_collection)]
            if user_id:
                searchers.append(self._searcher(self._user_collection(user_id)))
            return search_collections(searchers, self.embedder, query, k, workflow, mode)
        except MentorPrepError:
            raise
        except Exception as exc:
            if not self.settings.chroma_url:
                raise
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: Exception) -> BackendUnavailable:
        where = self.settings.chroma_url or str(self.settings.chroma_dir)
        return BackendUnavailable(
            f"The vector store at {where} failed ({type(exc).__name__}).",
            fix="check that the Chroma server is running (`chroma run ...`), then try again"
            if self.settings.chroma_url
            else "run `mentorprep doctor`; restarting rebuilds a broken index",
        )

    def retriever(self, k: int = 4, workflow: str | None = None, user_id: str | None = None):
        """A LangChain retriever over this knowledge base."""
        return KnowledgeRetriever(knowledge_base=self, k=k, workflow=workflow, user_id=user_id)


_instance: KnowledgeBase | None = None
_instance_lock = threading.Lock()


def get_knowledge_base() -> KnowledgeBase:
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = KnowledgeBase()
        return _instance


def reset_knowledge_base() -> None:
    global _instance
    with _instance_lock:
        _instance = None
