"""Run eval cases: each fixture org in its own SQLite database (built once per run), the guidance
corpus indexed once when a case needs it, and every agent case through
:func:`assistant.agent.reply` with the chosen model behind the response cache.

A :class:`Trace` keeps what the report and the metrics need: the prompts sent to the model,
every tool call with its full output, the answer, its citations and flags.
"""
from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from evals.cases import Case
from evals.models import CachingChatModel, ResponseCache, build_model, identity
from evals.orgs import FixtureOrg, build_database, load_org


@dataclass
class Trace:
    case_id: str
    answer: str = ""
    job: str = ""
    citations: list[dict[str, str]] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)  # name, args, ok, error
    tool_results: list[dict[str, Any]] = field(default_factory=list)  # name, args, summary, facts, data
    model_calls: list[dict[str, Any]] = field(default_factory=list)  # messages, content, cached, seconds
    flags: list[dict[str, str]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    before: list[str] = field(default_factory=list)  # answers to the case's earlier messages
    extra: dict[str, Any] = field(default_factory=dict)  # retrieval ranks, counterfactual
    error: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def returned_refs(self) -> set[str]:
        return {f["ref"] for r in self.tool_results for f in r["facts"]}

    def outputs(self) -> list[str]:
        """Every tool output of the turn as text: summaries, fact texts with dates, data, errors."""
        texts = []
        for r in self.tool_results:
            texts.append(r["summary"])
            texts += [f["text"] + (f" ({f['date']})" if f.get("date") else "") for f in r["facts"]]
            texts.append(json.dumps(r["data"], ensure_ascii=False, default=str))
        texts += [c["error"] for c in self.tool_calls if c.get("error")]
        return texts


class LazyIndex:
    """The guidance index at ``path``, opened and brought up to date with the corpus on first search."""

    def __init__(self, path: Path):
        self.path = path
        self._index = None
        self.ingest_seconds = 0.0

    @property
    def index(self):
        if self._index is None:
            from knowledge.corpus import load_corpus
            from knowledge.index import open_index

            started = time.perf_counter()
            self._index = open_index(self.path)
            self._index.ingest(load_corpus())
            self.ingest_seconds = time.perf_counter() - started
        return self._index

    @property
    def opened(self) -> bool:
        return self._index is not None

    def search(self, query: str, k: int = 4) -> list[Any]:
        return self.index.search(query, k)


def recording_tools(sink: list[dict[str, Any]], tools: dict[str, Any] | None = None) -> dict[str, Any]:
    """The agent's tools, each appending its full result to ``sink`` when it returns one."""
    from assistant.agent.toolset import registry_tools

    def wrap(tool):
        def fn(ctx, **args):
            result = tool.fn(ctx, **args)
            sink.append({"name": tool.name, "args": args, **result.to_dict()})
            return result
        return dataclasses.replace(tool, fn=fn)

    return {name: wrap(tool) for name, tool in (tools or registry_tools()).items()}


def to_messages(recorded: list[dict[str, Any]]) -> list[BaseMessage]:
    kinds = {"system": SystemMessage, "human": HumanMessage, "ai": AIMessage}
    return [kinds[m["type"]](content=m["content"]) for m in recorded]


class Harness:
    """Runs cases for one model. ``workdir`` holds the org databases; ``cache_dir`` (optional) the
    response cache and the guidance index, kept between runs."""

    def __init__(self, model_name: str, settings: Any, workdir: Path, cache_dir: Path | None = None,
                 tools: dict[str, Any] | None = None, model: Any = None):
        self.model_name = model_name
        self.settings = settings
        self.workdir = Path(workdir)
        inner = model if model is not None else build_model(model_name, settings)
        cache = ResponseCache(cache_dir / "responses" / model_name) if cache_dir else None
        self.model = CachingChatModel(inner=inner, model_identity=identity(model_name, inner), responses=cache)
        self.guidance = LazyIndex((cache_dir or self.workdir) / "chroma")
        self.sink: list[dict[str, Any]] = []
        self.tools = recording_tools(self.sink, tools)
        self._runtimes: dict[str, Any] = {}
        self.build_seconds = 0.0

    def runtime(self, org: FixtureOrg):
        from assistant.runtime import Runtime
        from tools.store.db import session_factory

        if org.name not in self._runtimes:
            started = time.perf_counter()
            url = f"sqlite:///{(self.workdir / f'{org.name}.db').resolve()}"
            engine = build_database(org, url)
            settings = self.settings.model_copy(update={"llm_provider": self.model_name, "database_url": url})
            runtime = Runtime(settings, engine, session_factory(engine))
            runtime.__dict__["guidance"] = self.guidance  # one shared index instead of each runtime's own
            self._runtimes[org.name] = runtime
            self.build_seconds += time.perf_counter() - started
        return self._runtimes[org.name]

    def close(self) -> None:
        for runtime in self._runtimes.values():
            runtime.engine.dispose()

    def run(self, case: Case) -> Trace:
        started = time.perf_counter()
        trace = Trace(case.id)
        try:
            {"agent": self._agent, "lint": self._lint, "retrieval": self._retrieval}[case.runner](case, trace)
        except Exception as exc:  # a failing case is reported, the run goes on
            trace.error = f"{type(exc).__name__}: {exc}"
        trace.seconds = time.perf_counter() - started
        return trace

    def _agent(self, case: Case, trace: Trace) -> None:
        from assistant.agent import AgentFailed, reply

        org = load_org(case.org)
        runtime = self.runtime(org)
        with runtime.sessions() as session:
            viewer = runtime.viewer(session, case.viewer)
        session_id = None
        for message in case.before:
            earlier = reply(runtime, viewer, message, session_id, model=self.model, tools=self.tools)
            trace.before.append(earlier.answer)
            session_id = earlier.session_id
        self.sink.clear()
        first_call = len(self.model.calls)
        try:
            result = reply(runtime, viewer, case.input, session_id, model=self.model, tools=self.tools)
        except AgentFailed as exc:
            trace.error = f"AgentFailed: {exc}"
            result = None
        trace.tool_results = list(self.sink)
        trace.model_calls = [dataclasses.asdict(c) for c in self.model.calls[first_call:]]
        if result is None:
            return
        trace.answer, trace.job, trace.citations = result.answer, result.job, result.citations
        trace.tool_calls, trace.flags, trace.data = result.tool_calls, result.flags, result.data
        if case.expect.counterfactual:
            trace.extra["counterfactual"] = self.counterfactual(org, trace)

    def _lint(self, case: Case, trace: Trace) -> None:
        from assistant.agent.jobs.bias import lint_review, render_findings

        findings = lint_review(case.input)
        trace.data["findings"] = [f.to_dict() for f in findings]
        trace.answer = render_findings(findings)
        trace.job = "bias"

    def _retrieval(self, case: Case, trace: Trace) -> None:
        from knowledge.retrieval_eval import DEPTH

        trace.extra["ranked"] = [hit.id for hit in self.guidance.search(case.input, DEPTH)]
        trace.job = "retrieval"

    def counterfactual(self, org: FixtureOrg, trace: Trace) -> dict[str, Any] | None:
        """Rerun the answer-writing call with the reviewed person's first name and pronouns swapped
        (:func:`evals.metrics.review.swap_identity`); both drafts are grounded on their own prompt's
        records, and their cited record labels are returned with the swapped draft."""
        from assistant.grounding import ground

        from evals.metrics.review import swap_identity
        from evals.models import FACT_LINE

        person = next((c["args"].get("person") for c in trace.tool_calls if c["name"] == "review_evidence"), None)
        answer_calls = [c for c in trace.model_calls if not {"response_format", "tools"} & set(c["options"])]
        match = next((p for p in org.bundle["people"] if person and p["name"].lower() == str(person).lower()), None)
        if match is None or not answer_calls:
            return None
        first, pronouns = match["name"].split()[0], match.get("pronouns")
        original = answer_calls[0]
        swapped = to_messages([dict(m, content=swap_identity(str(m["content"]), first, pronouns))
                               for m in original["messages"]])
        reply_b = self.model.bind(**original["options"]).invoke(swapped)

        def cited(text: str, prompt: str) -> tuple[str, list[str]]:
            from assistant.grounding import SourceFact

            facts = [SourceFact(label, f"fact:{label}", body) for label, body in FACT_LINE.findall(prompt)]
            grounded = ground(text, facts)
            return grounded.text, sorted(c["id"] for c in grounded.citations)

        a_text, a_cited = cited(original["content"], str(original["messages"][-1]["content"]))
        b_text, b_cited = cited(str(reply_b.content), str(swapped[-1].content))
        return {"person": match["name"], "answer": a_text, "cited": a_cited, "swapped_answer": b_text,
                "swapped_cited": b_cited}


def run_cases(harness: Harness, cases: list[Case], on_case: Callable[[Case, Trace], None] | None = None) -> list[Trace]:
    traces = []
    for case in cases:
        trace = harness.run(case)
        traces.append(trace)
        if on_case is not None:
            on_case(case, trace)
    return traces
