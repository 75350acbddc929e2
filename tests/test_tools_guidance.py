import pytest

from factories import FakeGuidance, context, org  # noqa: F401
from tools.access import ToolError
from tools.guidance import search_guidance


def test_passages_become_guide_facts(org):
    g = FakeGuidance()
    r = search_guidance(context(org, "sam", guidance=g), "  recency bias ", k=2)
    assert g.calls == [("recency bias", 2)]
    assert [f.ref for f in r.facts] == ["guide:reviews#recency", "guide:grow#goal"]
    assert r.facts[1].text == "The GROW model - Goal: Start by agreeing the goal of the conversation."
    assert len(r.facts[0].text) < 700 and r.facts[0].text.endswith("...")
    assert r.summary == ("2 guidance passages for 'recency bias': Writing fair reviews - Recency bias; "
                         "The GROW model - Goal.")


def test_guidance_errors(org):
    with pytest.raises(ToolError, match="^Guidance search is not available here"):
        search_guidance(context(org, "ana"), "recency")
    with pytest.raises(ToolError, match=r"^k must be between 1 and 8, not 9\.$"):
        search_guidance(context(org, "ana", guidance=FakeGuidance()), "recency", k=9)
    with pytest.raises(ToolError, match="^Guidance search failed: index not built$"):
        search_guidance(context(org, "ana", guidance=FakeGuidance(fail=RuntimeError("index not built"))), "recency")


def test_no_passage(org):
    r = search_guidance(context(org, "ana", guidance=FakeGuidance(passages=[])), "recency")
    assert r.summary == "No guidance passage matches 'recency'." and r.facts == []
