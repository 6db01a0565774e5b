"""Child process of `ScrapyEntryFetcher`: fetch the job's entry URLs, one JSON line each.

Run as `python -m tangguh.judging.fetch_worker JOB.json`; the job names the URLs and the crawl
settings. The project's `fetch` spider crawls them (`scrapers.runner.run_crawl`), and as soon
as an entry's own request chain has finished (`scrapers.outcomes`), its `FetchedEntry` is
written as one line on standard output, which carries nothing else (logs go to standard
error). A SIGINT ends the child at once with exit code 130: the lines already written are
kept by the parent, the rest is fetched by the next run.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class EntryWriter:
    """`Outcomes.on_done`: each finished entry (and any listed variant of it) as a line."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.lock = threading.Lock()
        self.written: set[str] = set()

    def __call__(self, outcome: Any) -> None:
        from .scrapy_items import entry_from_outcome

        entry = entry_from_outcome(outcome)
        self.write([entry, *(replace(entry, url=alias) for alias in outcome.aliases)])

    def write(self, entries: list[Any]) -> None:
        lines = [
            json.dumps(e.to_dict(), ensure_ascii=False, default=_json_default) + "\n"
            for e in entries
        ]
        with self.lock:
            self.out.write("".join(lines))
            self.out.flush()
            self.written.update(e.url for e in entries)


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr  # the entry lines are the only thing on the channel
    from scrapers.outcomes import Outcomes
    from scrapers.runner import run_crawl

    from .fetch import FetchedEntry
    from .scrapy_items import describe

    writer = EntryWriter(out)
    urls = list(job["urls"])
    settings = {**job["settings"], "TANGGUH_OUTCOMES": Outcomes(on_done=writer, keep_items=True)}
    try:
        run_crawl([], settings=settings, urls=urls)
    except KeyboardInterrupt:
        out.flush()
        os._exit(130)  # the reactor thread may be mid-request: do not wait for it
    # A URL the crawl never finished (it should not happen): say so rather than stay silent.
    left = [url for url in urls if url not in writer.written]
    unfinished = describe("unfinished")
    writer.write([FetchedEntry(url=u, error=unfinished, reason="unfinished") for u in left])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
