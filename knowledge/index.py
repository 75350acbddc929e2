"""The guidance index in Chroma: safe ingest (build aside, verify, switch) and hybrid search.

Each ingest builds a fresh collection ``coach_guidance_<stamp>``, verifies it, then points
the tiny pointer collection ``coach_guidance_active`` (its metadata ``active``) at it and
drops the previous one. Until the switch, searches keep using the previous collection,
so a failed ingest changes nothing. The same scheme works embedded and against a server.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from knowledge.corpus import Passage, check_unique
from knowledge.embeddings import MODEL_NAME, MiniLMEmbedding, embed
from knowledge.errors import IndexNotReady, KnowledgeError
from knowledge.lexical import BM25, rrf

POINTER = "coach_guidance_active"
PREFIX = "coach_guidance_"
TEXT_FORMAT = "title-section-text/1"  # bump when embedded_text() changes, so every vector is rebuilt
BATCH = 32
VECTOR_POOL = 30  # vector candidates fused with the lexical ranking
LEXICAL_WEIGHT = 1.0
RRF_K = 60
NOT_INGESTED = "The guidance index is empty: run `coach ingest` first."

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SearchHit:
    """One retrieved passage. ``score`` orders the hits (fused RRF score, or the cosine
    similarity when hybrid is off); ``similarity`` is the cosine similarity to the query
    when the passage was among the vector candidates, else ``None``."""

    id: str
    doc: str
    title: str
    section: str
    topic: str
    text: str
    score: float
    similarity: float | None


@dataclass(frozen=True)
class IngestReport:
    added: int
    updated: int
    unchanged: int
    removed: int
    total: int
    collection: str

    @property
    def counts(self) -> dict[str, int]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed}


def embedded_text(passage: Passage) -> str:
    """What is embedded for a passage: title and heading give the section its context."""
    return f"{passage.title}: {passage.section}.\n{passage.text}"


def content_hash(passage: Passage) -> str:
    fields = [MODEL_NAME, TEXT_FORMAT, embedded_text(passage), passage.topic, list(passage.tags)]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


def _metadata(passage: Passage) -> dict[str, Any]:
    return {
        "doc": passage.doc, "title": passage.title, "section": passage.section, "topic": passage.topic,
        "tags": ",".join(passage.tags), "hash": content_hash(passage),
    }


@dataclass
class _Loaded:
    """The active collection and what search needs of it, kept until the pointer moves."""

    name: str
    collection: Any
    ids: list[str]
    hits: dict[str, dict[str, Any]]  # id -> metadata plus "text"
    bm25: BM25


class GuidanceIndex:
    """Search and ingest over one Chroma client (embedded or server)."""

    def __init__(self, client: Any, *, hybrid: bool = True, embedding: MiniLMEmbedding | None = None) -> None:
        self.client = client
        self.hybrid = hybrid
        self.embedding = embedding or MiniLMEmbedding()
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    # -- the active pointer -------------------------------------------------------------
    def active_name(self) -> str | None:
        """Name of the collection searches use, or ``None`` before the first ingest."""
        from chromadb.errors import NotFoundError

        try:
            pointer = self.client.get_collection(POINTER, embedding_function=self.embedding)
        except NotFoundError:
            return None
        return (pointer.metadata or {}).get("active")

    def _point_to(self, name: str) -> None:
        meta = {"active": name, "switched": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        pointer = self.client.get_or_create_collection(POINTER, embedding_function=self.embedding)
        pointer.modify(metadata=meta)

    def _open(self, name: str) -> Any:
        return self.client.get_collection(name, embedding_function=self.embedding)

    def _load(self) -> _Loaded:
        name = self.active_name()
        if name is None:
            raise IndexNotReady(NOT_INGESTED)
        with self._lock:
            if self._loaded is None or self._loaded.name != name:
                collection = self._open(name)
                got = collection.get(include=["documents", "metadatas"])
                hits = {i: {**m, "text": d} for i, m, d in zip(got["ids"], got["metadatas"], got["documents"])}
                ids = sorted(hits)
                self._loaded = _Loaded(name, collection, ids, hits, BM25([self._lexical_text(hits[i]) for i in ids]))
            return self._loaded

    @staticmethod
    def _lexical_text(hit: dict[str, Any]) -> str:
        return f"{hit['title']} {hit['section']} {hit['section']} {hit['tags'].replace(',', ' ')} {hit['text']}"

    # -- search -----------------------------------------------------------------------------
    def search(self, query: str, k: int = 4) -> list[SearchHit]:
        """The ``k`` passages that best answer ``query``, best first."""
        if not query.strip():
            raise KnowledgeError("The guidance search needs a question or some keywords.")
        if k < 1:
            raise KnowledgeError(f"k must be at least 1 (got {k}).")
        loaded = self._load()
        pool = min(len(loaded.ids), max(k, VECTOR_POOL))
        result = loaded.collection.query(query_texts=[query], n_results=pool, include=["distances"])
        vector_ids = result["ids"][0]
        similarity = {i: 1.0 - d for i, d in zip(vector_ids, result["distances"][0])}
        if self.hybrid:
            lexical = loaded.bm25.scores(query)
            order = sorted((i for i in range(len(lexical)) if lexical[i] > 0), key=lambda i: -lexical[i])
            lexical_ids = [loaded.ids[i] for i in order[:pool]]
            ranked = rrf([(vector_ids, 1.0), (lexical_ids, LEXICAL_WEIGHT)], k=RRF_K)
        else:
            ranked = [(i, similarity[i]) for i in vector_ids]
        hits = []
        for passage_id, score in ranked[:k]:
            meta = loaded.hits[passage_id]
            hits.append(SearchHit(
                id=passage_id, doc=meta["doc"], title=meta["title"], section=meta["section"], topic=meta["topic"],
                text=meta["text"], score=round(score, 6), similarity=similarity.get(passage_id),
            ))
        return hits

    # -- ingest -------------------------------------------------------------------------------
    def ingest(self, passages: Iterable[Passage], progress: Progress | None = None) -> IngestReport:
        """Make the index hold exactly ``passages``; counts compare with the previous index.

        Unchanged passages keep their vectors; nothing changes if nothing differs. On any
        failure the half-built collection is dropped and the previous index keeps serving.
        """
        passages = list(passages)
        if not passages:
            raise KnowledgeError("Nothing to ingest: the corpus has no passages.")
        check_unique(passages)
        report_progress = progress or (lambda done, total: None)
        old_name = self.active_name()
        old_hashes: dict[str, str] = {}
        if old_name is not None:
            got = self._open(old_name).get(include=["metadatas"])
            old_hashes = {i: m.get("hash", "") for i, m in zip(got["ids"], got["metadatas"])}
        new_hashes = {p.id: content_hash(p) for p in passages}
        unchanged = [i for i, h in new_hashes.items() if old_hashes.get(i) == h]
        added = sum(1 for i in new_hashes if i not in old_hashes)
        removed = sum(1 for i in old_hashes if i not in new_hashes)
        total = len(passages)
        if old_name is not None and len(unchanged) == total and not removed:
            report_progress(total, total)
            return IngestReport(0, 0, total, 0, total, old_name)

        name = f"{PREFIX}{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:8]}"
        collection = self.client.create_collection(
            name, embedding_function=self.embedding, configuration={"hnsw": {"space": "cosine"}},
            metadata={"model": MODEL_NAME, "text_format": TEXT_FORMAT},
        )
        try:
            reused = self._reuse_vectors(old_name, unchanged)
            done = 0
            report_progress(done, total)
            for start in range(0, total, BATCH):
                batch = passages[start : start + BATCH]
                fresh = [p for p in batch if p.id not in reused]
                vectors = dict(zip((p.id for p in fresh), embed([embedded_text(p) for p in fresh])))
                collection.add(
                    ids=[p.id for p in batch],
                    embeddings=[reused[p.id] if p.id in reused else vectors[p.id] for p in batch],
                    documents=[p.text for p in batch],
                    metadatas=[_metadata(p) for p in batch],
                )
                done += len(batch)
                report_progress(done, total)
            self._verify(collection, passages)
            self._point_to(name)
        except BaseException:
            self._drop(name)
            raise
        self._sweep(keep=name)
        return IngestReport(added, total - added - len(unchanged), len(unchanged), removed, total, name)

    def _reuse_vectors(self, old_name: str | None, ids: list[str]) -> dict[str, Any]:
        if old_name is None or not ids:
            return {}
        got = self._open(old_name).get(ids=ids, include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"]))

    def _verify(self, collection: Any, passages: list[Passage]) -> None:
        """The new collection must hold every id once, and find a passage by its own text."""
        expected = {p.id for p in passages}
        held = set(collection.get(include=[])["ids"])
        if held != expected or collection.count() != len(expected):
            raise KnowledgeError(f"The new guidance index holds {len(held)} of {len(expected)} passages; kept the old one.")
        probe = passages[0]
        top = collection.query(query_embeddings=embed([embedded_text(probe)]), n_results=1, include=[])["ids"][0]
        if top != [probe.id]:
            raise KnowledgeError(f"The new guidance index does not find {probe.id!r} by its own text; kept the old one.")

    def _drop(self, name: str) -> None:
        try:
            self.client.delete_collection(name)
        except Exception:  # noqa: BLE001 - best effort; a later ingest sweeps leftovers
            pass

    def _sweep(self, keep: str) -> None:
        """Drop every guidance collection except the active one (the previous index, failed builds)."""
        for collection in self.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(PREFIX) and name not in (keep, POINTER):
                self._drop(name)


def _client(path: Path, url: str | None, *, create: bool) -> Any:
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if url:
        parts = urlparse(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise KnowledgeError(f"COACH_CHROMA_URL must look like http://host:port (got {url!r}).")
        port = parts.port or (443 if parts.scheme == "https" else 8000)
        try:
            return chromadb.HttpClient(
                host=parts.hostname, port=port, ssl=parts.scheme == "https", settings=settings
            )
        except Exception as exc:  # noqa: BLE001 - chromadb raises several types for an unreachable server
            raise IndexNotReady(f"Cannot reach the Chroma server at {url}: {exc}") from exc
    if not create and not path.is_dir():
        raise IndexNotReady(NOT_INGESTED)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def open_index(path: Path, url: str | None = None, *, hybrid: bool = True, create: bool = True) -> GuidanceIndex:
    """The guidance index on the Chroma server at ``url``, else embedded at ``path``.

    With ``create=False`` a missing embedded folder raises :class:`IndexNotReady`
    instead of being created (for read-only callers such as ``coach guide``).
    """
    return GuidanceIndex(_client(Path(path), url, create=create), hybrid=hybrid)
