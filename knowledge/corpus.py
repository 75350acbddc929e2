"""The guidance corpus: Markdown files with YAML front matter, split into passages.

Format (docs in ``knowledge/guidance/*.md``): a file ``<doc-slug>.md`` opens with front
matter holding ``title``, ``topic`` and ``tags``; then an optional intro paragraph (not
indexed); then sections, each a ``## Heading`` and its body. Deeper headings are not
allowed. Each section becomes one :class:`Passage` with the stable id
``<doc-slug>#<section-slug>``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.errors import CorpusError

TOPICS = frozenset({
    "goals", "okrs", "one-on-ones", "feedback", "coaching", "reviews", "bias",
    "intervention", "edge-cases", "kpis", "surveys", "manager-as-coach",
})
DOC_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def slugify(heading: str) -> str:
    """Lowercase; every run of characters other than a-z and 0-9 becomes one hyphen; trim hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


@dataclass(frozen=True)
class Passage:
    """One retrievable section of a guidance document."""

    id: str
    doc: str
    title: str
    section: str
    topic: str
    tags: tuple[str, ...]
    text: str
    path: str
    line: int

    @property
    def words(self) -> int:
        return len(self.text.split())


def default_corpus_dir() -> Path:
    """The guidance folder shipped inside the ``knowledge`` package."""
    return Path(__file__).resolve().parent / "guidance"


def _front_matter(path: Path, lines: list[str]) -> tuple[dict, int]:
    """The parsed front matter and the index of the first line after it."""
    if not lines or lines[0].strip() != "---":
        raise CorpusError(path, 1, "missing front matter: the file must start with a '---' line")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise CorpusError(path, 1, "front matter is not closed by a '---' line")
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        raise CorpusError(path, line, f"malformed front matter: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(meta, dict):
        raise CorpusError(path, 2, "malformed front matter: expected 'key: value' lines")

    def line_of(key: str) -> int:
        return next((i + 1 for i in range(1, end) if lines[i].startswith(f"{key}:")), 1)

    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise CorpusError(path, line_of("title"), "front matter needs a non-empty 'title'")
    topic = meta.get("topic")
    if topic not in TOPICS:
        raise CorpusError(
            path, line_of("topic"), f"front matter 'topic' is {topic!r}; use one of {', '.join(sorted(TOPICS))}"
        )
    tags = meta.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise CorpusError(path, line_of("tags"), "front matter 'tags' must be a list of words, e.g. [smart, goals]")
    return {"title": title.strip(), "topic": topic, "tags": tuple(t.strip() for t in tags)}, end + 1


def parse_document(path: Path, text: str | None = None) -> list[Passage]:
    """The passages of one guidance file; raises :class:`CorpusError` naming file and line."""
    path = Path(path)
    doc = path.stem
    if not DOC_SLUG.match(doc):
        raise CorpusError(path, None, "file name must be '<doc-slug>.md' in lowercase letters, digits and hyphens")
    lines = (path.read_text(encoding="utf-8") if text is None else text).splitlines()
    meta, start = _front_matter(path, lines)

    sections: list[tuple[str, int, list[str]]] = []  # heading, line, body lines
    in_fence = False
    for number, line in enumerate(lines[start:], start=start + 1):
        if FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else HEADING.match(line)
        if match is None:
            if sections:
                sections[-1][2].append(line)
            continue
        level, heading = len(match.group(1)), match.group(2)
        if level != 2:
            raise CorpusError(
                path, number, f"'{'#' * level}' heading {heading!r}: only '## ' section headings are allowed"
            )
        sections.append((heading, number, []))
    if not sections:
        raise CorpusError(path, None, "no '## ' sections: each section becomes one passage")

    passages: list[Passage] = []
    seen: dict[str, int] = {}
    for heading, number, body in sections:
        slug = slugify(heading)
        if not slug:
            raise CorpusError(path, number, f"heading {heading!r} has no letters or digits to make an id from")
        if slug in seen:
            raise CorpusError(path, number, f"duplicate section id '{doc}#{slug}' (first at line {seen[slug]})")
        seen[slug] = number
        body_text = "\n".join(body).strip()
        if not body_text:
            raise CorpusError(path, number, f"section {heading!r} is empty")
        passages.append(Passage(
            id=f"{doc}#{slug}", doc=doc, title=meta["title"], section=heading, topic=meta["topic"],
            tags=meta["tags"], text=body_text, path=str(path), line=number,
        ))
    return passages


def load_corpus(directory: Path | None = None) -> list[Passage]:
    """Every passage of every ``*.md`` file in ``directory`` (default: the packaged corpus), sorted by file."""
    directory = Path(directory) if directory is not None else default_corpus_dir()
    if not directory.is_dir():
        raise CorpusError(directory, None, "corpus folder does not exist")
    paths = sorted(directory.glob("*.md"))
    if not paths:
        raise CorpusError(directory, None, "corpus folder holds no '*.md' guidance files")
    passages = [passage for path in paths for passage in parse_document(path)]
    check_unique(passages)
    return passages


def check_unique(passages: list[Passage]) -> None:
    """Raise :class:`CorpusError` at the second passage that reuses an id (e.g. two folders' ``goals.md``)."""
    first: dict[str, Passage] = {}
    for passage in passages:
        if passage.id in first:
            other = first[passage.id]
            raise CorpusError(
                passage.path, passage.line, f"duplicate passage id {passage.id!r} (also at {other.path}:{other.line})"
            )
        first[passage.id] = passage


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def split_sentences(text: str, min_words: int = 4) -> list[str]:
    """The sentences of a passage body; list items count as sentences, fragments shorter
    than ``min_words`` join the sentence before them."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        items: list[str] = []
        for line in paragraph.splitlines():
            if _LIST_ITEM.match(line) or not items:
                items.append(_LIST_ITEM.sub("", line).strip())
            else:
                items[-1] += " " + line.strip()
        for item in items:
            pieces.extend(s.strip() for s in _SENTENCE_END.split(item) if s.strip())
    sentences: list[str] = []
    for piece in pieces:
        if sentences and len(piece.split()) < min_words:
            sentences[-1] += " " + piece
        else:
            sentences.append(piece)
    return sentences
