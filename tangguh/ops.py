"""Library functions behind the CLI's import/export/stats (the CLI is a thin shell)."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from pipelines.chain import Outcome, PipelineChain
from pipelines.records import BadLine, read_jsonl
from store import repo
from store.db import Database
from tangguh import runs
from tangguh.paths import dead_letter_for


@dataclass
class ImportReport:
    lines: int = 0
    outcomes: Counter = field(default_factory=Counter)
    bad: list[BadLine] = field(default_factory=list)
    stats: Counter = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.bad and not self.outcomes["failed"]


def import_jsonl(db: Database, path: Path, *, source: str | None = None) -> ImportReport:
    """Run every record of a JSON Lines file through the crawl's pipeline chain.

    Bad lines are reported with their number and reason; every valid line is still stored.
    """
    report = ImportReport()
    run_id = runs.start_run(db, "import", [str(path)])
    chain = PipelineChain(db, dead_letter=dead_letter_for(db.url), stats=report.stats)
    for line_no, parsed in read_jsonl(path):
        report.lines = line_no
        if isinstance(parsed, BadLine):
            report.bad.append(parsed)
            continue
        parsed.source = source
        outcome: Outcome = chain.process(parsed)
        if outcome.status == "invalid":
            report.bad.append(BadLine(line_no, outcome.reason))
        elif outcome.status == "dropped":
            report.outcomes["dropped"] += 1
    chain.close()
    for status in ("new", "updated", "unchanged", "failed"):
        report.outcomes[status] = report.stats[status]
    stats = dict(report.outcomes, bad_lines=len(report.bad))
    runs.finish_run(
        db,
        run_id,
        status="ok" if report.ok else "partial",
        stats=stats,
        code=0 if report.ok else 3,
    )
    return report


def iter_records(db: Database) -> Iterator[dict]:
    with db.read() as session:
        for doc in repo.iter_documents(session):
            yield repo.document_record(doc)


@contextmanager
def _output(out: Path | None) -> Iterator[IO[str]]:
    if out is None:
        yield sys.stdout
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        yield fh
    tmp.replace(out)  # a reader never sees half an export


def export(db: Database, fmt: str, out: Path | None) -> int:
    """Write every stored document as JSON Lines or CSV; returns the count."""
    count = 0
    with _output(out) as fh:
        if fmt == "jsonl":
            for record in iter_records(db):
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        else:
            writer = csv.DictWriter(fh, fieldnames=list(repo.EXPORT_FIELDS))
            writer.writeheader()
            for record in iter_records(db):
                if record.get("field_sources") is not None:  # one cell: JSON
                    record["field_sources"] = json.dumps(record["field_sources"])
                writer.writerow(record)
                count += 1
    return count


def stats(db: Database) -> dict:
    with db.read() as session:
        return repo.counts(session)


def doctor_findings(db: Database) -> list:
    """What `tangguh doctor` reports: the database's health checks and the search index
    against the stored documents (``store.health.Finding`` values)."""
    from store import health
    from tangguh.paths import index_dir_for

    with db.read() as session:
        findings = health.check_all(session)
    findings.append(index_finding(db, index_dir_for(db.url)))
    return findings


def index_finding(db: Database, index_dir: Path):
    """Does the search index hold exactly the stored documents, each at its current text?"""
    import sqlite3

    from store.health import Finding

    if not index_dir.exists():
        return Finding("search index", True, f"no index yet at {index_dir} (tangguh index)")
    from search.index import SearchIndexError, doc_key, indexed_doc_keys
    from tangguh.cmd_search import index_docs

    try:
        indexed = indexed_doc_keys(index_dir)
    except (SearchIndexError, OSError, sqlite3.Error) as exc:
        return Finding("search index", False, f"unreadable: {exc}", "tangguh index --rebuild")
    wanted = {doc.id: doc_key(doc) for doc in index_docs(db)}
    missing = len(wanted.keys() - indexed.keys())
    removed = len(indexed.keys() - wanted.keys())
    outdated = sum(1 for i, key in wanted.items() if i in indexed and indexed[i] != key)
    ok = not (missing or removed or outdated)
    return Finding(
        "search index",
        ok,
        f"{len(indexed)} documents indexed; {missing} missing, {outdated} out of date, "
        f"{removed} no longer stored",
        "" if ok else "tangguh index (incremental) or tangguh index --rebuild",
    )
