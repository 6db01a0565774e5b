"""`tangguh demo`: the main job end to end, offline, on the bundled sample web."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

DEMO_DIR = Path("data/demo")
DEMO_QUERIES = (
    "gotong royong warga selama pandemi",
    "how did villages in Blitar organise food for isolated families?",
    "posko kampung tangguh diresmikan wali kota",
)


def judge_sample_contest(web, db_url: str, out: Path) -> subprocess.CompletedProcess:
    """Judge the sample contest (its entries live on the sample web) into the demo database,
    through `tangguh judge run` itself, so that /judging has something real to show.

    The shipped form export names the sample sites without a port; the live server has one.
    """
    corpus = resources.files("tangguh.sampleweb").joinpath("corpus")
    form = corpus.joinpath("contest-entries.csv").read_text(encoding="utf-8")
    form = re.sub(r"(https?://[a-z0-9.-]+\.test)/", rf"\g<1>:{web.port}/", form)
    entries = out / "contest-entries.csv"
    entries.write_text(form, encoding="utf-8")
    contest = out / "contest.toml"
    contest.write_text(corpus.joinpath("contest.toml").read_text(encoding="utf-8"), "utf-8")
    command = [sys.executable, "-m", "tangguh.cli", "--db", db_url, "--allow-private"]
    command += ["judge", "run", str(contest), "--entries", str(entries)]
    command += ["--out", str(out / "judging")]
    env = {**os.environ, "COLUMNS": "200"}  # its summary on one line
    return subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)


def register(app: typer.Typer) -> None:
    from tangguh.cli import console, handled

    @app.command()
    @handled
    def demo(
        out: Annotated[Path, typer.Option(help="Folder for the demo database and index.")] = (
            DEMO_DIR
        ),
        skip_search: Annotated[
            bool, typer.Option("--skip-search", help="Stop after crawling and dedup.")
        ] = False,
    ) -> None:
        """Serve the sample web on loopback, crawl it, dedup, index and run sample searches."""
        from rich.markup import escape
        from rich.panel import Panel
        from rich.table import Table

        from scrapers.sources import parse_sources
        from store.db import open_database
        from tangguh import crawl as crawl_mod
        from tangguh.ops import stats as store_stats
        from tangguh.sampleweb.server import SampleWeb

        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        db_url = f"sqlite:///{out / 'tangguh.db'}"
        t0 = time.perf_counter()
        with SampleWeb() as web:
            console.print(f"[bold]sample web[/bold] serving {len(web.sites)} sites at {web.base}")
            sources_text = web.sources_toml()
            (out / "sources.toml").write_text(sources_text, encoding="utf-8")
            sources = parse_sources(sources_text, origin=str(out / "sources.toml"))
            db = open_database(db_url)
            with console.status("crawling the sample web over HTTP..."):
                summary = crawl_mod.run(
                    db,
                    command="crawl",
                    sources=sources,
                    allow_private=True,
                    extra_settings=crawl_mod.LOOPBACK_SETTINGS,
                )
            s = summary.stats
            console.print(
                f"[bold]crawl[/bold]: {s['new']} documents stored, {s['requests']} requests, "
                f"{s['dropped']} off-topic dropped, {s['failed']} failed, "
                f"{s['duration_s']:.1f}s"
            )
            with console.status("judging the sample contest (tangguh judge run)..."):
                judged = judge_sample_contest(web, db_url, out)
            if judged.returncode == 0:
                summary = [ln for ln in judged.stdout.splitlines() if "entri dinilai" in ln]
                console.print(
                    f"[bold]judging[/bold]: {escape(summary[-1] if summary else 'done')}",
                    highlight=False,
                )
            else:
                console.print(
                    f"[yellow]judging the sample contest failed (exit {judged.returncode}):"
                    f"[/yellow] {escape((judged.stderr or judged.stdout).strip()[-500:])}"
                )
        counts = store_stats(db)
        table = Table(title="stored documents")
        table.add_column("kind")
        table.add_column("count", justify="right")
        for kind, n in sorted(counts["by_kind"].items()):
            table.add_row(kind, str(n))
        table.add_row("duplicates (syndicated/copied)", str(counts["duplicates"]))
        console.print(table)
        if not skip_search:
            from search.query import search as run_search
            from search.render import hits_table
            from tangguh.cmd_search import build_index
            from tangguh.paths import index_dir_for

            with console.status("embedding documents (multilingual-e5-small, CPU)..."):
                result = build_index(db, progress=False)
            console.print(f"[bold]index[/bold]: {result}", highlight=False)
            for q in DEMO_QUERIES:
                hits = run_search(index_dir_for(db.url), q, limit=3)
                if console.width >= 120:
                    console.print(hits_table(q, hits))
                    continue
                # A narrow terminal squeezes the table's columns: a short list reads better.
                console.print(f"\n[bold]search:[/bold] {escape(q)}")
                for n, hit in enumerate(hits, start=1):
                    copies = f", {hit.copies} copies" if hit.copies > 1 else ""
                    console.print(
                        f" {n}. [bold]{escape(hit.title or hit.url)}[/bold]\n"
                        f"    {hit.published_at or 'undated'} · {hit.site} · {hit.kind}{copies}\n"
                        f"    [dim]{escape(' '.join(hit.snippet.split())[:160])}[/dim]",
                        highlight=False,
                    )
        console.print(
            Panel(
                f"Done in {time.perf_counter() - t0:.0f}s. Database: {db_url}\n"
                f'Try: tangguh --db {db_url} search "lumbung pangan"\n'
                f"     tangguh --db {db_url} export --format csv --out {out / 'export.csv'}",
                title="Tangguh demo",
            )
        )
        # Last, on a line of its own: the command that opens all of this in a browser.
        console.print(f"Web page: tangguh --db {db_url} serve", highlight=False, soft_wrap=True)
