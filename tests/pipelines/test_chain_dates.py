"""Dates in the pipeline chain: the raw string kept, context from the page, never 'now'."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from pipelines.chain import normalise_dates
from scrapers.items import DocumentItem

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
