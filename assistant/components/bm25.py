"""A small in-memory BM25 index (Okapi BM25 over an inverted index with numpy postings)."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from assistant.text.words import STOPWORDS, stem

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("’", "'"))
    return [stem(w.split("'")[0]) for w in words if w not in STOPWORDS]


class BM25Index:
    """Okapi BM25 (k1=1.5, b=0.75) over a fixed list of documents."""

    def __init__(self, documents: list[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.size = len(documents)
        self.k1, self.b = k1, b
        postings: dict[str, tuple[list[int], list[int]]] = {}
        lengths = np.zeros(self.size, dtype=np.float32)
        for index, text in enumerate(documents):
            counts = Counter(tokenize(text))
            lengths[index] = sum(counts.values())
            for term, tf in counts.items():
                docs, tfs = postings.setdefault(term, ([], []))
                docs.append(index)
                tfs.append(tf)
        average = float(lengths.mean()) if self.size else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(average, 1e-9))
        self._postings = {
            term: (
                np.array(docs, dtype=np.int32),
                np.array(tfs, dtype=np.float32),
                math.log(1 + (self.size - len(docs) + 0.5) / (len(docs) + 0.5)),
            )
            for term, (docs, tfs) in postings.items()
        }

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for `query` (zeros where no term matches)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term in set(tokenize(query)):
            entry = self._postings.get(term)
            if entry is None:
                continue
            docs, tfs, idf = entry
            scores[docs] += idf * tfs * (self.k1 + 1) / (tfs + self._norm[docs])
        return scores

    def top(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The `n` best (index, score) pairs with a positive score, optionally within `mask`."""
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, int(np.count_nonzero(scores)))
        if n == 0:
            return []
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best])]
        return [(int(i), float(scores[i])) for i in best]
