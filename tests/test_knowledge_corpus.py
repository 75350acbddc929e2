"""Parsing the guidance corpus: passages, ids, and every format error with its file and line."""
from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.corpus import TOPICS, check_unique, load_corpus, parse_document, slugify
from knowledge.errors import CorpusError

FIXTURES = Path(__file__).parent / "fixtures" / "guidance"
HEAD = "---\ntitle: Test doc\ntopic: goals\ntags: [a, b]\n---\n"
BODY = "Some body text that says something useful about goals.\n"


def write(tmp_path: Path, text: str, name: str = "test-doc.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_corpus_passages():
    passages = load_corpus(FIXTURES)
    assert [p.id for p in passages] == [
        "giving-feedback#describe-the-behaviour-not-the-person",
        "giving-feedback#timing-of-feedback",
        "giving-feedback#when-the-report-disagrees",
        "okr-scoring#the-zero-to-one-scale",
        "okr-scoring#mid-quarter-confidence-checks",
        "okr-scoring#committed-versus-aspirational-key-results",
        "one-on-one-meetings#cadence-and-length",
        "one-on-one-meetings#whose-agenda-it-is",
        "one-on-one-meetings#keeping-notes",
    ]
    first = passages[0]
    assert (first.doc, first.title, first.section, first.topic, first.tags, first.line) == (
        "giving-feedback", "Giving feedback that lands", "Describe the behaviour, not the person", "feedback",
        ("feedback", "conversations"), 9,
    )
    assert first.text.startswith("Feedback that names a personality trait")
    assert first.text.endswith("coloured by bias.")
    assert "A short guide" not in " ".join(p.text for p in passages)  # the intro is not a passage


@pytest.mark.parametrize(("heading", "slug"), [
    ("Weak versus strong examples", "weak-versus-strong-examples"),
    ("Scoring key results from 0 to 1.0", "scoring-key-results-from-0-to-1-0"),
    ("  The purpose of a 1:1 --- (really)! ", "the-purpose-of-a-1-1-really"),
    ("Asking for the other person's view", "asking-for-the-other-person-s-view"),
    ("Über café", "ber-caf"),
])
def test_slugify(heading, slug):
    assert slugify(heading) == slug


def test_ids_follow_the_rules_example(tmp_path):
    path = write(tmp_path, HEAD + "## Weak versus strong examples\n" + BODY, "smart-goals.md")
    assert [p.id for p in parse_document(path)] == ["smart-goals#weak-versus-strong-examples"]


def test_headings_inside_code_fences_are_text(tmp_path):
    path = write(tmp_path, HEAD + "## Example\n" + BODY + "```\n### not a heading\n## nor this\n```\n")
    (passage,) = parse_document(path)
    assert "### not a heading" in passage.text


def test_closing_hashes_are_dropped_but_c_sharp_stays(tmp_path):
    path = write(tmp_path, HEAD + "## Habits ##\n" + BODY + "## Goals for C#\n" + BODY)
    assert [p.section for p in parse_document(path)] == ["Habits", "Goals for C#"]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("title: x\n## A\n" + BODY, 1, "missing front matter: the file must start with a '---' line"),
    ("---\ntitle: x\ntopic: goals\n## A\n" + BODY, 1, "front matter is not closed by a '---' line"),
    ("---\ntitle: [unclosed\ntopic: goals\n---\n## A\n" + BODY, 3, "malformed front matter"),
    ("---\n- just\n- a list\n---\n## A\n" + BODY, 2, "malformed front matter: expected 'key: value' lines"),
    ("---\ntopic: goals\ntags: []\n---\n## A\n" + BODY, 1, "front matter needs a non-empty 'title'"),
    ("---\ntopic: goals\ntitle: '  '\n---\n## A\n" + BODY, 3, "front matter needs a non-empty 'title'"),
    ("---\ntitle: x\ntopic: golf\n---\n## A\n" + BODY, 3, "front matter 'topic' is 'golf'; use one of"),
    ("---\ntitle: x\ntopic: goals\ntags: smart\n---\n## A\n" + BODY, 4, "front matter 'tags' must be a list"),
    (HEAD + "## A\n" + BODY + "### Deeper\n" + BODY, 8, "'###' heading 'Deeper': only '## ' section headings"),
    (HEAD + "# Title again\n## A\n" + BODY, 6, "'#' heading 'Title again'"),
    (HEAD + "## A\n" + BODY + "## Empty one\n\n   \n## C\n" + BODY, 8, "section 'Empty one' is empty"),
    (HEAD + "## A\n" + BODY + "## Empty last\n", 8, "section 'Empty last' is empty"),
    (HEAD + "## Same thing\n" + BODY + "## Same  thing!\n" + BODY, 8,
     "duplicate section id 'test-doc#same-thing' (first at line 6)"),
    (HEAD + "## ???\n" + BODY, 6, "heading '???' has no letters or digits"),
])
def test_format_errors_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(CorpusError) as err:
        parse_document(path)
    assert str(err.value).startswith(f"{path}:{line}: {message}")
    assert (err.value.path, err.value.line) == (str(path), line)


def test_file_without_sections_or_with_bad_name(tmp_path):
    with pytest.raises(CorpusError, match=r"test-doc\.md: no '## ' sections"):
        parse_document(write(tmp_path, HEAD + "Only an intro.\n"))
    with pytest.raises(CorpusError, match=r"Bad Name\.md: file name must be '<doc-slug>\.md'"):
        parse_document(write(tmp_path, HEAD + "## A\n" + BODY, "Bad Name.md"))


def test_duplicate_ids_across_files(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = write(tmp_path / "one", HEAD + "## A\n" + BODY, "goals.md")
    second = write(tmp_path / "two", HEAD + "## B\n" + BODY + "## A\n" + BODY, "goals.md")
    with pytest.raises(CorpusError) as err:
        check_unique(parse_document(first) + parse_document(second))
    assert str(err.value) == f"{second}:8: duplicate passage id 'goals#a' (also at {first}:6)"


def test_missing_or_empty_corpus_folder(tmp_path):
    with pytest.raises(CorpusError, match="corpus folder does not exist"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match=r"holds no '\*\.md' guidance files"):
        load_corpus(tmp_path)


def test_packaged_corpus_follows_the_format():
    """The shipped guidance parses, and every section is 60 to 220 words as the format asks."""
    passages = load_corpus()
    assert len({p.doc for p in passages}) >= 3
    assert {p.topic for p in passages} <= TOPICS
    wrong = [(p.id, p.words) for p in passages if not 60 <= p.words <= 220]
    assert wrong == []
