"""BM25, the lexical tokenizer, sentence splitting and the hybrid ranker's arithmetic."""
from __future__ import annotations

import math

import numpy as np
import pytest

from knowledge.corpus import split_sentences
from knowledge.lexical import BM25, stem, terms
from knowledge.ranking import LEXICAL_WEIGHT, SENTENCE_WEIGHT, HybridRanker


def test_terms_drop_stop_words_and_strip_suffixes():
    assert terms("How do I keep my reports' goals measurable?") == ["report", "goal", "measurable"]
    assert [stem(w) for w in ("ratings", "studies", "meeting", "goes", "scored")] == [
        "rating", "study", "meet", "goes", "scor"
    ]


def test_bm25_matches_the_formula():
    bm25 = BM25(["goal goal planning", "review"])
    # n=2, df=1: idf = ln(1 + 1.5/1.5) = ln 2; doc 0 has tf=2, length 3, average length 2.
    norm = 1.2 * (1 - 0.75 + 0.75 * 3 / 2)
    expected = math.log(2) * 2 * 2.2 / (2 + norm)
    np.testing.assert_allclose(bm25.scores("goals?"), [expected, 0.0])
    np.testing.assert_allclose(bm25.scores("the weather"), [0.0, 0.0])
    assert BM25([]).scores("anything").shape == (0,)


def test_sentences_split_on_ends_and_list_items_and_keep_short_fragments():
    text = "First point here. The second one follows!\n\n- a list item that runs\n  onto a second line\n- Ok.\n3. Numbered step is here"
    assert split_sentences(text) == [
        "First point here.", "The second one follows!", "a list item that runs onto a second line Ok.",
        "Numbered step is here",
    ]
    assert split_sentences("Costs rose 2.5 percent. Then fell.") == ["Costs rose 2.5 percent. Then fell."]


def test_ranker_adds_best_sentence_and_lexical_scores():
    passages = np.eye(3, 4, dtype=np.float32)
    sentences = np.array([[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], dtype=np.float32)
    owner = np.array([2, 0, 1, 2])  # passage 2 has two sentences, given out of order
    ranker = HybridRanker(passages, ["alpha", "beta", "gamma"], sentences, owner)
    query = np.array([0.6, 0, 0, 0.8], dtype=np.float32)
    fused, similarity = ranker.scores(query, "gamma")
    np.testing.assert_allclose(similarity, [0.6, 0, 0])
    vector = np.array([0.6 + SENTENCE_WEIGHT * 0.6, 0, 0 + SENTENCE_WEIGHT * 0.8])
    lexical = ranker.bm25.scores("gamma")

    def z(x):
        return (x - x.mean()) / x.std()

    np.testing.assert_allclose(fused, z(vector) + LEXICAL_WEIGHT * z(lexical), rtol=1e-5)
    with pytest.raises(ValueError, match="every passage needs at least one sentence vector"):
        HybridRanker(passages, ["a", "b", "c"], sentences[:2], np.array([0, 1]))
