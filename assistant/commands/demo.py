"""``coach demo``: seed the demo org (or a large synthetic org) into the configured database."""
from __future__ import annotations

import click
from sqlalchemy.engine import make_url

from assistant.cli import settings_from
from assistant.commands.knowledge import ingest as ingest_guidance
from assistant.runtime import open_runtime
from tools.store.accounts import DEMO_PASSWORD, seed_demo_users
from tools.store.db import transaction
from tools.demo.scale import minimum_employees
from tools.demo.seed import SeedResult, seed_database


def register(cli: click.Group) -> None:
    """Add ``coach demo``."""
    cli.add_command(demo)


@click.command()
@click.option("--seed", type=int, default=None,
              help="Random seed: varies notes, numbers and noise (default 7; 1 with --employees).")
@click.option("--employees", type=click.IntRange(min=minimum_employees()), default=None, metavar="N",
              help="Seed a synthetic org of N people instead (for benchmarks; short templated text).")
@click.option("--reset", is_flag=True, help="Delete ALL data in the database first (asks unless --yes).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before --reset deletes data.")
@click.option("--ingest/--no-ingest", default=True, show_default=True,
              help="Also build the guidance knowledge base (coach ingest).")
@click.pass_context
def demo(ctx: click.Context, seed: int | None, employees: int | None, reset: bool, yes: bool,
         ingest: bool) -> None:
    """Seed a demo org: 6 managers, 42 reports, six months of goals, 1:1s, KPIs and feedback.

    The org's 'today' is pinned (2026-11-16) so its planted situations stay true; they are
    listed in demo-manifest.json in the data directory. Running it again gives the same
    data. Without --reset, records already in the database that are not part of this org
    stay where they are: use --reset when switching --seed or between the demo and a
    synthetic org.
    """
    settings = settings_from(ctx)
    where = make_url(settings.db_url).render_as_string(hide_password=True)
    if reset and not yes:
        click.confirm(f"Delete all data in {where} before seeding?", abort=True)
    runtime = open_runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            result = seed_database(session, seed=seed, employees=employees, reset=reset)
            users = seed_demo_users(session)
    finally:
        runtime.engine.dispose()
    path = result.write_manifest(settings.data_dir)
    what = "the demo org" if result.kind == "demo" else f"a synthetic org of {employees:,} people"
    click.echo(f"Seeded {what} (seed {result.seed}) into {where}; 'today' is pinned to {result.today}.")
    for line in result.report.lines():
        click.echo(f"  {line}")
    click.echo(f"Manifest: {path}")
    click.echo("\n".join(_try_lines(result)))
    click.echo(f"Web: run 'coach serve' and sign in at http://127.0.0.1:8000/ with any of the "
               f"{users} demo emails and the password {DEMO_PASSWORD!r}.")
    if ingest:
        ctx.invoke(ingest_guidance, corpus=None)


def _try_lines(result: SeedResult) -> list[str]:
    m = result.manifest
    if result.kind == "scale":
        f = m["focus_manager"]
        return [f"Benchmark manager ({f['reports']} reports): {f['id']} {f['email']}",
                f"Head of the org: {m['head']['email']}; hr_admin: {m['hr_admin']['email']}"]
    lines = ["Managers to try (each sees only their own reporting chain):"]
    lines += [f"  {x['id']:<5} {x['email']:<28} {x['name']}, {x['department']}, {len(x['report_ids'])} reports"
              for x in m["managers"]]
    lines.append(f"  {m['head']['id']:<5} {m['head']['email']:<28} {m['head']['name']}, head of the org")
    lines.append(f"  {m['hr_admin']['id']:<5} {m['hr_admin']['email']:<28} {m['hr_admin']['name']}, hr_admin (sees everyone)")
    emails = {x["id"]: x["email"] for x in m["managers"]}
    lines.append("Example questions:")
    for key in ("blocked_goal", "last_1on1_actions", "lapsed_1on1s"):
        s = m["situations"][key]
        lines.append(f'  coach ask --as {emails[s["manager_id"]]} "{s["question"]}"')
    return lines
