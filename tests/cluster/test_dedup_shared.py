"""Duplicates found across workers: two chains (two workers) on one PostgreSQL and Redis."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from pipelines.chain import PipelineChain
from pipelines.dedup_shared import SharedDedupLog
from scrapers.cluster.context import RunKeys
from scrapers.items import DocumentItem
from store.db import open_database
from store.repo import get_document

FIXTURES = Path(__file__).parents[1] / "pipelines" / "fixtures" / "dedup"


def _fixture(name: str) -> DocumentItem:
    head, _, body = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").partition("\n\n")
    meta = dict(line.split(":", 1) for line in head.splitlines())
    meta = {k: v.strip() for k, v in meta.items()}
    return DocumentItem(
        url=meta["key"],
        kind=meta["kind"],
        text=body,
        title=name,
        published_raw=meta["published"],
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def _worker(pg_url: str, client) -> PipelineChain:
    keys = RunKeys(7)
    return PipelineChain(
        open_database(pg_url),
        stats=Counter(),
        shared_dedup=SharedDedupLog(client, keys.dedup_log, keys.dedup_lock),
    )


def test_a_copy_stored_by_another_worker_is_found_and_roots_move(pg_url, redis_client):
    a, b = _worker(pg_url, redis_client), _worker(pg_url, redis_client)
    a.detector(), b.detector()  # both loaded from an empty store: only the log can tell
    a.process(_fixture("pr_blitar_2_kominfo"))  # the syndicated copy, crawled first
    a.flush()
    b.process(_fixture("pr_blitar_1_blitarkota"))  # the original, published earlier
    b.flush()
    a.process(_fixture("pr_blitar_3_portal"))
    a.close()
    b.close()
    original = _fixture("pr_blitar_1_blitarkota").url
    with a.db.read() as session:
        kominfo = get_document(session, _fixture("pr_blitar_2_kominfo").url)
        portal = get_document(session, _fixture("pr_blitar_3_portal").url)
        root = get_document(session, original)
    assert root.duplicate_of is None
    assert kominfo.duplicate_of == original  # re-pointed in the row worker a committed
    assert portal.duplicate_of == original  # worker a learnt of b's document from the log
    assert a.stats["dedup/near"] == 1  # the portal copy (the original became a root)


def test_the_same_page_from_two_workers_is_one_row(pg_url, redis_client):
    a, b = _worker(pg_url, redis_client), _worker(pg_url, redis_client)
    a.process(_fixture("neg_winners"))
    b.process(_fixture("neg_winners"))  # a lost worker's request, fetched again
    a.close()
    b.close()
    assert a.stats["new"] + b.stats["new"] == 1
    assert a.stats["unchanged"] + b.stats["unchanged"] == 1
