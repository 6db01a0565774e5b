"""Database health checks for `tangguh doctor` (all SQL stays in store/)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from store.models import CrawlRun, Document


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str
    repair: str = ""


def integrity(session: Session) -> Finding:
    if session.get_bind().dialect.name != "sqlite":
        session.execute(text("SELECT 1"))
        return Finding("integrity", True, "server answers (PostgreSQL checks its own pages)")
    rows = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
    ok = rows == ["ok"]
    return Finding(
        "integrity",
        ok,
        "ok" if ok else "; ".join(rows[:5]),
        "" if ok else "restore from a backup, or `sqlite3 DB .recover > dump.sql`",
    )


def orphan_comments(session: Session) -> Finding:
    n = session.scalar(
        select(func.count()).where(Document.kind == "comment", Document.parent_id.is_(None))
    )
    return Finding(
        "orphan comments",
        n == 0,
        f"{n} comment(s) whose post is not stored",
        "" if n == 0 else "fetch the posts (`tangguh fetch URL`) or re-crawl their source",
    )


def empty_documents(session: Session) -> Finding:
    n = session.scalar(select(func.count()).where(func.length(Document.text) == 0))
    return Finding(
        "documents without text",
        n == 0,
        f"{n} document(s) with empty text",
        "" if n == 0 else "re-crawl them; their raw snapshots are kept for re-parsing",
    )


def stuck_runs(session: Session) -> Finding:
    n = session.scalar(select(func.count()).where(CrawlRun.status == "running"))
    return Finding(
        "unfinished runs",
        True,
        f"{n} run(s) still marked running (a dead one is marked interrupted by the next run)",
    )


def distributed_runs(session: Session, stale_after: float = 90.0) -> Finding:
    """Distributed runs still marked running: their workers, and whether any is alive."""
    from store import distributed

    running = distributed.running_distributed_runs(session)
    if not running:
        return Finding("distributed runs", True, "none running")
    parts, dead = [], []
    for run in running:
        workers = distributed.workers_of(session, run.id)
        alive = [w for w in workers if distributed.is_alive(w, stale_after)]
        silent = [w for w in workers if w.status == "running" and w not in alive]
        names = ", ".join(f"{w.host}/{w.pid}" for w in alive) or "none"
        parts.append(
            f"run {run.id} on {run.queue}: {len(alive)} live worker(s) ({names})"
            + (f", {len(silent)} silent" if silent else "")
        )
        if not alive:
            dead.append(run.id)
    return Finding(
        "distributed runs",
        not dead,
        "; ".join(parts),
        ""
        if not dead
        else f"run(s) {', '.join(map(str, dead))} lost every worker: the next "
        "`tangguh crawl --queue` marks them interrupted and starts afresh",
    )


def check_all(session: Session) -> list[Finding]:
    return [
        integrity(session),
        orphan_comments(session),
        empty_documents(session),
        stuck_runs(session),
        distributed_runs(session),
    ]
