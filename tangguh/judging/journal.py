"""Resuming `judge run`: keep each entry as it is fetched, reuse what an earlier run kept.

Every fetched entry is appended to ``<out>/snapshots/fetched.jsonl`` the moment it arrives
(one JSON line, the same record as ``snapshots/baris-NNNN.json``), so a run that crashed or
was stopped with Ctrl-C loses nothing it had fetched. The next run over the same folder
takes every entry that an earlier run fetched successfully from there (or from the per-row
snapshots of a finished run) and fetches only the rest: entries not reached yet, and those
that failed (a timeout, a refused address, a 404 may be gone next time). ``--refetch`` starts
over. A torn last line (a kill mid-write) is skipped: that entry is fetched again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .fetch import EntryFetcher, FetchedEntry

JOURNAL = Path("snapshots") / "fetched.jsonl"


def load_snapshots(out: Path) -> dict[str, FetchedEntry]:
    """Every entry fetched into the folder ``out``, by URL, the latest fetch of each."""
    found: dict[str, FetchedEntry] = {}

    def keep(entry: FetchedEntry) -> None:
        old = found.get(entry.url)
        if old is None or entry.fetched_at >= old.fetched_at:
            found[entry.url] = entry

    for path in sorted((out / "snapshots").glob("*.json")):
        try:
            keep(FetchedEntry.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, TypeError, KeyError, OSError):
            continue  # not a snapshot of ours
    journal = out / JOURNAL
    if journal.exists():
        with journal.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    keep(FetchedEntry.from_dict(json.loads(line)))
                except (ValueError, TypeError, KeyError):
                    continue
    return found


class FetchJournal:
    """The append-only record of entries fetched into one output folder."""

    def __init__(self, out: Path) -> None:
        self.path = out / JOURNAL

    def append(self, entry: FetchedEntry) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry.to_dict(), ensure_ascii=False, default=str)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    def reset(self) -> None:
        self.path.unlink(missing_ok=True)


def kept_entries(urls: list[str], out: Path, *, refetch: bool = False) -> dict[str, FetchedEntry]:
    """The entries of ``urls`` an earlier run into ``out`` fetched successfully (none, and the
    journal started afresh, with ``refetch``)."""
    if refetch:
        FetchJournal(out).reset()
        return {}
    earlier = load_snapshots(out)
    return {url: earlier[url] for url in urls if url in earlier and earlier[url].reachable}


def fetch_journaled(
    fetcher: EntryFetcher,
    urls: list[str],
    out: Path,
    *,
    on_entry: Callable[[FetchedEntry], None] | None = None,
) -> dict[str, FetchedEntry]:
    """Fetch ``urls``, appending each entry to the journal the moment it arrives.

    Raises `FetchInterrupted` when the fetch was stopped; what arrived is in the journal.
    """
    journal = FetchJournal(out)

    def arrived(entry: FetchedEntry) -> None:
        journal.append(entry)
        if on_entry is not None:
            on_entry(entry)

    return fetcher.fetch(urls, on_entry=arrived) if urls else {}
