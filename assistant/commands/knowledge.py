"""``coach ingest`` and ``coach guide``: build and query the guidance knowledge base."""
from __future__ import annotations

import textwrap
from pathlib import Path

import click

from assistant.cli import settings_from
from knowledge.errors import KnowledgeError


def _fail(exc: KnowledgeError) -> click.ClickException:
    return click.ClickException(str(exc))


def _wrap(text: str, width: int = 96) -> str:
    """Re-wrap prose paragraphs for the terminal; keep list paragraphs line by line."""
    paragraphs = []
    for para in text.split("\n\n"):
        lines = para.splitlines()
        if any(line.lstrip().startswith(("- ", "* ")) or line.lstrip()[:3].rstrip(".").isdigit() for line in lines):
            paragraphs.append(para)
        else:
            paragraphs.append(textwrap.fill(" ".join(line.strip() for line in lines), width=width))
    return textwrap.indent("\n\n".join(paragraphs), "   ")


@click.command()
@click.option(
    "--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder of guidance Markdown files (default: the packaged corpus).",
)
@click.pass_context
def ingest(ctx: click.Context, corpus: Path | None) -> None:
    """Index the guidance corpus into Chroma (safe to rerun: unchanged passages are kept)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from knowledge.corpus import load_corpus
    from knowledge.index import open_index

    settings = settings_from(ctx)
    try:
        passages = load_corpus(corpus)
        index = open_index(settings.chroma_path, settings.chroma_url)
        columns = (TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("ingest", total=len(passages))
            report = index.ingest(passages, progress=lambda done, total: bar.update(task, completed=done))
    except KnowledgeError as exc:
        raise _fail(exc) from exc
    docs = len({p.doc for p in passages})
    counts = ", ".join(f"{n} {label}" for label, n in report.counts.items())
    where = settings.chroma_url or settings.chroma_path
    click.echo(f"Indexed {report.total} passages from {docs} documents into {where}: {counts}.")


@click.command()
@click.argument("question")
@click.option("-k", "k", type=click.IntRange(1, 20), default=4, show_default=True, help="How many passages.")
@click.pass_context
def guide(ctx: click.Context, question: str, k: int) -> None:
    """Show the guidance passages that best answer QUESTION, with their ids."""
    from knowledge.index import open_index

    settings = settings_from(ctx)
    try:
        hits = open_index(settings.chroma_path, settings.chroma_url, create=False).search(question, k)
    except KnowledgeError as exc:
        raise _fail(exc) from exc
    for rank, hit in enumerate(hits, start=1):
        click.secho(f"{rank}. [{hit.id}] {hit.title}: {hit.section}", bold=True)
        click.echo(_wrap(hit.text))
        click.echo()


def register(cli: click.Group) -> None:
    """Add ``ingest`` and ``guide`` to ``cli``."""
    cli.add_command(ingest)
    cli.add_command(guide)
