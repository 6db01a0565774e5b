"""Bylines and page dates on article pages: who wrote it, and when in the page's own zone."""

from __future__ import annotations

import pytest

from pipelines.dates import parse_date
from pipelines.dates_stage import in_shown_zone, normalise_dates
from scrapers.pages.news import NewsArticlePage

BODY = "<p>" + "Warga RW 05 membangun posko Kampung Tangguh bersama relawan. " * 6 + "</p>"


def _page(
    head: str = "", byline: str = "", url: str = "https://kabar.example.id/a/1"
) -> NewsArticlePage:
    html = (
        f"<html><head>{head}</head><body>"
        "<nav><a href='/kategori/pemerintahan/'>Pemerintahan</a></nav>"
        f"<article><h1>Posko Kampung Tangguh Diresmikan</h1>{byline}{BODY}</article>"
        "</body></html>"
    )
    return NewsArticlePage(url, html)


@pytest.mark.parametrize(
    "byline",
    [
        "<p>Oleh <a href='/penulis/rina'>Rina Wulandari</a></p>",
        "<p>Oleh Rina Wulandari</p>",
        "<p>By <a rel='author' href='/author/rina'>Rina Wulandari</a></p>",
        "<div class='byline'>Penulis: Rina Wulandari</div>",
        "<span class='author'><a href='/author/rina'>Rina Wulandari</a></span>",
    ],
)
def test_bylines_people_write(byline):
    page = _page(byline=byline)
    assert page.author() == "Rina Wulandari"
    assert page.field_sources()["author"]["source"] == "heuristic"


def test_a_category_label_is_never_the_author():
    byline = (
        "<div class='post-author'><a rel='category tag' href='/kategori/pemerintahan/'>"
        "Pemerintahan</a></div><p>Oleh <a>Rina Wulandari</a></p>"
    )
    assert _page(byline=byline).author() == "Rina Wulandari"


def test_a_section_from_metadata_is_never_the_author():
    head = "<meta property='article:section' content='Berita Daerah'>"
    page = _page(head=head, byline="<span class='author'>Berita Daerah</span>")
    assert page.author() is None


def test_the_site_name_is_not_an_author():
    head = (
        "<meta name='author' content='Kabar Example'>"
        "<meta property='og:site_name' content='Kabar Example'>"
    )
    assert _page(head=head).author() is None
    head = "<meta name='author' content='Redaksi KabarExample'>"
    assert _page(head=head, url="https://kabarexample.id/a/1").author() is None


def test_metadata_author_is_recorded_as_metadata():
    head = "<meta name='author' content='Dimas Prasetyo'>"
    page = _page(head=head)
    assert page.author() == "Dimas Prasetyo"
    assert page.field_sources()["author"] == {
        "source": "metadata",
        "confidence": 0.8,
        "via": "meta",
    }


@pytest.mark.parametrize(
    ("meta", "shown", "want"),
    [
        # the same instant, shown in WIB: stored in WIB, not the day before
        ("2020-06-14T22:00:00Z", "15 Juni 2020 05:00 WIB", "2020-06-15T05:00:00+07:00"),
        ("2020-06-15T00:34:00+00:00", "Senin, 15 Juni 2020 07:34", "2020-06-15T07:34:00+07:00"),
        ("2020-06-15T00:34:00+00:00", "15/06/2020 08:34 WITA", "2020-06-15T08:34:00+08:00"),
        # only the day shown: the first local zone that lands on it
        ("2020-06-14T22:00:00Z", "Senin, 15 Juni 2020", "2020-06-15T05:00:00+07:00"),
        # another moment shown (an "updated" line): the metadata stands
        ("2020-06-14T22:00:00Z", "16 Juni 2020 10:00", "2020-06-14T22:00:00+00:00"),
        # a metadata day without a time: the shown time on that day is more precise
        ("2020-06-15", "15 Juni 2020 07:34 WIB", "2020-06-15T07:34:00+07:00"),
    ],
)
def test_a_metadata_instant_takes_the_zone_the_page_shows(meta, shown, want):
    parsed = parse_date(meta)
    assert in_shown_zone(parsed, parse_date(shown, base=parsed.value)).isoformat() == want


def test_article_in_utc_metadata_is_stored_in_its_local_offset():
    """Through the page object and the dates stage, as a crawl does."""
    from collections import Counter

    head = "<meta property='article:published_time' content='2020-06-14T22:00:00Z'>"
    byline = "<div class='date'>Senin, 15 Juni 2020 | 05:00 WIB</div>"
    item = _page(head=head, byline=byline).article()
    assert item.published_raw == "2020-06-14T22:00:00Z"  # the raw string is kept
    assert item.extra["date_shown"]
    normalise_dates(item, Counter())
    assert item.published.isoformat() == "2020-06-15T05:00:00+07:00"
