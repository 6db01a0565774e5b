"""`tangguh serve`: the web page over the same database and search index (a thin shell)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated

import typer

from tangguh.errors import ExitCode, UserError


def is_loopback(host: str) -> bool:
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, token: str | None) -> None:
    """A server others can reach must ask for a token: the corpus and the judges' verdicts
    are not for every machine on the network."""
    if not is_loopback(host) and not token:
        raise UserError(
            f"--host {host} is reachable from other machines: give --token (or TANGGUH_TOKEN) "
            "so that only people with it can read the pages",
            ExitCode.USAGE,
        )


def register(app: typer.Typer) -> None:
    from tangguh.cli import console, handled

    @app.command()
    @handled
    def serve(
        ctx: typer.Context,
        host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
            "127.0.0.1"
        ),
        port: Annotated[int, typer.Option(help="Port (0: any free port).", min=0)] = 8000,
        token: Annotated[
            str | None,
            typer.Option(
                envvar="TANGGUH_TOKEN",
                help="Required token (header or login form); needed for a non-loopback --host.",
            ),
        ] = None,
    ) -> None:
        """Serve the web page: search, timeline, documents, judging, sources and runs (read-only)."""
        import socket

        import uvicorn

        from tangguh.paths import index_dir_for
        from tangguh.web.app import create_app

        check_exposure(host, token)
        db = ctx.obj.open_db()
        config = ctx.obj.config  # --config / TANGGUH_CONFIG, else ./sources.toml when there
        if config is None and os.path.exists("sources.toml"):
            config = Path("sources.toml")
        application = create_app(db, index_dir_for(db.url), token=token, config=config)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), port))
        except OSError as exc:
            raise UserError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        bound = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        console.print(
            f"Tangguh at http://{shown}:{bound}/  (database {db.url}; Ctrl+C stops)",
            highlight=False,
        )
        config_ = uvicorn.Config(application, log_level="warning", access_log=False)
        uvicorn.Server(config_).run(sockets=[sock])
