"""SQL of a distributed crawl: its run record (one for all workers) and its workers' rows.

A worker on another machine cannot be checked by pid, so liveness is a heartbeat: a worker
whose `heartbeat_at` is older than `stale_after` seconds is taken for dead (`lost`). The
run is finished by whichever worker finds, under a row lock on the run, that no other
worker is alive any more; it sums what every worker recorded.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.models import CrawlRun, CrawlWorker
from store.repo import utcnow


def start_run(session: Session, sources: list[str], queue: str, pid: int) -> int:
    run = CrawlRun(
        command="crawl",
        sources=sources,
        started_at=utcnow(),
        status="running",
        pid=pid,
        queue=queue,
    )
    session.add(run)
    session.flush()
    return run.id


def add_worker(session: Session, run_id: int, host: str, pid: int, role: str) -> int:
    now = utcnow()
    worker = CrawlWorker(
        run_id=run_id,
        host=host,
        pid=pid,
        role=role,
        started_at=now,
        heartbeat_at=now,
        status="running",
    )
    session.add(worker)
    session.flush()
    return worker.id


def heartbeat(session: Session, worker_id: int) -> None:
    session.execute(
        update(CrawlWorker).where(CrawlWorker.id == worker_id).values(heartbeat_at=utcnow())
    )


def finish_worker(session: Session, worker_id: int, *, status: str, stats: dict) -> None:
    now = utcnow()
    session.execute(
        update(CrawlWorker)
        .where(CrawlWorker.id == worker_id)
        .values(status=status, stats=stats, finished_at=now, heartbeat_at=now)
    )


def get_run(session: Session, run_id: int) -> CrawlRun | None:
    return session.get(CrawlRun, run_id)


def lock_run(session: Session, run_id: int) -> CrawlRun | None:
    """The run row, locked until the transaction ends (PostgreSQL: SELECT ... FOR UPDATE)."""
    return session.scalar(select(CrawlRun).where(CrawlRun.id == run_id).with_for_update())


def workers_of(session: Session, run_id: int) -> list[CrawlWorker]:
    return list(
        session.scalars(
            select(CrawlWorker).where(CrawlWorker.run_id == run_id).order_by(CrawlWorker.id)
        )
    )


def is_alive(worker: CrawlWorker, stale_after: float) -> bool:
    return worker.status == "running" and worker.heartbeat_at > utcnow() - timedelta(
        seconds=stale_after
    )


def mark_lost(session: Session, run_id: int, stale_after: float) -> int:
    """Workers of the run still 'running' whose heartbeat stopped: killed or cut off."""
    cutoff = utcnow() - timedelta(seconds=stale_after)
    result = session.execute(
        update(CrawlWorker)
        .where(
            CrawlWorker.run_id == run_id,
            CrawlWorker.status == "running",
            CrawlWorker.heartbeat_at <= cutoff,
        )
        .values(status="lost", finished_at=utcnow())
    )
    return result.rowcount or 0


def mark_interrupted(session: Session, run_id: int, stale_after: float) -> bool:
    """A running distributed run none of whose workers is alive died: flag it."""
    run = lock_run(session, run_id)
    if run is None or run.status != "running":
        return False
    if any(is_alive(w, stale_after) for w in workers_of(session, run_id)):
        return False
    mark_lost(session, run_id, stale_after)
    run.status = "interrupted"
    run.finished_at = utcnow()
    return True


def running_distributed_runs(session: Session) -> list[CrawlRun]:
    return list(
        session.scalars(
            select(CrawlRun)
            .where(CrawlRun.status == "running", CrawlRun.queue.is_not(None))
            .order_by(CrawlRun.id)
        )
    )


def worker_counts(session: Session, run_ids: list[int]) -> dict[int, dict[str, int]]:
    """{run id: {status: count}} for `tangguh runs`."""
    counts: dict[int, dict[str, int]] = {}
    if not run_ids:
        return counts
    rows = session.execute(
        select(CrawlWorker.run_id, CrawlWorker.status).where(CrawlWorker.run_id.in_(run_ids))
    )
    for run_id, status in rows:
        by_status = counts.setdefault(run_id, {})
        by_status[status] = by_status.get(status, 0) + 1
    return counts
