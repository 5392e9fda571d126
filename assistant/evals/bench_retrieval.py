"""The benchmark's retrieval figures: hybrid search against raw Chroma at growing corpus sizes,
and the time to ingest the knowledge notes."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

Log = Callable[[str], None]


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


# Retrieval at scale: hybrid search vs raw Chroma ---------------------------------------------


def _synthetic(n: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    from assistant.text.words import STOPWORDS

    words = sorted(
        {
            w
            for path in (Path(__file__).parents[2] / "knowledge").glob("*.md")
            for w in path.read_text().lower().split()
            if w.isalpha() and w not in STOPWORDS
        }
    )
    picks = rng.integers(0, len(words), size=(n, 60))
    texts = [" ".join(words[i] for i in row) for row in picks]
    vectors = rng.standard_normal((n, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return texts, vectors


def retrieval_scale(sizes: list[int], queries: int, log: Log, questions: list[str]) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from assistant.components.embeddings import get_embeddings
    from assistant.services.retrieval import CollectionSearcher, search_collections

    embedder = get_embeddings()
    rng = np.random.default_rng(7)
    questions = questions * (queries // 9 + 1)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        client = chromadb.PersistentClient(
            folder, settings=ChromaSettings(anonymized_telemetry=False)
        )
        for size in sizes:
            texts, vectors = _synthetic(size, rng)
            collection = client.create_collection(
                f"bench{size}", embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
            t0 = time.perf_counter()
            for i in range(0, size, 5000):
                collection.add(
                    ids=[f"c{j}" for j in range(i, min(i + 5000, size))],
                    documents=texts[i : i + 5000],
                    embeddings=vectors[i : i + 5000],
                    metadatas=[
                        {
                            "title": "t",
                            "section": "s",
                            "source": "x",
                            "note_id": "n",
                            "wf_clarify": True,
                        }
                    ]
                    * len(texts[i : i + 5000]),
                )
            add_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            searcher = CollectionSearcher(collection, embedder)
            index_s = time.perf_counter() - t0
            app, raw = [], []
            for q in questions[:queries]:
                t0 = time.perf_counter()
                search_collections([searcher], embedder, q, k=5)
                app.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                collection.query(query_embeddings=embedder.embed([q]), n_results=5)
                raw.append((time.perf_counter() - t0) * 1000)
            results[str(size)] = {
                "hybrid_p50_ms": _p(app, 50),
                "hybrid_p95_ms": _p(app, 95),
                "raw_p50_ms": _p(raw, 50),
                "raw_p95_ms": _p(raw, 95),
                "p95_ratio": _p(app, 95) / _p(raw, 95),
                "chroma_add_s": add_s,
                "bm25_build_s": index_s,
            }
            log(f"  {size} chunks: hybrid p95 {_p(app, 95):.1f} ms, raw {_p(raw, 95):.1f} ms")
            client.delete_collection(f"bench{size}")
    return results


def ingest(log: Log) -> dict:
    from assistant.services.knowledge_base import KnowledgeBase
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory() as home:
        kb = KnowledgeBase(Settings(home=Path(home), chroma_url=""))
        first = kb.ingest_knowledge()
        again = kb.ingest_knowledge()
    log(f"  {first}; again: {again}")
    return {
        "chunks": first.added,
        "seconds": first.seconds,
        "chunks_per_s": first.added / first.seconds,
        "unchanged_reingest_s": again.seconds,
    }
