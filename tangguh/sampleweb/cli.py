"""``tangguh sampleweb``: serve the offline sample web for people and other tools."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="The offline sample web: realistic blogs and news sites on loopback.")


@app.callback()
def main() -> None:
    """The offline sample web: realistic blogs and news sites on loopback."""


@app.command()
def serve(
    port: Annotated[
        int, typer.Option("--port", help="Port on 127.0.0.1 (0 picks a free one).")
    ] = 0,
    scale: Annotated[
        int, typer.Option("--scale", help="Also serve scale.test with N generated articles.")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed for ids and generated text.")] = 0,
    corpus: Annotated[
        Path | None, typer.Option("--corpus", help="Corpus directory (default: the bundled one).")
    ] = None,
    sources_out: Annotated[
        Path | None, typer.Option("--sources-out", help="Also write sources.toml to this file.")
    ] = None,
    latency: Annotated[
        float,
        typer.Option("--latency", help="Seconds every answer waits, like a distant server.", min=0),
    ] = 0.0,
    entries: Annotated[
        int,
        typer.Option("--entries", help="Also serve N contest entries, one blog per host."),
    ] = 0,
    form_out: Annotated[
        Path | None,
        typer.Option("--form-out", help="Write the form export (CSV) of the --entries here."),
    ] = None,
) -> None:
    """Serve every sample site until Ctrl-C, printing the base URL and each site's URL."""
    from .contest_web import write_form
    from .server import SampleWeb

    web = SampleWeb(scale=scale, seed=seed, corpus_dir=corpus, latency=latency, entries=entries)
    base = web.start(port)
    typer.echo(base)
    for info in web.sites:
        typer.echo(f"{info.kind:10} {info.start_urls[0]}")
    typer.echo(
        'Map *.test to 127.0.0.1, e.g. chromium --host-resolver-rules="MAP *.test 127.0.0.1"'
    )
    if sources_out is not None:
        sources_out.write_text(web.sources_toml(), encoding="utf-8")
        typer.echo(f"sources written to {sources_out}")
    if entries:
        typer.echo(f"{entries:<10} contest entries at {web.farm.entry_url(1)} ...")
    if form_out is not None:
        write_form(form_out, web.farm.entry_urls())
        typer.echo(f"form export of the {entries} entries written to {form_out}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        web.stop()
