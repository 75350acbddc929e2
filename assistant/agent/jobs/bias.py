"""Bias check of review text: findings come from code, never from the model.

Word lists are short, hand-written summaries of published research:

- gender-coded words: Gaucher, Friesen & Kay (2011), "Evidence that gendered wording in job
  advertisements exists and sustains gender inequality" (J. Personality and Social Psychology
  101(1)) for masculine- and feminine-coded words, and Madera, Hebl & Martin (2009), "Gender and
  letters of recommendation for academia: agentic and communal differences" (J. Applied
  Psychology 94(6)) for agentic and communal descriptors;
- personality words in reviews: Snyder (2014), "The abrasiveness trap" (Fortune), who found
  criticism of personality ("abrasive", "bossy", "emotional") mostly in women's reviews;
- vague praise: Correll & Simard (2016), "Research: Vague Feedback Is Holding Women Back"
  (Harvard Business Review): feedback without specific outcomes holds people back;
- recency: the evidence spread of :mod:`tools.analytics.evidence` (most evidence in the last
  quarter of the period).

Each finding names the words, why they are a problem and a suggested rewrite.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from assistant.grounding import SourceFact, best_fact, find_dates, find_numbers, split_sentences
from tools.analytics.evidence import Evidence, timeline

if TYPE_CHECKING:
    from assistant.agent.jobs import Draft
    from assistant.agent.plan import Plan
    from assistant.agent.turn import Turn

AGENTIC = {
    "aggressive", "assertive", "ambitious", "dominant", "dominating", "forceful", "headstrong",
    "competitive", "fearless", "self-reliant", "decisive", "confident", "outspoken", "driven",
}
COMMUNAL = {
    "nurturing", "warm", "caring", "sweet", "kind", "gentle", "pleasant", "compassionate",
    "helpful", "cheerful", "bubbly", "sensitive", "agreeable", "likeable", "lovely", "motherly",
}
PERSONALITY = {
    "abrasive", "bossy", "emotional", "strident", "shrill", "pushy", "irrational", "hysterical",
    "dramatic", "difficult", "moody", "temperamental", "arrogant", "lazy", "sassy", "feisty",
    "brilliant", "genius", "smart", "nice", "aggressive", "negative", "abrupt", "opinionated",
}
PERSONALITY_PHRASES = (
    "negative attitude", "bad attitude", "great attitude", "not a team player", "natural talent",
    "a natural", "rock star", "rockstar", "superstar", "know-it-all", "too emotional", "high maintenance",
)
VAGUE_PRAISE = (
    "great job", "good job", "great work", "good work", "well done", "did well", "does well",
    "excellent", "amazing", "awesome", "fantastic", "outstanding", "solid performer", "strong performer",
    "team player", "valuable member", "pleasure to work with", "above and beyond", "great asset",
    "doing great", "top performer", "exceptional",
)
POSITIVE = re.compile(
    r"\b(excellent|great|good|strong|outstanding|amazing|exceptional|impressive|consistently|always|"
    r"successfully|exceeded|delivered|improved|fantastic|awesome|solid|well)\b", re.I)
DEVELOPMENTAL = re.compile(
    r"\b(but|however|although|needs? to|should|could improve|struggl\w*|missed|behind|slipped|fell|"
    r"declin\w*|late|off track|at risk|challeng\w*|gaps?|develop\w*|not|never|rarely|poor|weak|lack\w*|"
    r"abrasive|difficult|negative)\b", re.I)
NEGATIVE_EVIDENCE = re.compile(
    r"\b(off track|at risk|worsening|fell|falling|declin\w*|dropped|missed|behind|overdue|late|"
    r"constructive|blocker|slipp\w*|below)\b", re.I)


@dataclass
class Finding:
    kind: str
    words: list[str]
    sentence: str
    why: str
    suggestion: str
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "words": self.words, "sentence": self.sentence, "why": self.why,
                "suggestion": self.suggestion, "evidence": self.evidence}


def _words_in(sentence: str, vocabulary: set[str]) -> list[str]:
    tokens = re.findall(r"[a-z][a-z'-]*", sentence.lower())
    return sorted({t for t in tokens if t in vocabulary})


def _phrases_in(sentence: str, phrases: Sequence[str]) -> list[str]:
    low = sentence.lower()
    return [p for p in phrases if re.search(rf"(?<![a-z]){re.escape(p)}(?![a-z])", low)]


def _word_findings(sentence: str) -> list[Finding]:
    out = []
    agentic, communal = _words_in(sentence, AGENTIC), _words_in(sentence, COMMUNAL)
    coded = agentic + communal
    if coded:
        kinds = " and ".join(k for k, w in (("agentic (masculine-coded)", agentic), ("communal (feminine-coded)", communal)) if w)
        out.append(Finding(
            "gender_coded", coded, sentence,
            f"{', '.join(repr(w) for w in coded)} {'is' if len(coded) == 1 else 'are'} {kinds}: research finds such words "
            "are applied unevenly to women and men and shift how the same work is judged.",
            "Replace the adjective with what the person did and its effect, e.g. 'pushed the launch review to a "
            "decision in one meeting, which unblocked two teams'.",
        ))
    personality = [w for w in _words_in(sentence, PERSONALITY) if w not in coded] + _phrases_in(sentence, PERSONALITY_PHRASES)
    if personality:
        out.append(Finding(
            "personality", personality, sentence,
            f"{', '.join(repr(w) for w in personality)} describe{'s' if len(personality) == 1 else ''} personality, "
            "not behaviour: the person cannot act on it, and such words appear far more often in women's reviews.",
            "Describe the observable behaviour, the situation and its impact (situation-behaviour-impact), e.g. "
            "'in the May planning meeting she interrupted two colleagues, and their proposals were not discussed'.",
        ))
    return out


def _is_vague(sentence: str, evidence: Sequence[SourceFact]) -> list[str]:
    praise = _phrases_in(sentence, VAGUE_PRAISE)
    if not praise or find_numbers(sentence) or find_dates(sentence):
        return []
    score, _ = best_fact(sentence, evidence)
    return praise if score < 2 else []


def lint_review(
    text: str,
    evidence: Sequence[SourceFact] = (),
    period: tuple[dt.date, dt.date] | None = None,
) -> list[Finding]:
    """Findings for ``text``; ``evidence`` (dated facts) and ``period`` enable the recency and
    uniform-praise checks."""
    sentences = [s for s in split_sentences(text) if re.search(r"[A-Za-z]", s)]
    findings: list[Finding] = []
    for sentence in sentences:
        findings += _word_findings(sentence)
        vague = _is_vague(sentence, evidence)
        if vague:
            findings.append(Finding(
                "vague_praise", vague, sentence,
                "Praise without a specific outcome, example or number gives the person nothing to repeat, and "
                "vague feedback is given more often to women.",
                "Name the result: what was delivered, when, and what it changed (a number if there is one).",
            ))
    findings += _recency(text, evidence, period)
    findings += _uniform_praise(sentences, evidence)
    return findings


def _recency(text: str, evidence: Sequence[SourceFact], period: tuple[dt.date, dt.date] | None) -> list[Finding]:
    if period is None:
        return []
    start, end = period
    used: list[Evidence] = []
    for sentence in split_sentences(text):
        score, fact = best_fact(sentence, evidence)
        if fact is not None and score >= 2 and fact.date:
            used.append(Evidence(fact.date, fact.ref, fact.text))
        for y, m, d in find_dates(sentence):
            try:
                used.append(Evidence(dt.date(y or end.year, m, d), "text", sentence))
            except ValueError:
                continue
    spread = timeline(used, start, end)
    if not spread.recency_bias:
        return []
    return [Finding(
        "recency", [], "",
        f"The review draws on {spread.total} dated examples and {spread.counts[3]} of them fall in the last quarter "
        f"of {start.isoformat()} to {end.isoformat()}: earlier work is at risk of being overlooked.",
        "Add examples from the first three quarters of the period, or say why recent work matters most.",
    )]


def _uniform_praise(sentences: Sequence[str], evidence: Sequence[SourceFact]) -> list[Finding]:
    positive = [s for s in sentences if POSITIVE.search(s)]
    developmental = [s for s in sentences if DEVELOPMENTAL.search(s)]
    contrary = [f for f in evidence if NEGATIVE_EVIDENCE.search(f.text)]
    if len(positive) < 2 or developmental or not contrary:
        return []
    return [Finding(
        "uniform_praise", [], "",
        f"Every area is praised alike, but {len(contrary)} evidence item{'s' * (len(contrary) != 1)} point the "
        "other way: uniform praise (a halo) hides where the person can grow.",
        "Keep the praise that evidence supports and add one specific development point from the evidence below.",
        [f.text for f in contrary[:3]],
    )]


def render_findings(findings: Sequence[Finding]) -> str:
    """The findings as numbered plain-text lines for the answer."""
    if not findings:
        return "No bias findings: no gender-coded or personality words, no vague praise, no recency or halo pattern."
    lines = [f"Bias check: {len(findings)} finding{'s' * (len(findings) != 1)}."]
    for i, f in enumerate(findings, 1):
        words = f" ({', '.join(f.words)})" if f.words else ""
        where = f' In: "{f.sentence}"' if f.sentence else ""
        lines.append(f"{i}. {f.kind.replace('_', ' ')}{words}: {f.why}{where} Suggestion: {f.suggestion}")
        lines += [f"   Evidence: {e}" for e in f.evidence]
    return "\n".join(lines)


MAX_REWRITES = 4


async def write(turn: Turn, plan: Plan, draft: Draft) -> AsyncIterator[str]:
    """Findings written in code; then the model proposes rewrites of the flagged sentences."""
    from assistant.agent.jobs import model_text

    findings = lint_review(plan.text, turn.facts, plan.period)
    turn.data["findings"] = [f.to_dict() for f in findings]
    yield render_findings(findings)
    flagged = list(dict.fromkeys(f.sentence for f in findings if f.sentence))[:MAX_REWRITES]
    if not flagged:
        return
    yield "\n\nSuggested rewrites:\n"
    sentences = [SourceFact(str(i), "text:review", s) for i, s in enumerate(flagged, 1)]
    async for piece in model_text(turn, "bias", sentences, request="Rewrite the flagged review sentences."):
        yield piece
