"""`tangguh worker`, and `tangguh crawl --queue`: a crawl shared by many processes."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tangguh.options import AllowPrivate

QUEUE_HELP = (
    "Redis URL (redis://HOST:PORT/DB) of a distributed crawl: its shared queue, "
    "politeness slots and duplicate index. Needs a PostgreSQL --db."
)
IDLE_HELP = "With --queue: stop once the queue has been empty this many seconds."


def crawl_on_queue(
    ctx: typer.Context,
    sources: list,
    queue: str,
    *,
    idle_exit: float,
    max_runtime: float | None,
) -> int:
    """`tangguh crawl --queue`: seed the sources' start requests and crawl as a worker."""
    from tangguh import distributed

    result = _on_queue(ctx, distributed.seed, sources, queue, idle_exit, max_runtime)
    return _report(result)


def _on_queue(
    ctx: typer.Context,
    start: Any,
    sources: list,
    queue: str,
    idle_exit: float,
    max_runtime: float | None,
) -> Any:
    """Open the (PostgreSQL) database and its log, then seed or join the run on ``queue``."""
    from tangguh import distributed
    from tangguh.logs import log_to_file

    distributed.require_postgres(ctx.obj.resolved_url)
    db = ctx.obj.open_db()
    log_to_file(db.url)
    return start(
        db,
        queue,
        sources,
        allow_private=ctx.obj.allow_private,
        idle_exit=idle_exit,
        max_runtime=max_runtime,
    )


def _report(result: Any) -> int:
    """The worker's own line, then the run's summary when this process saw it end."""
    from tangguh.cli import console
    from tangguh.cmd_crawl import _print_summary

    s = result.stats
    console.print(
        f"worker {result.worker_id} of run {result.run_id}: {s['new']} new, "
        f"{s['updated']} updated, {s['requests']} requests in {s['duration_s']:.1f}s",
        highlight=False,
    )
    if result.run is None:
        console.print(
            f"run {result.run_id} goes on with its other workers; the last one records it "
            "(see `tangguh runs`)",
            highlight=False,
        )
        return 0
    lost = result.run.stats.get("lost_workers") or []
    console.print(
        f"run {result.run_id}: {result.run.stats.get('workers', 1)} worker(s)"
        + (f", {len(lost)} lost" if lost else ""),
        highlight=False,
    )
    return _print_summary(console, result.run)


def register(app: typer.Typer) -> None:
    from tangguh.cli import console, handled

    @app.command()
    @handled
    def worker(
        ctx: typer.Context,
        queue: Annotated[str, typer.Option("--queue", help=QUEUE_HELP)],
        idle_exit: Annotated[
            float,
            typer.Option("--idle-exit", help="Stop once the queue was empty this long (s).", min=1),
        ] = 30.0,
        max_runtime: Annotated[
            float | None,
            typer.Option("--max-runtime", help="Stop gracefully after this many seconds.", min=1),
        ] = None,
        allow_private: AllowPrivate = False,
    ) -> None:
        """Join the distributed crawl on --queue (started by `tangguh crawl --queue`)."""
        from tangguh import distributed
        from tangguh.cmd_crawl import _load_sources

        ctx.obj.allow_private = ctx.obj.allow_private or allow_private

        distributed.require_postgres(ctx.obj.resolved_url)
        sources = _load_sources(ctx.obj.config)
        result = _on_queue(ctx, distributed.join, sources, queue, idle_exit, max_runtime)
        if result is None:
            console.print(
                f"no crawl in progress on {distributed.masked(queue)} "
                f"(waited {idle_exit:g}s); nothing to do"
            )
            return
        raise typer.Exit(_report(result))
