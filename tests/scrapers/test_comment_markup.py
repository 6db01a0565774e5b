"""Comment parsing beyond the saved fixtures: hostile trees, pagers, labels, field sources.

The fixtures (``tests/scrapers/fixtures``, scored by ``scrapers.pages.evaluate``) hold one
page per comment shape; these tests cover what a fixture cannot: a list nested 500 deep
or 10,000 long, markup a parser must not be fooled by, and the pieces the spiders use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.pages.blogger_feed import FeedComment
from scrapers.pages.blogger_html import BloggerPostPage
from scrapers.pages.commenters import clean_label, comment_author, is_placeholder
from scrapers.pages.wordpress import WordPressPostPage, rest_comment
from scrapers.pages.wordpress_comments import (
    MAX_COMMENT_PAGES,
    comment_page_number,
    comment_url,
    wp_post_url,
)
from scrapers.provenance import source_of
from scrapers.spiders.blogger import comments_from_feed

FIXTURES = Path(__file__).parent / "fixtures"
POST = "https://warga.example/2021/07/14/lumbung/"


def _page(body: str, url: str = POST) -> WordPressPostPage:
    return WordPressPostPage(url, f"<html><head></head><body>{body}</body></html>")


def _html5(i: int, depth: int, inner: str = "") -> str:
    return (
        f'<li id="comment-{i}" class="comment depth-{depth}"><article id="div-comment-{i}" '
        f'class="comment-body"><footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn">Warga {i}</b> <span class="says">berkata:</span></div>'
        f'<div class="comment-metadata"><a href="{POST}#comment-{i}">'
        f'<time datetime="2021-07-14T10:{i % 60:02d}:00+07:00">14 Juli 2021</time></a></div>'
        f'</footer><div class="comment-content"><p>Balasan ke-{i}</p></div></article>{inner}</li>'
    )


def test_a_list_nested_500_deep_keeps_every_comment_and_its_parent():
    body = ""
    for i in range(500, 0, -1):
        body = _html5(i, i, f'<ol class="children">{body}</ol>' if body else "")
    comments = _page(f'<ol class="comment-list">{body}</ol>').comments()
    assert len(comments) == 500
    for c in comments:
        n = c.extra["wp_id"]
        assert c.author == f"Warga {n}" and c.text == f"Balasan ke-{n}"
        assert c.reply_to == (comment_url(POST, n - 1) if n > 1 else None)


def test_ten_thousand_comments_are_all_read():
    items = "".join(
        f'<li id="comment-{i}" class="comment depth-1"><div class="comment-body">'
        f'<cite class="fn">W{i}</cite><div class="comment-meta"><a href="#comment-{i}">'
        f"1 Juni 2020 pukul 10:00</a></div><p>teks {i}</p></div></li>"
        for i in range(1, 10_001)
    )
    comments = _page(f'<ol class="commentlist">{items}</ol>').comments()
    assert len(comments) == 10_000
    assert {c.text for c in comments} == {f"teks {i}" for i in range(1, 10_001)}
    assert all(c.reply_to is None and c.published_raw for c in comments)


def test_a_blogger_thread_nested_deep_and_long_does_not_hang():
    def li(i: int, inner: str = "") -> str:
        return (
            f"<li class='comment' id='c{1000 + i}'><div class='comment-block'>"
            f"<div class='comment-header'><cite class='user'>U{i}</cite></div>"
            f"<p class='comment-content'>isi {i}</p></div>"
            f"{f'<div class=comment-replies><ol>{inner}</ol></div>' if inner else ''}</li>"
        )

    deep = ""
    for i in range(300, 0, -1):
        deep = li(i, deep)
    flat = "".join(li(i) for i in range(301, 5301))
    html = f"<html><body><div class='comment-thread'><ol>{deep}{flat}</ol></div></body></html>"
    comments = BloggerPostPage("https://b.blogspot.com/2020/06/p.html", html).comments()
    assert len(comments) == 5300
    assert sum(c.reply_to is not None for c in comments) == 299


def test_comment_text_with_markup_stays_plain_text_and_scripts_never_run():
    body = (
        '<ol class="commentlist">'
        '<li id="comment-7" class="comment depth-1"><div class="comment-body">'
        '<div class="comment-author"><cite class="fn">Iseng <script>steal()</script></cite></div>'
        '<div class="comment-content"><p>Halo &lt;script&gt;alert(1)&lt;/script&gt;</p>'
        '<script>document.write("tersembunyi")</script>'
        '<img src="x" onerror="alert(2)"><p onclick="alert(3)">lanjut</p></div></div></li></ol>'
    )
    (c,) = _page(body).comments()
    assert c.author == "Iseng"
    assert c.text == "Halo <script>alert(1)</script>\n\nlanjut"
    assert "tersembunyi" not in c.text and "onerror" not in c.text


def test_ids_on_inner_elements_and_replies_outside_their_li_still_thread():
    # golfpost-like: the li carries the depth class, the id sits on an inner div; the
    # reply list is closed after the li (WordPress.com's old themes).
    body = (
        '<ol class="commentlist">'
        '<li class="comment depth-1"><div id="comment-10" class="comment-wrap">'
        '<div class="comment-author">Rina <time datetime="2020-07-29">29.07.2020</time></div>'
        "<p>Pertama</p></div></li>"
        '<ul class="children"><li class="comment depth-2"><div id="comment-11">'
        '<div class="comment-author">Dodi</div><p>Kedua</p></div></li></ul>'
        '<li class="comment depth-1"><div id="comment-12"><div class="comment-author">Sari</div>'
        "<p>Ketiga</p></div></li></ol>"
    )
    comments = {c.extra["wp_id"]: c for c in _page(body).comments()}
    assert set(comments) == {10, 11, 12}
    assert comments[10].author == "Rina" and comments[10].published_raw == "2020-07-29"
    assert comments[11].reply_to == comment_url(POST, 10)
    assert source_of(comments[11], "reply_to") == "template"
    assert comments[11].extra["field_sources"]["reply_to"]["via"] == "depth class"
    assert comments[12].reply_to is None


def test_pingbacks_and_lookalike_ids_are_not_comments():
    body = (
        '<textarea id="comment"></textarea><p id="comment-like-5">Like</p>'
        '<a id="comment-99"></a>'
        '<ol class="commentlist"><li id="comment-5" class="pingback depth-1">'
        '<div class="comment-body">Pingback: <a href="https://x.example/">X</a></div></li>'
        '<li id="comment-6" class="comment depth-1"><div class="comment-body">'
        '<cite class="fn">Asli</cite><p>Komentar sungguhan</p></div></li></ol>'
    )
    assert [c.extra["wp_id"] for c in _page(body).comments()] == [6]


def test_comment_pages_are_found_and_capped():
    links = "".join(f'<a href="{POST}comment-page-{n}/#comments">{n}</a>' for n in range(1, 400))
    other = '<a href="https://warga.example/2021/07/15/lain/comment-page-2/">lain</a>'
    page = _page(f'<div class="comment-navigation">{links}{other}</div>', POST + "comment-page-3/")
    assert page.post_url() == POST
    assert page.comment_page() == 3
    pages = page.comment_pages()
    assert 3 not in pages and len(pages) == MAX_COMMENT_PAGES - 1
    assert pages[1] == POST + "comment-page-1/"


def test_post_url_and_comment_urls_ignore_the_comment_page():
    assert wp_post_url(POST + "comment-page-2/#comments") == POST
    assert wp_post_url("http://a.example/?p=377&cpage=2") == "http://a.example/?p=377"
    assert comment_url(POST + "comment-page-4/", 57) == POST + "#comment-57"
    assert comment_page_number("http://a.example/?p=377&cpage=2") == 2
    assert comment_page_number(POST) is None


@pytest.mark.parametrize(
    ("fixture", "url", "current", "others"),
    [
        (
            "wp_block_twentytwentyfour_comments",
            "https://ceritasumbersari.id/2021/07/14/lumbung-pangan-rw-03-buka-lagi/comment-page-2/",
            2,
            {1},
        ),
        # the newest page at the post URL, told only by its comments' permalinks
        ("wp_divstyle_nested_comments", "https://kabarrt07.com/posko-jaga-gang-mawar/", 2, {1}),
        ("wp_plainlinks_spanfn_cpage", "http://malangnotes.net/?p=377&cpage=2", 2, {1, 3}),
    ],
)
def test_fixture_comment_pagers(fixture, url, current, others):
    page = WordPressPostPage(url, (FIXTURES / f"{fixture}.html").read_text(encoding="utf-8"))
    assert page.comment_page() == current
    assert set(page.comment_pages()) == others


@pytest.mark.parametrize(
    ("raw", "label", "placeholder"),
    [
        ("Budi berkata:", "Budi", False),
        ("Rina mengatakan...", "Rina", False),
        ("Andi says:", "Andi", False),
        ("Anonim", "Anonim", True),
        ("Anonymous said...", "Anonymous", True),
        ("  Unknown ", "Unknown", True),
        ("tanpa nama", "tanpa nama", True),
        ("Marsaid", "Marsaid", False),  # a name ending like a verb keeps it
        ("x" * 200, None, False),
        ("", None, False),
    ],
)
def test_commenter_labels(raw, label, placeholder):
    assert clean_label(raw) == label
    assert is_placeholder(label) is placeholder
    assert comment_author(raw) == (None if placeholder else label)


def test_anonymous_authors_from_rest_and_feeds_keep_their_label():
    rest = rest_comment(
        {"id": 3, "author_name": "Anonim", "content": {"rendered": "<p>Hai</p>"}, "post": 1},
        POST,
    )
    assert rest is not None and rest.author is None
    assert rest.extra["field_sources"]["author"] == {
        "source": "api",
        "confidence": 1.0,
        "raw": "Anonim",
        "anonymous": True,
    }
    named = rest_comment({"id": 4, "author_name": "Sari", "content": {"rendered": "x"}}, POST)
    assert named is not None and named.author == "Sari" and source_of(named, "author") == "api"

    feed = comments_from_feed(
        "https://b.blogspot.com/2020/06/p.html",
        [
            FeedComment(
                comment_id="51",
                url="https://b.blogspot.com/2020/06/p.html?showComment=1593062880000#c51",
                post_url="https://b.blogspot.com/2020/06/p.html",
                html="Mantap",
                published="2020-06-25T12:28:00.000+07:00",
                display_time="25 Juni 2020 pukul 12.28",
                author="Anonymous",
            )
        ],
    )
    assert feed[0].author is None
    assert feed[0].extra["field_sources"]["author"]["raw"] == "Anonymous"
    assert source_of(feed[0], "author") == "feed"
