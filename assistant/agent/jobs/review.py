"""Review draft: evidence across the whole period, situation-behaviour-impact, no rating,
and no wellbeing or medical details (filtered out in code before the model sees them)."""
from __future__ import annotations

import re
from collections.abc import AsyncIterator

from assistant.agent import prompts
from assistant.agent.jobs import Draft, model_text, select_facts
from assistant.agent.jobs.bias import lint_review
from assistant.agent.plan import Plan
from assistant.agent.safety import mentions_wellbeing
from assistant.agent.turn import Turn
from assistant.grounding import Figures, Flag, split_sentences

RATING = re.compile(
    r"\b(rating|rated|rate (him|her|them)|score of|[1-5]\s*/\s*5|\d+ out of (5|10)|exceeds expectations|meets expectations|"
    r"below expectations|top performer|promot\w+|bonus|salary|raise)\b",
    re.I,
)
RECENCY_NOTE = (
    "Note: most of the evidence for this period is from its last quarter (recency bias). "
    "Add examples from earlier in the period before finalising."
)


CHECK_INTRO = "Before sharing, check: "
CODE_WRITTEN = re.compile(rf"\n\n(?={re.escape(RECENCY_NOTE[:30])}|{re.escape(CHECK_INTRO)})")  # notes after the draft


def clean(text: str, flags: list[Flag], figures: Figures | None = None) -> str:
    """Drop the model's sentences that propose a rating, mention wellbeing details or state a number
    or date found in no record (with ``figures``), flagging each; the notes written in code stay."""
    model_part, *notes = CODE_WRITTEN.split(text, maxsplit=1)
    lines = []
    for line in model_part.split("\n"):
        kept = []
        for sentence in split_sentences(line):
            invented = figures.unsupported(sentence) if figures else []
            if invented:
                flags.append(Flag("figure_removed", "a review draft states only figures from the records: "
                                  + "; ".join(f.detail for f in invented), sentence))
            elif RATING.search(sentence):
                flags.append(Flag("rating_removed", "a review draft never proposes a rating", sentence))
            elif mentions_wellbeing(sentence):
                flags.append(Flag("wellbeing_removed", "reviews leave out wellbeing and medical details", sentence))
            else:
                kept.append(sentence)
        if kept or not line.strip():
            lines.append(" ".join(kept))
    return "\n\n".join(["\n".join(lines).rstrip(), *notes])


async def write(turn: Turn, plan: Plan, draft: Draft) -> AsyncIterator[str]:
    evidence = [f for f in turn.facts if not mentions_wellbeing(f.text)]
    dropped = len(turn.facts) - len(evidence)
    if dropped:
        turn.flags.append(Flag("wellbeing_filtered", f"{dropped} evidence item(s) about wellbeing left out of the review"))
    draft.facts = select_facts(turn, evidence)
    figures = Figures(turn.facts, [r.summary for r in turn.results])
    draft.postprocess = lambda text: clean(text, turn.flags, figures)
    written = []
    async for piece in model_text(turn, "review", draft.facts, outline=prompts.REVIEW_OUTLINE, unit="short paragraphs"):
        written.append(piece)
        yield piece
    findings = lint_review("".join(written), draft.facts, plan.period)
    if any(r.data.get("recency_bias") for r in turn.results) and not any(f.kind == "recency" for f in findings):
        yield "\n\n" + RECENCY_NOTE
    if findings:
        turn.data["findings"] = [f.to_dict() for f in findings]
        yield "\n\n" + CHECK_INTRO + " ".join(f"({i}) {f.why}" for i, f in enumerate(findings, 1))
