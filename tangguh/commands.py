"""Registers the crawl, worker, fetch, index, search, demo, serve, judge and sampleweb commands."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from tangguh import cmd_crawl, cmd_demo, cmd_ops, cmd_search, cmd_serve, cmd_worker

    cmd_crawl.register(app)
    cmd_worker.register(app)
    cmd_search.register(app)
    cmd_demo.register(app)
    cmd_ops.register(app)
    cmd_serve.register(app)
    try:
        from tangguh.judging.commands import app as judge_app
    except ImportError:  # pragma: no cover - judging not installed
        judge_app = None
    if judge_app is not None:
        app.add_typer(judge_app, name="judge", help="Contest judging: run, rank, recheck.")
    from tangguh.sampleweb.cli import app as sampleweb_app

    app.add_typer(sampleweb_app, name="sampleweb", help="The offline sample web (tests, demo).")
