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


def check_all(session: Session) -> list[Finding]:
    return [
        integrity(session),
        orphan_comments(session),
        empty_documents(session),
        stuck_runs(session),
    ]
