"""Dates in the pipeline chain: the raw string kept, context from the page, never 'now'."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from pipelines.chain import PipelineChain
from pipelines.dates import parse_date
from pipelines.dates_stage import normalise_dates
from scrapers.items import DocumentItem
from store import repo

FETCHED = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


def _item(url, raw, kind="article", **extra):
    item = DocumentItem(url=url, kind=kind, text="x", published_raw=raw, fetched_at=FETCHED)
    item.extra.update(extra)
    return item


def _iso(item):
    normalise_dates(item, Counter())
    return item.published.isoformat() if item.published else None


def test_yearless_date_takes_its_year_from_the_page_url():
    url = "https://faktualnews.co/2020/06/17/kampung-tangguh-pertama/215710"
    assert _iso(_item(url, "Rabu (17/6)")) == "2020-06-17"
    # Without a dated URL the fetch time is the only context: the latest 17 June before it.
    assert _iso(_item("https://memorandum.disway.id/read/14316/x", "Rabu (17/6)")) == "2026-06-17"


def test_relative_dates_count_from_the_fetch_not_the_url():
    url = "https://x.example/2020/06/17/berita"
    assert _iso(_item(url, "kemarin")) == "2026-11-27"


def test_a_full_date_ignores_the_url_and_keeps_its_raw_text():
    item = _item("https://x.example/2020/06/17/berita", "Senin, 15 Juni 2020 10:21 WIB")
    assert _iso(item) == "2020-06-15T10:21:00+07:00"
    assert item.published_raw == "Senin, 15 Juni 2020 10:21 WIB"


def test_blogger_epoch_ms_wins_over_the_visible_text():
    item = _item("https://b.blogspot.com/2020/06/p.html#c1", "15 Juni 2020 pukul 10.21",
                 kind="comment", published_ms=1592191275000)  # fmt: skip
    assert _iso(item) == "2020-06-15T10:21:15+07:00"


def test_wordpress_gmt_date_keeps_the_blogs_offset():
    item = _item("https://w.example/2020/06/28/p/", "2020-06-28T05:00:00Z",
                 kind="post", date_local="2020-06-28T12:00:00")  # fmt: skip
    assert _iso(item) == "2020-06-28T12:00:00+07:00"


def test_impossible_date_is_null_and_counted_never_now():
    stats = Counter()
    item = _item("https://x.example/a", "Rabu, 31 Februari 2021")
    normalise_dates(item, stats)
    assert item.published is None and item.published_raw == "Rabu, 31 Februari 2021"
    assert stats["dates/unparsed"] == 1


# ---------------------------------------------------------------------------- day-less stamps

POST = "https://rina.blogspot.com/2020/06/posko-kampung-tangguh.html"


def _comment(raw, n=1):
    item = _item(f"{POST}#c{n}", raw, kind="comment")
    item.parent_url = POST
    return item


def _comment_item(raw, n=1):
    item = DocumentItem(
        url=f"{POST}#c{n}",
        kind="comment",
        text=f"Komentar nomor {n} tentang posko.",
        published_raw=raw,
        parent_url=POST,
        fetched_at=FETCHED,
    )
    return item


def test_a_comment_time_takes_its_posts_date():
    dates = {POST: parse_date("Senin, 15 Juni 2020")}
    item = _comment("10:21 PM")
    normalise_dates(item, Counter(), dates.get)
    assert item.published.isoformat() == "2020-06-15T22:21:00+07:00"
    # The post's own offset is the comment's when the stamp names no zone.
    dates[POST] = parse_date("Senin, 15 Juni 2020 08:00 WITA")
    normalise_dates(item, Counter(), dates.get)
    assert item.published.isoformat() == "2020-06-15T22:21:00+08:00"


def test_a_comment_time_without_a_known_post_day_reads_as_shown_when_fetched():
    """No post date (or only its month): the time is read as the page showed it, today."""
    for known in ({}, {POST: parse_date("Juni 2020")}):
        item = _comment("pukul 10.21")
        normalise_dates(item, Counter(), known.get)
        assert item.published.isoformat() == "2026-11-28T10:21:00+07:00"


def test_a_comment_weekday_counts_back_from_the_fetch_not_the_post():
    item = _comment("Senin 10.21")  # FETCHED is Saturday 28 Nov 2026, 10:00 WIB
    normalise_dates(item, Counter(), {POST: parse_date("15 Juni 2020")}.get)
    assert item.published.isoformat() == "2026-11-23T10:21:00+07:00"


def test_a_post_with_only_a_time_needs_its_day_from_the_url():
    dated = "https://x.example/2020/06/17/berita"
    assert _iso(_item(dated, "Posted by Rina at 10:21 AM", kind="post")) == (
        "2020-06-17T10:21:00+07:00"
    )
    # A month URL or none: no day to put the time on. Null and counted, never the fetch day.
    for url in ("https://x.example/2020/06/berita.html", "https://x.example/berita"):
        stats = Counter()
        item = _item(url, "Posted by Rina at 10:21 AM", kind="post")
        normalise_dates(item, stats)
        assert item.published is None and stats["dates/unparsed"] == 1
        assert item.published_raw == "Posted by Rina at 10:21 AM"


def test_the_chain_gives_comments_the_date_of_a_post_seen_in_the_same_run(sqlite_db):
    chain = PipelineChain(sqlite_db)
    post = DocumentItem(
        url=POST,
        kind="post",
        text="Posko kampung tangguh berdiri di RW 05.",
        published_raw="Senin, 15 Juni 2020",
        fetched_at=FETCHED,
    )
    chain.process(post)
    chain.process(_comment_item("10:21 PM"))
    chain.close()
    with sqlite_db.read() as session:
        comment = repo.document_record(repo.get_document(session, f"{POST}#c1"))
    assert comment["published_at"] == "2020-06-15T22:21:00+07:00"
    assert comment["published_raw"] == "10:21 PM"


def test_the_chain_finds_the_date_of_a_post_stored_by_an_earlier_run(sqlite_db):
    first = PipelineChain(sqlite_db)
    first.process(
        DocumentItem(
            url=POST,
            kind="post",
            text="Posko kampung tangguh berdiri di RW 05.",
            published_raw="2020-06-15T09:00:00+08:00",
            fetched_at=FETCHED,
        )
    )
    first.close()
    later = PipelineChain(sqlite_db)
    later.process(_comment_item("pukul 19.30", n=2))
    later.close()
    with sqlite_db.read() as session:
        comment = repo.document_record(repo.get_document(session, f"{POST}#c2"))
    assert comment["published_at"] == "2020-06-15T19:30:00+08:00"


def test_blogger_epoch_milliseconds_survive_to_the_export(sqlite_db):
    chain = PipelineChain(sqlite_db)
    item = _comment_item("15 Juni 2020 pukul 10.21", n=3)
    item.extra["published_ms"] = 1592191260123
    chain.process(item)
    chain.close()
    with sqlite_db.read() as session:
        record = repo.document_record(repo.get_document(session, f"{POST}#c3"))
    assert record["published_at"] == "2020-06-15T10:21:00.123+07:00"
