"""``coach eval``: run the eval suites, write the reports, apply the gate (exit 1 when it fails)."""
from __future__ import annotations

from pathlib import Path

import click

from evals.models import MODELS

DEFAULT_OUT = Path("evals/out")


def register(cli: click.Group) -> None:
    """Add ``coach eval``."""

    @cli.command("eval")
    @click.option("--suite", type=click.Choice(["smoke", "full"]), default="smoke", show_default=True,
                  help="smoke: the cases tagged smoke (CI); full: every case.")
    @click.option("--model", "model", type=click.Choice(MODELS), default="local", show_default=True,
                  help="The model provider to evaluate.")
    @click.option("--only", multiple=True, help="Run only this suite of cases (repeatable), e.g. --only access.")
    @click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
                  show_default=True, help="Folder for results.jsonl, summary.md and report.html.")
    @click.option("--no-cache", is_flag=True, help="Call the model for every case, even unchanged ones.")
    @click.option("--update-baseline", is_flag=True,
                  help="Record this run as evals/baselines/<model>.json (the only way the baseline changes).")
    @click.option("-v", "--verbose", is_flag=True, help="Print one line per case as it finishes.")
    @click.option("--baselines", "baseline_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Folder of baseline files (default: evals/baselines).")
    @click.option("--cases", "cases_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
                  help="Folder of *.jsonl case files (default: evals/cases).")
    @click.pass_context
    def eval_command(ctx: click.Context, suite: str, model: str, only: tuple[str, ...], out_dir: Path, no_cache: bool,
                     update_baseline: bool, verbose: bool, baseline_dir: Path | None, cases_dir: Path | None) -> None:
        """Run the eval cases through the agent and gate the results against the model's baseline.

        Example: coach eval --suite smoke --model local
        """
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from assistant.cli import settings_from
        from evals.cases import CaseError, load_cases
        from evals.evaluate import run_eval
        from evals.gate import HARD, load_baseline, updated_baseline, write_baseline

        try:
            cases = load_cases(cases_dir)
        except CaseError as exc:
            raise click.ClickException(str(exc)) from exc
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())

        def done(bar, task, case, trace, result) -> None:
            bar.update(task, advance=1, description=f"{model}: {case.id}")
            if verbose:
                verdict = "pass" if result.passed else "FAIL: " + "; ".join(result.reasons)
                bar.console.print(f"{case.id} ({trace.seconds:.1f} s) {verdict}", markup=False, highlight=False)

        with Progress(*columns, transient=True) as bar:
            task = bar.add_task(f"eval {model} {suite}", total=None)
            try:
                run = run_eval(
                    model, suite, out_dir, settings_from(ctx), cache_dir=None if no_cache else out_dir / ".cache",
                    only=only, cases=cases, baseline_dir=baseline_dir, on_start=lambda n: bar.update(task, total=n),
                    on_case=lambda case, trace, result: done(bar, task, case, trace, result))
            except ValueError as exc:
                raise click.ClickException(str(exc)) from exc
        m, meta = run.summary["metrics"], run.meta
        click.echo(f"{meta['cases']} cases, {sum(r.passed for r in run.results)} passed, in {meta['seconds']:.0f} s "
                   f"({meta['model_calls']} model calls, {meta['cache_hits']} cached).")
        click.echo("Reports: " + ", ".join(str(p) for p in run.outputs.values()))
        for failure in run.gate.failures:
            click.echo(f"  gate: {failure}", err=True)
        if update_baseline:
            if any(m.get(name, 0) for name in HARD):
                click.echo("Warning: hard-gate failures are recorded too; the gate fails until they are fixed.", err=True)
            data = updated_baseline(load_baseline(model, baseline_dir), model, suite, run.summary, run.results,
                                    {"cases_run": meta["cases"], "seconds": round(meta["seconds"], 1)})
            click.echo(f"Baseline written: {write_baseline(data, model, baseline_dir)}")
            return
        if not run.gate.passed:
            click.echo("Gate: FAILED", err=True)
            ctx.exit(1)
        click.echo("Gate: passed")
