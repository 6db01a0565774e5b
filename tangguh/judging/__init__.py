"""Contest judging: entries from a form export, rule checks with evidence, score sheets.

The library is usable without the CLI: `load_contest`, `read_entries`, a fetcher
(`ScrapyEntryFetcher`, `SnapshotFetcher`), `judge`, `write_reports`, `rank_sheets`, `recheck`.
`commands.app` is the Typer app mounted as `tangguh judge`. See README.md in this folder.
"""

from .contest import Contest, ContestError, load_contest
from .entries import EntriesError, Entry, read_entries
from .fetch import EntryFetcher, FetchedEntry, ScrapyEntryFetcher, SnapshotFetcher
from .rules import Check, Verdict, judge

__all__ = [
    "Check",
    "Contest",
    "ContestError",
    "EntriesError",
    "Entry",
    "EntryFetcher",
    "FetchedEntry",
    "ScrapyEntryFetcher",
    "SnapshotFetcher",
    "Verdict",
    "judge",
    "load_contest",
    "read_entries",
]
