"""Blogger page objects for walking a blog without feeds: listings, pagers, comment pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.pages.blogger_html import (
    BloggerListingPage,
    BloggerPostPage,
    comment_count_text,
)

FIXTURES = Path(__file__).parent / "fixtures"
BLOG = "https://contoh.blogspot.com/"

# A custom template: no stock classes on the pager, counts in its own words.
CUSTOM_LISTING = f"""<html><body><div class='main'>
<div class='post'><h2 class='post-title'><a href='{BLOG}2020/06/posko.html'>Posko</a></h2>
 <a class='comment-link' href='{BLOG}2020/06/posko.html#comments'>12 Komentar</a></div>
<div class='post'><h2 class='post-title'><a href='/2020/06/sepi.html'>Sepi</a></h2>
 <a class='comment-link' href='/2020/06/sepi.html#comment-form'>Tidak ada komentar:</a></div>
<div class='post'><h2 class='post-title'><a href='/2020/05/tanpa.html'>Tanpa hitungan</a></h2></div>
<div class='nav'><a href='/search?updated-max=2020-06-01T08:00:00%2B07:00&amp;max-results=7'>
 <span>Posting Lama</span></a><a href='/'>Beranda</a></div>
<div class='widget'><a href='{BLOG}2020/'>2020</a><a href='{BLOG}2020/06/'>Juni</a>
 <a href='{BLOG}2020_05_01_archive.html'>Mei (old)</a><a href='{BLOG}2020/?m=1'>mobile</a>
 <a href='https://lain.blogspot.com/2020/06/x.html'>elsewhere</a>
 <a href='{BLOG}2019/12/lama.html'>Populer</a></div>
</div></body></html>"""


def test_listing_posts_counts_archives_and_text_only_pager() -> None:
    page = BloggerListingPage(BLOG, CUSTOM_LISTING)
    assert page.posts() == {
        BLOG + "2020/06/posko.html": 12,
        BLOG + "2020/06/sepi.html": 0,
        BLOG + "2020/05/tanpa.html": None,
        BLOG + "2019/12/lama.html": None,  # a widget link: no count shown
    }
    assert page.archive_links() == [
        BLOG + "2020/",
        BLOG + "2020/06/",
        BLOG + "2020_05_01_archive.html",
    ]
    assert page.older_links() == [
        BLOG + "search?updated-max=2020-06-01T08:00:00%2B07:00&max-results=7"
    ]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("5 komentar", 5),
        ("1 comment", 1),
        ("12 Comments:", 12),
        ("Tidak ada komentar:", 0),
        ("No comments:", 0),
        ("Posting Komentar", None),
        ("", None),
    ],
)
def test_comment_count_text(text: str, count: int | None) -> None:
    assert comment_count_text(text) == count


def test_post_page_neighbours_from_the_stock_pager() -> None:
    url = "https://kampungtangguhsemerujuara.blogspot.com/2020/06/dapur-umum.html"
    html = (FIXTURES / "blogger_classic_minima.html").read_text(encoding="utf-8")
    page = BloggerPostPage(url, html)
    assert page.neighbour_links() == [
        "https://kampungtangguhsemerujuara.blogspot.com/2020/06/lumbung-pangan.html"
    ]
    assert page.comment_pages() == [1] and page.comment_page() == 1


def test_post_page_comment_pages_and_text_neighbours() -> None:
    url = BLOG + "2020/06/posko.html?commentPage=2"
    html = f"""<html><body><div class='post'><h3 class='post-title'>Posko</h3>
<div class='post-body entry-content'><p>Isi.</p></div></div>
<div class='comments' id='comments'><span class='paging-control-container'>
<a class='paging-control' href='{BLOG}2020/06/posko.html?commentPage=1'>&#171; Terlama</a>
<a class='paging-control' href='{BLOG}2020/06/posko.html?commentPage=1'>Lebih lama</a>
<a class='paging-control' href='{BLOG}2020/06/posko.html?commentPage=3'>Lebih baru</a>
<a class='paging-control' href='{BLOG}2020/06/posko.html?commentPage=3'>Terbaru &#187;</a>
</span><dl id='comments-block'></dl></div>
<div class='nav'><a href='/2020/05/lama.html'>&#171; Posting Lama</a>
<a href='/2020/07/baru.html?m=1'>Posting Lebih Baru &#187;</a></div></body></html>"""
    page = BloggerPostPage(url, html)
    assert page.comment_page() == 2
    assert page.comment_pages() == [1, 2, 3]
    assert page.neighbour_links() == [BLOG + "2020/05/lama.html", BLOG + "2020/07/baru.html"]
