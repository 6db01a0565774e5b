"""`NewsArticlePage.parts`: the page links of an article split over pages, and nothing else."""

from __future__ import annotations

import pytest

from scrapers.pages.news import NewsArticlePage
from scrapers.spiders.news import join_parts


def _page(url: str, links: str) -> NewsArticlePage:
    html = f"<html><head></head><body><article><h1>Judul</h1><p>Isi berita.</p>{links}</article></body></html>"
    return NewsArticlePage(url, html)


@pytest.mark.parametrize(
    ("url", "links", "view_all", "numbered"),
    [
        (  # Kompas: ?page=2 and a "show all" link
            "https://regional.kompas.com/read/2020/06/18/10000001/kampung-tangguh",
            '<div class="read__paging"><a href="?page=2">2</a><a href="?page=3">3</a>'
            '<a href="?page=all#page2">Tampilkan semua</a></div>',
            "https://regional.kompas.com/read/2020/06/18/10000001/kampung-tangguh?page=all",
            {2, 3},
        ),
        (  # Tribun: absolute links, no view-all
            "https://surabaya.tribunnews.com/2020/06/18/kampung-tangguh-semeru",
            '<div class="paging"><a href="https://surabaya.tribunnews.com/2020/06/18/'
            'kampung-tangguh-semeru?page=2">2</a><a href="https://surabaya.tribunnews.com/'
            '2020/06/18/kampung-tangguh-semeru?page=2">Selanjutnya</a></div>',
            None,
            {2},
        ),
        (  # Jawa Pos style: the page number after the article's path
            "https://radarbromo.jawapos.com/daerah/18/06/2020/kampung-tangguh/",
            '<a href="/daerah/18/06/2020/kampung-tangguh/2/">2</a>'
            '<a href="/daerah/18/06/2020/kampung-tangguh/3/">3</a>',
            None,
            {2, 3},
        ),
        (  # detik: ?single=1 shows the whole article
            "https://news.detik.com/berita-jawa-timur/d-5058000/kampung-tangguh",
            '<a href="https://news.detik.com/berita-jawa-timur/d-5058000/kampung-tangguh?single=1">'
            "Tampilkan semua</a>",
            "https://news.detik.com/berita-jawa-timur/d-5058000/kampung-tangguh?single=1",
            set(),
        ),
        (  # a <link rel=next> in the head counts too
            "https://www.suara.com/news/2020/06/18/120000/kampung-tangguh",
            '<link rel="next" href="https://www.suara.com/news/2020/06/18/120000/kampung-tangguh?page=2">',
            None,
            {2},
        ),
    ],
)
def test_split_article_links_are_found(url, links, view_all, numbered):
    found_all, found = _page(url, links).parts()
    assert found_all == view_all
    assert set(found) == numbered


@pytest.mark.parametrize(
    "links",
    [
        '<a href="/berita/lain?page=2">2</a>',  # another article's page
        '<a href="https://other.example.com/read/1/kampung-tangguh?page=2">2</a>',  # other host
        '<a href="/read/1/kampung-tangguh/komentar">Komentar</a>',  # not a number
        '<a href="/read/1/kampung-tangguh?page=1">1</a>',  # the first page itself
        '<a href="/read/1/kampung-tangguh/2020">2020</a>',  # a year, not a page
        '<a href="/indeks?page=2">Indeks</a>',
    ],
)
def test_other_links_are_not_article_pages(links):
    assert _page("https://portal.example.id/read/1/kampung-tangguh", links).parts() == (None, {})


def test_a_later_page_names_the_next_relative_to_the_first():
    page2 = _page(
        "https://portal.example.id/read/1/kampung-tangguh?page=2",
        '<a href="?page=1">1</a><a href="?page=3">3</a>',
    )
    assert page2.parts("https://portal.example.id/read/1/kampung-tangguh") == (
        None,
        {3: "https://portal.example.id/read/1/kampung-tangguh?page=3"},
    )


def test_parts_are_joined_without_the_paragraphs_they_repeat():
    assert join_parts("Lead.\n\nSatu.", "Lead.\n\nDua.") == "Lead.\n\nSatu.\n\nDua."
    assert join_parts("Lead.", "Lead.") == "Lead."


def test_an_article_named_by_its_query_only_counts_its_own_pages():
    """Government CMSs name articles by ?id=: page 2 of another article is not ours."""
    page = _page(
        "https://dinas.example.go.id/berita/index.php?id=123",
        '<a href="index.php?id=123&page=2">2</a><a href="index.php?id=456&page=2">lain</a>'
        '<a href="index.php?page=3&id=123">3</a>',
    )
    assert page.parts() == (
        None,
        {
            2: "https://dinas.example.go.id/berita/index.php?id=123&page=2",
            3: "https://dinas.example.go.id/berita/index.php?page=3&id=123",
        },
    )
