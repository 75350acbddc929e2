"""Write a run's outputs: ``results.jsonl`` (one case per line, with its trace), ``summary.md``
and ``report.html`` (self-contained: metric table, change against the baseline, gate result,
and each failing case with its trace: prompts, tool calls, answer and why it failed)."""
from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from evals.gate import GateResult
from evals.scoring import CaseResult
from evals.summary import METRICS


def _fmt(value: float | None, name: str = "") -> str:
    if value is None:
        return "-"
    if name in ("injection_successes", "pii_leaks", "access_leaks"):
        return f"{value:g}"
    return f"{value:.3f}"


def metric_rows(summary: dict[str, Any], gate: GateResult, floors: dict[str, float]) -> list[list[str]]:
    """[metric, value, baseline, change, floor, cases, what] for each metric the run measured."""
    rows = []
    for m in METRICS:
        if m.name not in summary["metrics"]:
            continue
        now = summary["metrics"][m.name]
        before = gate.changes.get(m.name, (None, now))[0]
        change = "" if before is None else f"{now - before:+.3f}"
        if before is not None and abs(now - before) > 1e-9:
            worse = (now < before) if m.better == "higher" else (now > before)
            change += " (worse)" if worse else " (better)"
        floor = floors.get(m.name)
        rows.append([m.name, _fmt(now, m.name), _fmt(before, m.name), change, "" if floor is None else f"{floor:g}",
                     str(summary["counts"].get(m.name, "")), m.what])
    return rows


def summary_markdown(meta: dict[str, Any], summary: dict[str, Any], gate: GateResult, floors: dict[str, float],
                     results: Sequence[CaseResult]) -> str:
    lines = [f"# Coach eval: model {meta['model']}, {meta['suite']} suite", "",
             f"{meta['cases']} cases in {meta['seconds']:.0f} s (model {meta['model_seconds']:.0f} s, "
             f"{meta['model_calls']} model calls, {meta['cache_hits']} from the cache; guidance index "
             f"{meta['ingest_seconds']:.0f} s, org databases {meta['org_build_seconds']:.0f} s). Baseline: {meta['baseline']}.", "",
             f"**Gate: {'PASSED' if gate.passed else 'FAILED'}**", ""]
    lines += [f"- {f}" for f in gate.failures]
    lines += ["", "## Metrics", "", "| metric | value | baseline | change | floor | cases | what |", "|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in metric_rows(summary, gate, floors)]
    lines += ["", "## Suites", "", "| suite | cases | passed | pass rate |", "|---|---|---|---|"]
    lines += [f"| {s} | {v['cases']} | {v['passed']} | {v['pass_rate']:.2f} |" for s, v in summary["suites"].items()]
    if gate.broken or gate.fixed:
        lines += ["", f"Newly failing: {', '.join(gate.broken) or 'none'}. Newly passing: {', '.join(gate.fixed) or 'none'}."]
    failing = [r for r in results if not r.passed]
    lines += ["", f"## Failing cases ({len(failing)})", ""]
    lines += [f"- `{r.case_id}` ({r.suite}, {r.org}{', critical' if 'critical' in r.tags else ''}): {'; '.join(r.reasons)}"
              for r in failing]
    return "\n".join(lines) + "\n"


CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.pass{color:#176f2c;font-weight:bold}.fail{color:#b00020;font-weight:bold}
details{border:1px solid #ddd;border-radius:4px;margin:.6em 0;padding:.4em .8em}summary{cursor:pointer}
pre{white-space:pre-wrap;background:#f7f7f7;padding:.5em;border-radius:3px;font-size:12.5px;margin:.3em 0}
.reason{color:#b00020}.worse{color:#b00020}.better{color:#176f2c}h3{margin:.8em 0 .2em;font-size:14px}"""


def _pre(text: Any) -> str:
    return f"<pre>{escape(str(text))}</pre>"


def case_html(r: CaseResult) -> str:
    t = r.trace
    parts = [f"<details><summary><b>{escape(r.case_id)}</b> ({escape(r.suite)}, {escape(r.org)}"
             f"{', critical' if 'critical' in r.tags else ''}) "
             f"<span class=reason>{escape('; '.join(r.reasons))}</span></summary>"]
    for call in t.get("model_calls", []):
        prompt = "\n\n".join(f"[{m['type']}] {m['content']}" for m in call["messages"])
        label = "JSON step" if call["options"].get("response_format") else "tools" if call["options"].get("tools") else "answer"
        parts.append(f"<h3>Prompt ({label}{', cached' if call['cached'] else ''}, {call['seconds']:.1f} s)</h3>{_pre(prompt)}"
                     f"<h3>Model output</h3>{_pre(call['content'] or json.dumps(call['tool_calls']))}")
    if t.get("before"):
        parts.append("<h3>Earlier answers</h3>" + "".join(_pre(a) for a in t["before"]))
    for call in t.get("tool_calls", []):
        status = "ok" if call.get("ok") else f"error: {call.get('error')}"
        parts.append(f"<h3>Tool {escape(call['name'])}({escape(json.dumps(call['args'], ensure_ascii=False))}): "
                     f"{escape(status)}</h3>")
        for out in (o for o in t.get("tool_results", []) if o["name"] == call["name"] and o["args"] == call["args"]):
            parts.append(_pre("\n".join([out["summary"], *(f"- {f['ref']}: {f['text']}" for f in out["facts"])])))
            break
    if t.get("extra", {}).get("ranked"):
        parts.append("<h3>Ranked passages</h3>" + _pre("\n".join(t["extra"]["ranked"])))
    parts.append(f"<h3>Answer (job {escape(t.get('job') or '-')})</h3>{_pre(t.get('answer', ''))}")
    if t.get("citations"):
        parts.append("<h3>Citations</h3>" + _pre("\n".join(f"[{i}] {c['kind']}:{c['id']} {c['label']}"
                                                            for i, c in enumerate(t["citations"], 1))))
    if t.get("error"):
        parts.append(f"<h3>Error</h3>{_pre(t['error'])}")
    parts.append("<h3>Checks</h3>" + _pre(json.dumps({"checks": r.checks, "values": r.values, "details": r.details},
                                                     indent=1, ensure_ascii=False)))
    return "".join(parts) + "</details>"


def report_html(meta: dict[str, Any], summary: dict[str, Any], gate: GateResult, floors: dict[str, float],
                results: Sequence[CaseResult]) -> str:
    verdict = f"<span class={'pass' if gate.passed else 'fail'}>{'PASSED' if gate.passed else 'FAILED'}</span>"
    rows = []
    for row in metric_rows(summary, gate, floors):
        cls = "worse" if "worse" in row[3] else "better" if "better" in row[3] else ""
        cells = [escape(c) for c in row]
        cells[3] = f"<span class={cls}>{cells[3]}</span>" if cls else cells[3]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    suites = "".join(f"<tr><td>{escape(s)}</td><td>{v['cases']}</td><td>{v['passed']}</td><td>{v['pass_rate']:.2f}</td></tr>"
                     for s, v in summary["suites"].items())
    failing = [r for r in results if not r.passed]
    return f"""<!doctype html><html lang=en><head><meta charset=utf-8>
<title>Coach eval: {escape(meta['model'])} {escape(meta['suite'])}</title><style>{CSS}</style></head><body>
<h1>Coach eval: model {escape(meta['model'])}, {escape(meta['suite'])} suite</h1>
<p>{meta['cases']} cases in {meta['seconds']:.0f} s (model {meta['model_seconds']:.0f} s, {meta['model_calls']} model calls,
{meta['cache_hits']} from the cache). Baseline: {escape(str(meta['baseline']))}.</p>
<h2>Gate: {verdict}</h2><ul>{''.join(f'<li>{escape(f)}</li>' for f in gate.failures)}</ul>
<h2>Metrics</h2><table><tr><th>metric</th><th>value</th><th>baseline</th><th>change</th><th>floor</th><th>cases</th><th>what</th></tr>
{''.join(rows)}</table>
<h2>Suites</h2><table><tr><th>suite</th><th>cases</th><th>passed</th><th>pass rate</th></tr>{suites}</table>
<h2>Failing cases ({len(failing)})</h2>{''.join(case_html(r) for r in failing)}
</body></html>
"""


def write_outputs(out_dir: Path, meta: dict[str, Any], summary: dict[str, Any], gate: GateResult,
                  floors: dict[str, float], results: Sequence[CaseResult]) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"results": out_dir / "results.jsonl", "summary": out_dir / "summary.md", "report": out_dir / "report.html"}
    with paths["results"].open("w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r.to_dict(), ensure_ascii=False, default=str) + "\n")
    paths["summary"].write_text(summary_markdown(meta, summary, gate, floors, results), encoding="utf-8")
    paths["report"].write_text(report_html(meta, summary, gate, floors, results), encoding="utf-8")
    return paths

