"""Errors of the knowledge base, each worded so a user can act on it."""
from __future__ import annotations


class KnowledgeError(Exception):
    """A knowledge-base failure with a message fit to show as one line."""


class EmbeddingModelMissing(KnowledgeError):
    """The packaged embedding model or tokenizer is absent or corrupt."""


class CorpusError(KnowledgeError):
    """A guidance file or labelled question breaks the format; the message names file and line."""

    def __init__(self, path: object, line: int | None, message: str) -> None:
        self.path, self.line = str(path), line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class IndexNotReady(KnowledgeError):
    """The guidance index was never built (or cannot be reached)."""
