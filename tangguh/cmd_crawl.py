"""`tangguh crawl` and `tangguh fetch`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tangguh import cmd_worker
from tangguh.errors import ExitCode, UserError
from tangguh.options import AllowPrivate

DEFAULT_SOURCES = Path("sources.toml")


def _load_sources(config: Path | None):
    from scrapers.sources import SourcesError, load_sources

    path = config or DEFAULT_SOURCES
    if not path.is_file():
        raise UserError(f"no sources file at {path} (use --config FILE)", ExitCode.BAD_CONFIG)
    try:
        return load_sources(path)
    except SourcesError as exc:
        raise UserError(str(exc), ExitCode.BAD_CONFIG) from None


def _print_summary(console, summary) -> int:
    """Every listed URL that gave nothing, with why; then the run's one summary line."""
    s = summary.stats
    for failed in s.get("failed_urls", []):
        console.print(
            f"[red]failed[/red] {escape(failed['url'])}: {escape(failed['message'])}",
            highlight=False,
        )
    console.print(
        f"run {summary.run_id} {summary.status}: {s['new']} new, {s['updated']} updated, "
        f"{s['unchanged']} unchanged, {s['failed']} failed, {s['invalid']} invalid, "
        f"{s['dropped']} off-topic, {s['requests']} requests, {s['errors']} errors "
        f"in {s['duration_s']:.1f}s",
        highlight=False,
    )
    for warning in s.get("warnings", []):
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    if s.get("body_fallbacks"):
        console.print(
            f"[yellow]note:[/yellow] {s['body_fallbacks']} post(s) in a layout we did not "
            "recognise were read by the general extractor; see the log for the sites",
            highlight=False,
        )
    return summary.exit_code


def register(app: typer.Typer) -> None:
    from tangguh.cli import console, err, handled

    @app.command()
    @handled
    def crawl(
        ctx: typer.Context,
        source: Annotated[
            list[str] | None, typer.Argument(help="Names of sources in sources.toml to crawl.")
        ] = None,
        all_: Annotated[bool, typer.Option("--all", help="Crawl every enabled source.")] = False,
        max_runtime: Annotated[
            float | None,
            typer.Option("--max-runtime", help="Stop gracefully after this many seconds.", min=1),
        ] = None,
        queue: Annotated[str | None, typer.Option("--queue", help=cmd_worker.QUEUE_HELP)] = None,
        idle_exit: Annotated[
            float, typer.Option("--idle-exit", help=cmd_worker.IDLE_HELP, min=1)
        ] = 30.0,
        allow_private: AllowPrivate = False,
    ) -> None:
        """Crawl configured sources (incremental: only new or changed pages are fetched).

        With --queue, the crawl is shared: `tangguh worker --queue` processes join it."""
        from scrapers.sources import SourcesError, select_sources
        from tangguh import crawl as crawl_mod
        from tangguh.lock import run_lock
        from tangguh.logs import log_to_file
        from tangguh.paths import lock_for

        sources = _load_sources(ctx.obj.config)
        if not source and not all_:
            raise UserError("name sources to crawl, or pass --all", ExitCode.USAGE)
        try:
            chosen = select_sources(sources, None if all_ else source)
        except SourcesError as exc:
            raise UserError(str(exc), ExitCode.BAD_CONFIG) from None
        ctx.obj.allow_private = ctx.obj.allow_private or allow_private
        if queue is not None:
            code = cmd_worker.crawl_on_queue(
                ctx, chosen, queue, idle_exit=idle_exit, max_runtime=max_runtime
            )
            raise typer.Exit(code)
        db = ctx.obj.open_db()
        log_to_file(db.url)
        with run_lock(lock_for(db.url)):
            summary = crawl_mod.run(
                db,
                command="crawl",
                sources=chosen,
                allow_private=ctx.obj.allow_private,
                max_runtime=max_runtime,
            )
        raise typer.Exit(_print_summary(console, summary))

    @app.command()
    @handled
    def fetch(
        ctx: typer.Context,
        url: Annotated[list[str] | None, typer.Argument(help="Post or article URLs.")] = None,
        urls: Annotated[
            Path | None, typer.Option("--urls", help="File with one URL per line.")
        ] = None,
        allow_private: AllowPrivate = False,
    ) -> None:
        """Fetch single posts/articles (platform detected per page) with their comments.

        Every URL that is refused, unreachable or gives no post is named with the reason and
        counted as failed (exit code 3); an unusable list is exit code 4.
        """
        from tangguh import crawl as crawl_mod
        from tangguh.logs import log_to_file
        from tangguh.urls import BadUrl, check_url, read_url_list

        wanted: list[str] = []
        bad: list[BadUrl] = []
        if urls is not None:
            if not urls.is_file():
                raise UserError(f"no such file: {urls}", ExitCode.BAD_CONFIG)
            wanted, bad = read_url_list(urls)
        for n, value in enumerate(url or [], start=1):
            reason = check_url(value)
            if reason:
                bad.append(BadUrl(n, value, reason))
            else:
                wanted.append(value)
        where = str(urls) if urls is not None else "argument"
        for b in bad:
            err.print(f"{where}:{b.line}: {b.value!r}: {b.reason}", highlight=False, markup=False)
        if not wanted:
            raise UserError("no valid URL to fetch", ExitCode.BAD_CONFIG)
        db = ctx.obj.open_db()
        log_to_file(db.url)
        summary = crawl_mod.run(
            db,
            command="fetch",
            urls=wanted,
            allow_private=ctx.obj.allow_private or allow_private,
            bad_inputs=len(bad),
        )
        raise typer.Exit(_print_summary(console, summary))
