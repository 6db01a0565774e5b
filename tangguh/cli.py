"""`tangguh`: the command line, a thin shell over library functions (Typer + Rich).

Every failure a user can cause (a bad file, an unreachable database, a held lock) ends
with a one-line message and a documented exit code, never a traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tangguh.errors import ExitCode, UserError

app = typer.Typer(
    help="Collect, normalise, deduplicate and search what the web wrote about Kampung Tangguh.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)
log = logging.getLogger("tangguh")


@dataclass
class Context:
    db_url: str | None
    config: Path | None
    allow_private: bool
    verbose: bool

    def open_db(self):
        from store.db import open_database

        return open_database(self.db_url)

    @property
    def resolved_url(self) -> str:
        from store.db import resolve_db_url

        return resolve_db_url(self.db_url)


def handled(fn: Callable) -> Callable:
    """Turn expected errors into a message and an exit code (no traceback for users)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any):
        from store.db import StoreError

        try:
            return fn(*args, **kwargs)
        except UserError as exc:
            err.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(int(exc.code)) from None
        except StoreError as exc:
            err.print(f"[red]database error:[/red] {exc}", highlight=False)
            raise typer.Exit(int(ExitCode.STORE)) from None
        except Exception as exc:
            # Search-index problems (missing, busy, built by another model) are the user's
            # to fix: say how, without a traceback. (Only raised once search.index loaded.)
            index_mod = sys.modules.get("search.index")
            if index_mod is not None and isinstance(exc, index_mod.SearchIndexError):
                err.print(f"[red]search index:[/red] {exc}", highlight=False)
                raise typer.Exit(int(ExitCode.ERROR)) from None
            raise
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None

    return wrapper


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="TANGGUH_DB",
            help="SQLAlchemy database URL or SQLite path (default: sqlite:///data/tangguh.db).",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", envvar="TANGGUH_CONFIG", help="sources.toml to read sources from."
        ),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            envvar="TANGGUH_ALLOW_PRIVATE",
            help="Allow fetching URLs that resolve to loopback or private addresses.",
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more detail.")] = False,
) -> None:
    """Tangguh: crawl, import, search and judge writing about Kampung Tangguh."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        from tangguh.logs import brief_terminal

        brief_terminal()
    ctx.obj = Context(db, config, allow_private, verbose)


# --- import / export / stats -------------------------------------------------------------


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@app.command("import")
@handled
def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="JSON Lines file of document records.")],
    source: Annotated[
        str | None, typer.Option(help="Name to record as the documents' source.")
    ] = None,
) -> None:
    """Import documents (design.md record schema) through the same pipelines as a crawl.

    Bad lines are reported with their line number; valid lines are kept; the exit code is
    3 when any line was bad.
    """
    from tangguh.ops import import_jsonl

    if not file.is_file():
        raise UserError(f"no such file: {file}", ExitCode.BAD_CONFIG)
    db = ctx.obj.open_db()
    report = import_jsonl(db, file, source=source)
    for bad in report.bad[:50]:
        err.print(f"{file}:{bad.line}: {bad.reason}", highlight=False, markup=False)
    if len(report.bad) > 50:
        err.print(f"... and {len(report.bad) - 50} more bad lines")
    o = report.outcomes
    console.print(
        f"imported {file}: {o['new']} new, {o['updated']} updated, {o['unchanged']} unchanged, "
        f"{o['dropped']} dropped, {len(report.bad)} bad line(s), {o['failed']} failed"
    )
    if not report.ok:
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command()
@handled
def export(
    ctx: typer.Context,
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="jsonl or csv.")] = (
        ExportFormat.jsonl
    ),
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output file; '-' or none: standard output."),
    ] = None,
) -> None:
    """Export every stored document (duplicates included) in the design.md record schema."""
    from tangguh.ops import export as do_export

    if out is not None and str(out) == "-":  # `tangguh export --out - | jq`
        out = None
    count = do_export(ctx.obj.open_db(), format.value, out)
    if out is not None:
        console.print(f"exported {count} documents to {out}")


@app.command()
@handled
def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Counts of stored documents by kind, site and month."""
    from tangguh.ops import stats as do_stats

    data = do_stats(ctx.obj.open_db())
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{data['total']}[/bold] documents, {data['duplicates']} duplicates")
    for title, key in (("kind", "by_kind"), ("site", "by_site"), ("month", "by_month")):
        table = Table(title=f"by {title}")
        table.add_column(title)
        table.add_column("documents", justify="right")
        for name, n in data[key].items():
            table.add_row(str(name), str(n))
        console.print(table)


@app.command()
@handled
def runs(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many recent runs to list.")] = 20,
) -> None:
    """List recent crawl/fetch/import runs with their summaries (and a distributed run's
    workers: how many, how many still running, how many lost)."""
    from store import distributed, repo

    db = ctx.obj.open_db()
    with db.read() as session:
        rows = repo.recent_runs(session, limit)
        workers = distributed.worker_counts(session, [r.id for r in rows if r.queue])
        table = Table(title="recent runs")
        cols = ("id", "command", "started (UTC)", "status", "new", "updated", "failed", "exit")
        for col in (*cols, "workers"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                str(r.id),
                r.command,
                r.started_at.strftime("%Y-%m-%d %H:%M:%S"),
                r.status,
                str(r.new),
                str(r.updated),
                str(r.failed),
                "" if r.exit_code is None else str(r.exit_code),
                _workers_cell(workers.get(r.id)) if r.queue else "",
            )
    console.print(table)


def _workers_cell(by_status: dict[str, int] | None) -> str:
    """`3 (1 running, 1 lost)` for a distributed run's workers."""
    if not by_status:
        return "0"
    detail = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
    return f"{sum(by_status.values())} ({detail})"


@app.command()
@handled
def duplicates(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List duplicate groups: the earliest-published document and its copies."""
    from store import repo

    db = ctx.obj.open_db()
    with db.read() as session:
        groups = {
            root: [
                {
                    "url": d.url,
                    "site": d.site,
                    "title": d.title,
                    "published_at": repo.published_iso(d),
                }
                for d in members
            ]
            for root, members in repo.duplicate_groups(session).items()
        }
    if as_json:
        print(json.dumps([{"url": r, "copies": m} for r, m in groups.items()], ensure_ascii=False))
        return
    if not groups:
        console.print("no duplicate groups")
    for root, members in groups.items():
        console.print(f"[bold]{root}[/bold] ({len(members)} copies)", soft_wrap=True)
        for m in members:
            console.print(
                f"  └ {m['url']}  {m['published_at'] or ''}", highlight=False, soft_wrap=True
            )


def _register_optional() -> None:
    """Commands whose modules land with their issues (crawl, search, judging, sample web)."""
    from tangguh import commands

    commands.register(app)


_register_optional()


def run() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
