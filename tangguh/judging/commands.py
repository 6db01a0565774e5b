"""`tangguh judge run|rank|recheck`: a thin shell over the judging library.

Exit codes (tangguh.errors): 0 done (entries may still be ineligible: that is a result,
not an error); 3 `run` judged what it could, but some rows of the form could not be judged
or some entries could not be fetched (each is named with its reason), `rank` has incomplete
scores; 4 unusable input (contest file, entry file without a usable row, refused score sheet);
7 `recheck` found an entry gone or changed (cron mails it); 130 stopped by Ctrl-C (what was
fetched is kept: the same command resumes).

Modules that load openpyxl are imported inside the commands that need them, so other
`tangguh` commands start fast.

The default output folder is `<contest file's folder>/<contest file name>-judging/`, so
`recheck CONTEST.toml` from cron finds what `run` wrote without more options.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tangguh.errors import ExitCode

from .contest import Contest, ContestError, load_contest
from .entries import EntriesError, read_entries
from .fetch import (
    EntryFetcher,
    FetchedEntry,
    FetchInterrupted,
    ScrapyEntryFetcher,
    SnapshotFetcher,
)
from .journal import JOURNAL, fetch_journaled, kept_entries
from .labels import ELIGIBLE, NOT_ELIGIBLE, RULE_LABELS
from .originality import CorpusIndex, load_store_docs
from .rules import judge

app = typer.Typer(help="Penjurian lomba blog: cek aturan, laporan, lembar nilai, peringkat.")
console = Console()
err = Console(stderr=True)

AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        envvar="TANGGUH_ALLOW_PRIVATE",
        help="Izinkan URL ke alamat loopback/privat (web contoh, uji); jangan untuk entri asli.",
    ),
]
INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C
OutDir = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Folder hasil (bawaan: <folder contest>/<nama>-judging)."),
]


STATUS_LABELS = {
    "gone": "hilang",
    "changed": "berubah",
    "back": "dapat diakses lagi",
    "unchanged": "tetap",
}


def default_out(contest_file: Path) -> Path:
    return contest_file.parent / f"{contest_file.stem}-judging"


def make_fetcher(*, allow_private: bool) -> EntryFetcher:
    """The real fetcher (tests replace this function)."""
    return ScrapyEntryFetcher(allow_private=allow_private)


def _global(ctx: typer.Context, name: str) -> object | None:
    """An option given to the `tangguh` group (`tangguh --db X judge run ...`), if any."""
    obj = ctx.find_root().obj
    return getattr(obj, name, None) if obj is not None else None


def _load(contest_file: Path) -> Contest:
    try:
        return load_contest(contest_file)
    except ContestError as exc:
        err.print(f"[red]contest.toml tidak valid:[/red] {escape(str(exc))}")
        raise typer.Exit(int(ExitCode.BAD_CONFIG)) from exc


def _open_store(db: str | None, no_store: bool):
    """The project's store when one is named or already exists; None otherwise."""
    if no_store:
        return None
    try:
        from store.db import StoreError, open_database, resolve_db_url, sqlite_path
    except ImportError:
        return None
    try:
        url = resolve_db_url(db)
        path = sqlite_path(url)
        if db is None and not os.environ.get("TANGGUH_DB") and (path is None or not path.exists()):
            return None
        return open_database(url, migrate=db is not None)
    except (StoreError, Exception) as exc:  # noqa: BLE001 - judging goes on without a corpus
        err.print(f"[yellow]penyimpanan tidak dapat dibuka, dilewati:[/yellow] {escape(str(exc))}")
        return None


def _save_snapshots(database, fetched: dict[str, FetchedEntry]) -> int:
    from store import repo

    saved = 0
    with database.write() as session:
        for entry in fetched.values():
            if entry.body_html is not None and entry.reachable:
                repo.save_snapshot(
                    session,
                    entry.final_url or entry.url,
                    entry.body_html.encode("utf-8"),
                    status=entry.status,
                    fetched_at=entry.fetched_at,
                )
                saved += 1
    return saved


@app.command("run")
def run_command(
    ctx: typer.Context,
    contest_file: Annotated[Path, typer.Argument(help="contest.toml")],
    entries: Annotated[Path, typer.Option("--entries", "-e", help="Ekspor CSV formulir entri.")],
    out: OutDir = None,
    url_column: Annotated[
        str | None, typer.Option("--url-column", help="Judul kolom berisi URL postingan.")
    ] = None,
    allow_private: AllowPrivate = False,
    db: Annotated[
        str | None, typer.Option("--db", help="Basis data korpus untuk cek orisinalitas.")
    ] = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Jangan bandingkan dengan korpus tersimpan.")
    ] = False,
    from_snapshots: Annotated[
        Path | None,
        typer.Option("--from-snapshots", help="Nilai ulang dari snapshot folder hasil lama."),
    ] = None,
    refetch: Annotated[
        bool,
        typer.Option(
            "--refetch", help="Ambil ulang semua entri, juga yang sudah diambil run sebelumnya."
        ),
    ] = False,
) -> None:
    """Ambil setiap entri, cek semua aturan, tulis laporan, paket baca buta dan lembar nilai.

    Entri yang sudah diambil run sebelumnya ke folder hasil yang sama (juga run yang
    terhenti karena Ctrl-C) tidak diambil lagi, kecuali dengan --refetch.
    """
    contest = _load(contest_file)
    allow_private = allow_private or bool(_global(ctx, "allow_private"))
    db = db or _global(ctx, "db_url")  # type: ignore[assignment]
    listing = _read_listing(entries, url_column, contest)
    target = out or default_out(contest_file)
    urls = [e.url for e in listing.entries]
    if from_snapshots:
        fetched = SnapshotFetcher(from_snapshots).fetch(urls)
    else:
        fetched = _fetch_entries(urls, target, allow_private=allow_private, refetch=refetch)
    database = _open_store(db, no_store)
    corpus = None
    if database is not None:
        corpus = CorpusIndex(load_store_docs(database))
        saved = _save_snapshots(database, fetched)
        console.print(f"korpus: {len(corpus)} dokumen; {saved} snapshot disimpan ke basis data")
    verdicts = judge(contest, listing.entries, fetched, corpus=corpus)
    from .report import write_reports  # openpyxl: loaded only when a report is written

    paths = write_reports(target, contest, verdicts, listing.problems, entries_file=str(entries))
    _print_verdicts(verdicts)
    if database is not None:
        _record(database, contest, verdicts, listing.problems, paths, str(entries))
    raise typer.Exit(_print_run_summary(verdicts, listing, paths["json"].parent))


def _read_listing(entries: Path, url_column: str | None, contest: Contest):
    try:
        listing = read_entries(entries, url_column=url_column, tz=contest.tz)
    except EntriesError as exc:
        err.print(f"[red]berkas entri tidak dapat dipakai:[/red] {escape(str(exc))}")
        raise typer.Exit(int(ExitCode.BAD_CONFIG)) from exc
    for problem in listing.problems:
        colour = "red" if problem.level == "error" else "yellow"
        err.print(f"[{colour}]{escape(str(problem))}[/{colour}]")
    return listing


def _fetch_entries(
    urls: list[str], target: Path, *, allow_private: bool, refetch: bool
) -> dict[str, FetchedEntry]:
    """Fetch what `target` does not hold yet, with a progress bar; Ctrl-C keeps what arrived."""
    kept = kept_entries(urls, target, refetch=refetch)
    if kept:
        err.print(
            f"{len(kept)} entri sudah diambil sebelumnya (snapshot di {target}); "
            "hanya sisanya yang diambil (--refetch untuk mengambil ulang semua)."
        )
    todo = [url for url in urls if url not in kept]
    if not todo:
        return {url: kept[url] for url in urls}
    fetched: dict[str, FetchedEntry] = {}
    progress = _progress()
    with progress:
        task = progress.add_task("mengambil entri", total=len(todo))
        try:
            fetched = fetch_journaled(
                make_fetcher(allow_private=allow_private),
                todo,
                target,
                on_entry=lambda entry: progress.advance(task),
            )
        except (FetchInterrupted, KeyboardInterrupt):
            done = int(progress.tasks[0].completed)
            progress.stop()
            err.print(
                f"[yellow]dihentikan:[/yellow] {len(kept) + done} dari {len(urls)} entri sudah "
                f"diambil dan disimpan ({target / JOURNAL}); jalankan perintah yang sama lagi "
                "untuk melanjutkan."
            )
            raise typer.Exit(INTERRUPTED) from None
    return {url: kept.get(url) or fetched[url] for url in urls}


def _progress():
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
    )


def _print_run_summary(verdicts, listing, out: Path) -> int:
    """Every entry that could not be fetched, with why; then one line whose word says the
    exit code: `selesai` (0), `selesai sebagian` (3: some rows or entries failed), or
    `tidak ada entri` (4)."""
    unfetched = [v for v in verdicts if not v.fetched.reachable]
    for v in unfetched:
        err.print(
            f"[red]baris {v.entry.row}[/red] {escape(v.entry.url)}: "
            f"{escape(v.checks['reachable'].evidence)}",
            highlight=False,
        )
    eligible = sum(v.eligible for v in verdicts)
    if not verdicts:
        word, code = "tidak ada entri yang dapat dinilai", ExitCode.BAD_CONFIG
    elif unfetched or listing.errors:
        word, code = "selesai sebagian", ExitCode.PARTIAL
    else:
        word, code = "selesai", ExitCode.OK
    console.print(
        f"penjurian {word} (kode {int(code)}): {len(verdicts)} entri dinilai, {eligible} lolos, "
        f"{len(verdicts) - eligible} tidak lolos ({len(unfetched)} tidak dapat diambil), "
        f"{len(listing.errors)} baris tidak dinilai. Hasil: {out}",
        highlight=False,
    )
    return int(code)


def _record(database, contest, verdicts, problems, paths, entries_file: str) -> None:
    """The verdicts into the database for `tangguh serve`'s /judging (reports stay on disk
    whatever happens here)."""
    from .record import record_run

    try:
        contest_id = record_run(
            database, contest, verdicts, problems, paths, entries_file=entries_file
        )
    except Exception as exc:  # noqa: BLE001 - the reports are written; say why and go on
        err.print(f"[yellow]hasil tidak tersimpan ke basis data:[/yellow] {escape(str(exc))}")
        return
    console.print(f"hasil tersimpan di basis data (penjurian #{contest_id}, lihat tangguh serve)")


def _print_verdicts(verdicts) -> None:
    table = Table(show_lines=False)
    for column in ("Baris", "URL", "Hasil", "Kata", "Gagal pada"):
        table.add_column(column)
    for v in verdicts:
        table.add_row(
            str(v.entry.row),
            escape(v.entry.url),
            f"[green]{ELIGIBLE}[/green]" if v.eligible else f"[red]{NOT_ELIGIBLE}[/red]",
            str(v.word_count) if v.word_count is not None else "-",
            ", ".join(RULE_LABELS[n] for n in v.fails),
        )
    console.print(table)


@app.command("rank")
def rank_command(
    contest_file: Annotated[Path, typer.Argument(help="contest.toml")],
    sheets: Annotated[list[Path], typer.Argument(help="Lembar nilai juri yang sudah diisi.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="CSV peringkat (bawaan: di folder hasil).")
    ] = None,
    key: Annotated[
        Path | None, typer.Option("--key", help="blind-key.csv untuk nama dan URL.")
    ] = None,
) -> None:
    """Gabungkan lembar nilai para juri menjadi peringkat (nilai tertimbang, seri ditandai)."""
    from .rank import RankError, rank_sheets, read_key, write_ranking_csv
    from .scoresheet import ScoreSheetError

    contest = _load(contest_file)
    try:
        ranking = rank_sheets(contest, sheets)
    except (RankError, ScoreSheetError) as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(int(ExitCode.BAD_CONFIG)) from exc
    folder = default_out(contest_file)
    mapping = read_key(key or folder / "blind-key.csv")
    target = out or (folder / "ranking.csv" if folder.is_dir() else Path("ranking.csv"))
    write_ranking_csv(target, ranking, mapping)
    table = Table()
    for column in ("Peringkat", "Naskah", "Nilai", "Juri", "Entri"):
        table.add_column(column)
    for row in ranking.rows:
        info = mapping.get(row.number, {})
        rank = f"{row.rank} (seri)" if row.tied else str(row.rank or "-")
        score = f"{row.score:.2f}" if row.score is not None else "-"
        table.add_row(rank, str(row.number), score, str(row.judges), escape(info.get("URL", "")))
    console.print(table)
    for problem in ranking.problems:
        err.print(f"[yellow]{escape(problem)}[/yellow]")
    console.print(f"peringkat ditulis ke {target}")
    if ranking.problems:
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command("recheck")
def recheck_command(
    ctx: typer.Context,
    contest_file: Annotated[Path, typer.Argument(help="contest.toml")],
    out: OutDir = None,
    allow_private: AllowPrivate = False,
) -> None:
    """Ambil ulang entri yang sudah dinilai; laporkan yang hilang atau berubah (untuk cron)."""
    from .recheck import RecheckError, recheck, write_recheck

    contest = _load(contest_file)
    allow_private = allow_private or bool(_global(ctx, "allow_private"))
    folder = out or default_out(contest_file)
    try:
        with err.status("mengambil ulang entri…"):
            changes = recheck(contest, folder, make_fetcher(allow_private=allow_private))
    except RecheckError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(int(ExitCode.BAD_CONFIG)) from exc
    except (FetchInterrupted, KeyboardInterrupt):
        err.print("[yellow]dihentikan[/yellow]; tidak ada yang ditulis.")
        raise typer.Exit(INTERRUPTED) from None
    path = write_recheck(folder, changes)
    flagged = [c for c in changes if c.status != "unchanged" or c.verdict_changes]
    for c in flagged:
        delta = (
            f", kata {c.words_before} → {c.words_after} ({c.word_delta:+d})"
            if c.word_delta is not None
            else ""
        )
        console.print(
            f"[bold]baris {c.row}[/bold] {escape(c.url)}: "
            f"{STATUS_LABELS.get(c.status, c.status)}{delta}"
            + (f" ({escape(c.reason)})" if c.reason else "")
        )
        for name, change in c.verdict_changes.items():
            after = "lulus" if change["after"] else "gagal"
            label = RULE_LABELS.get(name, name)
            console.print(f"  {label} sekarang {after}: {escape(change['evidence'])}")
        for line in c.diff[:20]:
            console.print(f"  {line}", markup=False, highlight=False)
    console.print(f"{len(changes)} entri dicek, {len(flagged)} berubah/hilang. Rincian: {path}")
    if flagged:
        raise typer.Exit(int(ExitCode.WARNING))
