"""Hybrid retrieval: BM25 and dense (MiniLM + Chroma) rankings fused by reciprocal rank fusion."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.components.bm25 import BM25Index
from assistant.components.vector_store import get_all
from assistant.services.documents import indexed_text

Mode = Literal["hybrid", "dense", "bm25"]
RRF_K = 60
CANDIDATES = 40
PER_NOTE = 1  # one passage per note, so answers draw on varied guidance


@dataclass
class Passage:
    """A retrieved chunk, with what a citation needs."""

    text: str
    source: str
    title: str
    section: str
    note_id: str
    score: float
    id: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


class CollectionSearcher:
    """Searches one Chroma collection; the BM25 side is built from the collection's contents."""

    def __init__(self, collection, embedder) -> None:
        self.collection = collection
        self.embedder = embedder
        data = get_all(collection, include=["documents", "metadatas"])
        self.ids: list[str] = data["ids"]
        self.texts: list[str] = data["documents"] or []
        self.metas: list[dict] = data["metadatas"] or []
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        self.bm25 = BM25Index(
            [indexed_text(m, t) for m, t in zip(self.metas, self.texts, strict=True)]
        )
        self._masks: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def _mask(self, workflow: str | None) -> np.ndarray | None:
        if workflow is None:
            return None
        if workflow not in self._masks:
            key = f"wf_{workflow}"
            self._masks[workflow] = np.array([bool(m.get(key)) for m in self.metas], dtype=bool)
        return self._masks[workflow]

    def dense(self, query_vector: list[float], n: int, workflow: str | None) -> list[str]:
        if not self.ids:
            return []
        result = self.collection.query(
            query_embeddings=[query_vector],
            n_results=min(n, len(self.ids)),
            where={f"wf_{workflow}": True} if workflow else None,
            include=[],
        )
        return result["ids"][0]

    def lexical(self, query: str, n: int, workflow: str | None) -> list[str]:
        return [self.ids[i] for i, _ in self.bm25.top(query, n, self._mask(workflow))]

    def passage(self, chunk_id: str, score: float) -> Passage:
        i = self.position[chunk_id]
        meta = self.metas[i]
        return Passage(
            text=self.texts[i],
            source=str(meta.get("source", "")),
            title=str(meta.get("title", "")),
            section=str(meta.get("section", "")),
            note_id=str(meta.get("note_id", "")),
            score=round(score, 6),
            id=chunk_id,
        )


def fuse(rankings: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of 1 / (k + rank) over the rankings that hold an item."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def search_collections(
    searchers: list[CollectionSearcher],
    embedder,
    query: str,
    k: int = 5,
    workflow: str | None = None,
    mode: Mode = "hybrid",
) -> list[Passage]:
    """Search several collections (knowledge + a user's documents) as one ranked list."""
    searchers = [s for s in searchers if len(s)]
    if not query.strip() or not searchers:
        return []
    vector = embedder.embed([query])[0].tolist() if mode != "bm25" else None
    rankings: list[list[str]] = []
    owner: dict[str, CollectionSearcher] = {}
    for searcher in searchers:
        for cid in searcher.ids:
            owner.setdefault(cid, searcher)
        if mode != "bm25":
            rankings.append(searcher.dense(vector, CANDIDATES, workflow))
        if mode != "dense":
            rankings.append(searcher.lexical(query, CANDIDATES, workflow))
    passages: list[Passage] = []
    per_note: dict[str, int] = {}
    for cid, score in fuse(rankings):
        passage = owner[cid].passage(cid, score)
        if per_note.get(passage.note_id, 0) < PER_NOTE:
            per_note[passage.note_id] = per_note.get(passage.note_id, 0) + 1
            passages.append(passage)
            if len(passages) == k:
                break
    return passages


class KnowledgeRetriever(BaseRetriever):
    """LangChain retriever over the knowledge base (and optionally one user's documents)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    knowledge_base: object
    k: int = 4
    workflow: str | None = None
    user_id: str | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        passages = self.knowledge_base.search(  # type: ignore[attr-defined]
            query, k=self.k, workflow=self.workflow, user_id=self.user_id
        )
        return [
            Document(
                page_content=p.text, metadata={k: v for k, v in p.to_dict().items() if k != "text"}
            )
            for p in passages
        ]
