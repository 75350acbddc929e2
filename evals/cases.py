"""Eval cases as data: ``evals/cases/*.jsonl``, one JSON object per line, validated on load.

A case names its suite, the fixture org it runs on (:mod:`evals.orgs`), the viewer (a person
id or email in that org), the input message, optional earlier messages of the same
conversation (``before``), tags (``smoke`` selects the smoke suite, ``critical`` makes a
regression fail the gate) and what is expected (:class:`Expect`). Cases run through the
agent (``runner: agent``, the default), the bias lint alone (``lint``) or guidance search
alone (``retrieval``); the last two need no model. A bad line raises :class:`CaseError`
naming the file, the line and the field.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SUITES = ("off_track", "team", "coaching", "review", "bias", "goal_check", "guidance", "access", "injection", "scope")
RUNNERS = ("agent", "lint", "retrieval")
ORGS = ("demo", "lab", "studio")
FINDING_KINDS = ("gender_coded", "personality", "vague_praise", "recency", "uniform_praise")
CASES_DIR = Path(__file__).resolve().parent / "cases"


class CaseError(ValueError):
    """A case file that cannot be used; the message names the file and line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Call(_Strict):
    """An expected tool call: its name, and arguments that must match (strings: either contains the
    other, case-insensitively; other values: equal)."""

    name: str = Field(min_length=1)
    args: dict[str, Any] = Field(default_factory=dict)


class Expect(_Strict):
    calls: list[Call] = Field(default_factory=list)
    forbidden_calls: list[str] = Field(default_factory=list)  # tool names; "*" forbids every tool
    mention: list[str] = Field(default_factory=list)  # required facts; "a|b" accepts either
    not_mention: list[str] = Field(default_factory=list)
    refusal: bool | None = None  # True: must refuse; False: must answer (a benign twin)
    job: str | None = None  # the routed job, e.g. "coaching"
    gold: list[str] = Field(default_factory=list)  # guidance passage ids ("doc#section")
    findings: list[Literal[FINDING_KINDS]] = Field(default_factory=list)  # bias findings that must be reported
    no_findings: bool = False  # bias: the text is fine; any finding is a false positive
    words: tuple[int, int] | None = None  # answer length band, in words
    quarters: int | None = Field(None, ge=1, le=4)  # review: quarters of the period its citations must cover
    counterfactual: bool = False  # review: regenerate with name and pronouns swapped and compare


class Case(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    suite: Literal[SUITES]
    org: Literal[ORGS]
    viewer: str = Field(min_length=1)
    input: str = Field(min_length=1)
    before: list[str] = Field(default_factory=list)
    runner: Literal[RUNNERS] = "agent"
    tags: list[str] = Field(default_factory=list)
    expect: Expect = Field(default_factory=Expect)
    note: str = ""  # why the case exists

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.runner == "retrieval" and not self.expect.gold:
            raise ValueError("a retrieval case needs expect.gold")
        if self.runner == "lint" and self.suite != "bias":
            raise ValueError("runner 'lint' is only for the bias suite")
        if self.runner != "agent" and self.before:
            raise ValueError("'before' messages need runner 'agent'")
        if self.expect.findings and self.expect.no_findings:
            raise ValueError("expect.findings and expect.no_findings contradict each other")
        return self

    @property
    def critical(self) -> bool:
        return "critical" in self.tags

    @property
    def smoke(self) -> bool:
        return "smoke" in self.tags

    @property
    def needs_model(self) -> bool:
        return self.runner == "agent"


def _where(err: dict[str, Any]) -> str:
    return ".".join(str(p) for p in err["loc"]) or "case"


def parse_line(path: Path, number: int, raw: str) -> Case:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CaseError(f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise CaseError(f"{path}:{number}: expected a JSON object, got {type(data).__name__}")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        name = data.get("id", "?")
        problems = "; ".join(f"{_where(e)}: {e['msg']}" for e in exc.errors())
        raise CaseError(f"{path}:{number}: case {name!r}: {problems}") from None


def load_cases(directory: Path | None = None, *, check_orgs: bool = True) -> list[Case]:
    """Every case in ``directory`` (default ``evals/cases``), in file and line order.

    Raises :class:`CaseError` for a malformed line, a duplicate id, or (``check_orgs``) a
    viewer who is not a person of the case's org.
    """
    directory = Path(directory) if directory is not None else CASES_DIR
    paths = sorted(directory.glob("*.jsonl"))
    if not paths:
        raise CaseError(f"{directory}: no *.jsonl case files")
    cases: list[Case] = []
    places: dict[str, str] = {}
    for path in paths:
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            case = parse_line(path, number, raw)
            if case.id in places:
                raise CaseError(f"{path}:{number}: duplicate case id {case.id!r} (first at {places[case.id]})")
            places[case.id] = f"{path}:{number}"
            cases.append(case)
    if check_orgs:
        check_viewers(cases, places)
    return cases


def check_viewers(cases: Iterable[Case], places: dict[str, str]) -> None:
    from evals.orgs import load_org

    for case in cases:
        if load_org(case.org).person_id(case.viewer) is None:
            raise CaseError(f"{places.get(case.id, case.id)}: case {case.id!r}: viewer {case.viewer!r} "
                            f"is not a person (id or email) of org {case.org!r}")


def select(cases: Iterable[Case], suite: str = "full", only: Iterable[str] = ()) -> list[Case]:
    """The cases of a run: ``smoke`` (tagged smoke) or ``full`` (all), optionally only these suites."""
    if suite not in ("smoke", "full"):
        raise ValueError(f"suite must be smoke or full, not {suite!r}")
    wanted = set(only)
    unknown = wanted - set(SUITES)
    if unknown:
        raise ValueError(f"unknown suite(s) {', '.join(sorted(unknown))}: use {', '.join(SUITES)}")
    return [c for c in cases if (suite == "full" or c.smoke) and (not wanted or c.suite in wanted)]
