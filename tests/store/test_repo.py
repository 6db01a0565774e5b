"""Store behaviour on SQLite and (when available) PostgreSQL: upserts, history, snapshots."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from scrapers.items import DocumentItem
from store import repo
from store.db import open_database
from store.models import Document, DocumentVersion


class _Date:
    """Stand-in for pipelines.dates.ParsedDate with the attributes the store reads."""

    def __init__(self, value: datetime, precision: str):
        self.value, self.precision = value, precision

    @property
    def utc(self):
        return self.value.astimezone(UTC)

    @property
    def offset_minutes(self):
        return int(self.value.utcoffset().total_seconds() // 60)


WIB = timezone(timedelta(hours=7))


def _item(url="https://contoh.blogspot.com/2020/06/posko.html", text="Posko RW 05 berdiri.", **kw):
    item = DocumentItem(url=url, kind=kw.pop("kind", "post"), text=text, platform="blogger", **kw)
    item.content_hash = repo.hashlib.sha256(text.encode()).hexdigest()
    return item


def test_upsert_is_idempotent(db):
    item = _item(title="Posko")
    with db.write() as s:
        first = repo.upsert_document(s, item)
    with db.write() as s:
        second = repo.upsert_document(s, item)
    assert first.status == "new"
    assert second.status == "unchanged"
    assert first.id == second.id
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1


def test_changed_text_keeps_history(db):
    with db.write() as s:
        repo.upsert_document(s, _item(text="versi pertama", title="A"))
    with db.write() as s:
        result = repo.upsert_document(s, _item(text="versi kedua", title="A"))
    assert result.status == "updated"
    with db.read() as s:
        doc = repo.get_document(s, "https://contoh.blogspot.com/2020/06/posko.html")
        assert doc.text == "versi kedua"
        assert doc.version == 2
        old = s.scalars(select(DocumentVersion)).all()
        assert [v.text for v in old] == ["versi pertama"]


def test_poorer_refetch_does_not_erase_fields(db):
    with db.write() as s:
        repo.upsert_document(s, _item(title="Judul", author="Rina"))
    with db.write() as s:
        repo.upsert_document(s, _item(title=None, author=None))
    with db.read() as s:
        doc = repo.get_document(s, "https://contoh.blogspot.com/2020/06/posko.html")
        assert (doc.title, doc.author) == ("Judul", "Rina")


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (datetime(2020, 6, 15, 10, 21, tzinfo=WIB), "minute", "2020-06-15T10:21:00+07:00"),
        (datetime(2020, 6, 15, tzinfo=WIB), "day", "2020-06-15"),
        (datetime(2020, 6, 1, tzinfo=WIB), "month", "2020-06"),
        (
            datetime(2020, 6, 15, 23, 30, tzinfo=timezone(timedelta(hours=9))),
            "minute",
            "2020-06-15T23:30:00+09:00",
        ),
        # Milliseconds the source gave survive the database; a whole second has no fraction.
        (datetime(2020, 6, 15, 10, 21, 33, 250000, WIB), "second", "2020-06-15T10:21:33.250+07:00"),
        (datetime(2020, 6, 15, 10, 21, 0, 123000, WIB), "second", "2020-06-15T10:21:00.123+07:00"),
        (
            datetime(2020, 6, 15, 10, 21, 33, 123456, WIB),
            "second",
            "2020-06-15T10:21:33.123456+07:00",
        ),
        (datetime(2020, 6, 15, 10, 21, 33, tzinfo=WIB), "second", "2020-06-15T10:21:33+07:00"),
    ],
)
def test_dates_round_trip_with_offset_and_precision(db, value, precision, expected):
    item = _item(published_raw="raw text")
    item.published = _Date(value, precision)
    with db.write() as s:
        repo.upsert_document(s, item)
    with db.read() as s:
        doc = repo.get_document(s, item.url)
        record = repo.document_record(doc)
    assert record["published_at"] == expected
    assert record["published_raw"] == "raw text"


def test_comment_threads_link_even_when_stored_before_parent(db):
    post = "https://b.example/2020/06/p.html"
    c1 = post + "#c1"
    c2 = post + "#c2"
    with db.write() as s:
        repo.upsert_document(s, _item(c2, "balasan", kind="comment", parent_url=post, reply_to=c1))
        repo.upsert_document(s, _item(c1, "komentar", kind="comment", parent_url=post))
        repo.upsert_document(s, _item(post, "isi post"))
        assert repo.link_threads(s) >= 2
    with db.read() as s:
        p, d1, d2 = (repo.get_document(s, u) for u in (post, c1, c2))
        assert d1.parent_id == p.id and d2.parent_id == p.id
        assert d2.reply_to_id == d1.id


def test_batch_upsert_links_threads_within_the_batch_and_keeps_history(db):
    post = "https://b.example/2020/06/p.html"
    c1, c2 = post + "#c1", post + "#c2"
    with db.write() as s:
        repo.upsert_document(s, _item("https://b.example/lama.html", "versi pertama"))
    batch = [
        _item(post, "isi post", title="Post"),
        _item(c1, "komentar", kind="comment", parent_url=post),
        _item(c2, "balasan", kind="comment", parent_url=post, reply_to=c1),
        _item("https://b.example/lama.html", "versi kedua"),  # already stored: an update
        _item(post, "isi post", title="Post"),  # the same URL twice in one batch
    ]
    with db.write() as s:
        results = repo.upsert_documents(s, [(item, None) for item in batch])
    assert [r.status for r in results] == ["new", "new", "new", "updated", "unchanged"]
    assert results[0].id == results[4].id
    with db.read() as s:
        p, d1, d2 = (repo.get_document(s, u) for u in (post, c1, c2))
        assert d1.parent_id == p.id and d2.parent_id == p.id
        assert d2.reply_to_id == d1.id
        assert repo.get_document(s, "https://b.example/lama.html").version == 2
        assert s.scalar(select(func.count()).select_from(Document)) == 4


def test_batch_upsert_that_loses_an_insert_race_updates_the_row(db, monkeypatch):
    """A row a concurrent writer inserted after the batch looked: DO NOTHING, then update."""
    with db.write() as s:
        repo.upsert_document(s, _item(text="versi pertama"))
    monkeypatch.setattr(repo, "_ids_of", lambda session, urls: {})
    with db.write() as s:
        results = repo.upsert_documents(s, [(_item(text="versi kedua"), None)])
    assert [r.status for r in results] == ["updated"]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1
        assert repo.get_document(s, _item().url).text == "versi kedua"


def test_snapshots_are_compressed_and_keyed_by_sha256(db):
    body = ("<html>" + "Kampung Tangguh " * 500 + "</html>").encode()
    with db.write() as s:
        digest = repo.save_snapshot(s, "https://x.example/a", body, status=200, headers={"a": "b"})
        again = repo.save_snapshot(s, "https://x.example/a", body, status=200)
    assert digest == again == repo.hashlib.sha256(body).hexdigest()
    with db.read() as s:
        assert repo.load_snapshot(s, digest) == body
        stored = s.get(repo.Snapshot, digest)
        assert len(stored.body) < len(body) / 10


def test_snapshot_batches_store_each_body_once(db):
    page = ("<html>" + "Posko RW 05 " * 300 + "</html>").encode()
    other = b"<html>Lumbung pangan warga</html>"
    with db.write() as s:
        first = repo.save_snapshot(s, "https://x.example/a", page, status=200)
    batch = [
        {"url": "https://x.example/a", "body": page, "status": 200},  # stored already
        {"url": "https://x.example/b", "body": other, "headers": {"ETag": '"1"'}},
        {"url": "https://x.example/b#c1", "body": other},  # a comment from the same page
    ]
    with db.write() as s:
        digests = repo.save_snapshots(s, batch)
    assert digests == [first, repo.hashlib.sha256(other).hexdigest(), digests[1]]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(repo.Snapshot)) == 2
        assert repo.load_snapshot(s, digests[1]) == other
        assert s.get(repo.Snapshot, digests[1]).headers == {"ETag": '"1"'}


def test_runs_are_recorded_and_interrupted_runs_detected(db):
    with db.write() as s:
        run_id = repo.start_run(s, "crawl", ["a"], pid=999_999)
        done = repo.start_run(s, "crawl", ["b"], pid=1)
        repo.finish_run(s, done, status="ok", stats={"new": 3}, exit_code=0)
    with db.write() as s:
        assert repo.mark_interrupted_runs(s, lambda pid: pid == 1) == 1
    with db.read() as s:
        runs = {r.id: r for r in repo.recent_runs(s)}
    assert runs[run_id].status == "interrupted"
    assert runs[done].new == 3


def test_gone_pages_keep_their_row(db):
    with db.write() as s:
        repo.upsert_document(s, _item())
    with db.write() as s:
        assert repo.mark_gone(s, "https://contoh.blogspot.com/2020/06/posko.html")
    with db.read() as s:
        doc = repo.get_document(s, "https://contoh.blogspot.com/2020/06/posko.html")
        assert doc.gone_at is not None and doc.text


def test_sqlite_writers_use_begin_immediate(tmp_path, monkeypatch):
    """A second writer waits for the first instead of failing mid-transaction."""
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    monkeypatch.setenv("TANGGUH_BUSY_TIMEOUT_MS", "5000")
    a, b = open_database(url), open_database(url)
    holding = threading.Event()
    release = threading.Event()

    def hold():
        with a.write() as s:
            repo.upsert_document(s, _item("https://x.example/1", "satu"))
            holding.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    holding.wait(5)
    timer = threading.Timer(0.3, release.set)
    timer.start()
    with b.write() as s:  # blocks on BEGIN IMMEDIATE until `a` commits, then succeeds
        repo.upsert_document(s, _item("https://x.example/2", "dua"))
    t.join()
    with b.read() as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 2


def test_sqlite_locked_beyond_busy_timeout_raises(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    monkeypatch.setenv("TANGGUH_BUSY_TIMEOUT_MS", "100")
    a, b = open_database(url), open_database(url)
    with a.write() as s:
        repo.upsert_document(s, _item("https://x.example/1", "satu"))
        with pytest.raises(OperationalError, match="locked"), b.write() as s2:
            repo.upsert_document(s2, _item("https://x.example/2", "dua"))
