"""The Chroma guidance index: idempotent, safe ingest and retrieval, embedded and via a server."""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from servers import free_port, serving

from knowledge import index as index_module
from knowledge.corpus import load_corpus
from knowledge.errors import IndexNotReady, KnowledgeError
from knowledge.index import POINTER, PREFIX, embedded_text, open_index, sentence_texts

FIXTURES = Path(__file__).parent / "fixtures" / "guidance"

PARAPHRASES = [
    ("my direct report argued with my criticism, what do I do now?", "giving-feedback#when-the-report-disagrees"),
    ("should I save a problem I noticed for the annual review?", "giving-feedback#timing-of-feedback"),
    ("who decides what we talk about in our private weekly meeting?", "one-on-one-meetings#whose-agenda-it-is"),
    ("we landed 0.7 on a stretch target - is that a bad result?", "okr-scoring#the-zero-to-one-scale"),
    ("halfway through the quarter, how sure is the team that it will make it?", "okr-scoring#mid-quarter-confidence-checks"),
    ("is it worth keeping a written record of what we decide in our catch-ups?", "one-on-one-meetings#keeping-notes"),
]


@pytest.fixture
def passages():
    return load_corpus(FIXTURES)


@pytest.fixture
def index(tmp_path):
    return open_index(tmp_path / "chroma")


def guidance_collections(index) -> set[str]:
    return {c.name for c in index.client.list_collections() if c.name.startswith(PREFIX)}


def test_ingest_counts_are_idempotent(index, passages):
    first = index.ingest(passages)
    assert first.counts == {"added": 9, "updated": 0, "unchanged": 0, "removed": 0} and first.total == 9
    again = index.ingest(passages)
    assert again.counts == {"added": 0, "updated": 0, "unchanged": 9, "removed": 0}
    assert again.collection == first.collection == index.active_name()
    assert guidance_collections(index) == {POINTER, first.collection}


def test_changed_corpus_counts_and_keeps_unchanged_vectors(index, passages, monkeypatch):
    index.ingest(passages)
    changed = [replace(passages[0], text=passages[0].text + " Extra sentence.")] + passages[1:7]
    added = replace(passages[8], id="giving-feedback#new-section", section="New section")
    embedded: list[str] = []
    real_embed = index_module.embed
    monkeypatch.setattr(index_module, "embed", lambda texts, **kw: embedded.extend(texts) or real_embed(texts, **kw))

    report = index.ingest(changed + [added])
    assert report.counts == {"added": 1, "updated": 1, "unchanged": 6, "removed": 2} and report.total == 8
    fresh = [embedded_text(changed[0]), *sentence_texts(changed[0]), embedded_text(added), *sentence_texts(added)]
    assert sorted(embedded) == sorted(fresh + [embedded_text(changed[0])])  # plus the verification probe
    assert index.client.get_collection(report.collection).count() == sum(1 + len(sentence_texts(p)) for p in changed + [added])
    assert index.search("Extra sentence behaviour not the person personality trait", k=1)[0].text.endswith(
        "Extra sentence."
    )
    assert guidance_collections(index) == {POINTER, report.collection}


@pytest.mark.parametrize("hybrid", [True, False], ids=["hybrid", "vector"])
def test_paraphrased_questions_find_their_passage(index, passages, hybrid):
    index.ingest(passages)
    index.hybrid = hybrid
    for question, gold in PARAPHRASES:
        assert index.search(question, k=1)[0].id == gold, question


def test_hits_carry_what_tools_and_citations_need(index, passages):
    index.ingest(passages)
    hits = index.search("how often should one-to-ones happen", k=3)
    assert len(hits) == 3
    top = hits[0]
    assert top.id == "one-on-one-meetings#cadence-and-length"
    assert (top.doc, top.title, top.section, top.topic) == (
        "one-on-one-meetings", "Running one-on-one meetings", "Cadence and length", "one-on-ones"
    )
    assert top.text.startswith("A one-to-one meeting between a manager")
    assert hits[0].score >= hits[1].score >= hits[2].score
    assert 0.3 < top.similarity <= 1.0
    assert len(index.search("feedback", k=50)) == 9
    index.hybrid = False
    vector_top = index.search("how often should one-to-ones happen", k=2)
    assert vector_top[0].id == top.id and vector_top[0].score == vector_top[0].similarity == pytest.approx(top.similarity, abs=1e-4)


def test_bad_queries(index, passages):
    index.ingest(passages)
    with pytest.raises(KnowledgeError, match="needs a question or some keywords"):
        index.search("   ")
    with pytest.raises(KnowledgeError, match=r"k must be at least 1 \(got 0\)"):
        index.search("goals", k=0)


def test_search_before_any_ingest_says_to_run_ingest(tmp_path, index):
    with pytest.raises(IndexNotReady, match=r"^The guidance index is empty: run `coach ingest` first\.$"):
        index.search("goals")
    with pytest.raises(IndexNotReady, match="run `coach ingest` first"):
        open_index(tmp_path / "never-made", create=False)
    assert not (tmp_path / "never-made").exists()


def test_empty_or_duplicate_input_is_refused(index, passages):
    with pytest.raises(KnowledgeError, match="Nothing to ingest"):
        index.ingest([])
    with pytest.raises(KnowledgeError, match="duplicate passage id 'giving-feedback#timing-of-feedback'"):
        index.ingest(passages + [passages[1]])
    assert index.active_name() is None


class Boom(RuntimeError):
    pass


def fail_on_call(n: int):
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == n:
            raise Boom(f"stopped at {done} of {total}")

    return progress


@pytest.mark.parametrize("where", ["progress", "embedding", "verification"])
def test_failed_ingest_keeps_the_previous_index_serving(index, passages, monkeypatch, where):
    before = index.ingest(passages)
    old_hit = index.search("how sure is the team halfway through the quarter", k=1)[0]
    monkeypatch.setattr(index_module, "BATCH", 4)
    changed = [replace(p, text="Rewritten: " + p.text) for p in passages]
    progress = None
    if where == "progress":
        progress = fail_on_call(2)  # after the first batch of 4 is stored
    elif where == "embedding":
        monkeypatch.setattr(index_module, "embed", lambda texts, **kw: (_ for _ in ()).throw(Boom("model crashed")))
    else:
        monkeypatch.setattr(index_module.GuidanceIndex, "_verify", lambda *a: (_ for _ in ()).throw(Boom("bad")))

    with pytest.raises(Boom):
        index.ingest(changed, progress=progress)
    monkeypatch.undo()
    assert index.active_name() == before.collection
    assert guidance_collections(index) == {POINTER, before.collection}  # the half-built one is gone
    assert index.search("how sure is the team halfway through the quarter", k=1)[0] == old_hit
    assert not old_hit.text.startswith("Rewritten")


def test_ingest_sweeps_leftovers_of_crashed_builds(index, passages):
    index.ingest(passages)
    index.client.create_collection(PREFIX + "20260101T000000_deadbeef", embedding_function=index.embedding)
    report = index.ingest(passages[:5])
    assert guidance_collections(index) == {POINTER, report.collection}


def test_a_second_client_sees_the_switch(tmp_path, passages):
    writer = open_index(tmp_path / "chroma")
    reader = open_index(tmp_path / "chroma", create=False)
    writer.ingest(passages)
    assert reader.search("0.7 on a stretch target", k=1)[0].id == "okr-scoring#the-zero-to-one-scale"
    writer.ingest([replace(p, text="Changed. " + p.text) for p in passages])
    assert reader.search("0.7 on a stretch target", k=1)[0].text.startswith("Changed. ")


# -- against a real Chroma server -------------------------------------------------------------


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command (from chromadb) is not installed")
    port, data = free_port(), tmp_path_factory.mktemp("chroma-server")
    url = f"http://127.0.0.1:{port}"
    command = [chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)]
    with serving(command, f"{url}/api/v2/heartbeat", log=data.parent / "chroma.log", timeout=30,
                 env={**os.environ, "ANONYMIZED_TELEMETRY": "False"}):
        yield url


def test_server_ingest_and_search(chroma_server, tmp_path, passages):
    import chromadb

    index = open_index(tmp_path / "unused", chroma_server)
    assert type(index.client).__name__ == "Client" and not (tmp_path / "unused").exists()
    with pytest.raises(IndexNotReady, match="run `coach ingest` first"):
        index.search("goals")
    report = index.ingest(passages)
    assert report.counts["added"] == 9
    assert index.ingest(passages).counts["unchanged"] == 9
    question, gold = PARAPHRASES[0]
    assert index.search(question, k=1)[0].id == gold

    port = int(chroma_server.rsplit(":", 1)[1])
    other = chromadb.HttpClient(host="127.0.0.1", port=port)
    assert other.get_collection(POINTER).metadata["active"] == report.collection
    assert other.get_collection(report.collection).count() == sum(1 + len(sentence_texts(p)) for p in passages)


def test_unreachable_server_is_one_clear_error(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(IndexNotReady, match=rf"^Cannot reach the Chroma server at {url}: "):
        open_index(tmp_path, url)
    with pytest.raises(KnowledgeError, match=r"must look like http://host:port \(got 'localhost:8000'\)"):
        open_index(tmp_path, "localhost:8000")
