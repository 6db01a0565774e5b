"""WordPress blogs switched to other themes, feeds off and paged comments (WordPressSettings)."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_CORPUS, MODERN, WP_OFF, WP_ON
from parsel import Selector
from swhttp import fetch

from tangguh.sampleweb.blogger_settings import BloggerSettings
from tangguh.sampleweb.server import SampleWeb
from tangguh.sampleweb.wordpress_settings import WordPressSettings


def _busiest(web, host):
    """The post with the most top-level comments (the one that pages)."""
    posts = [r for r in web.manifest().for_site(host) if r.kind == "post"]
    return max(
        posts,
        key=lambda p: sum(1 for c in web.manifest().comments_of(p.url) if not c.reply_to),
    )


def _shown(html: str) -> set[str]:
    ids = Selector(text=html).xpath("//*[starts-with(@id,'comment-')]/@id").getall()
    return {i.removeprefix("comment-") for i in ids if i.removeprefix("comment-").isdigit()}


def test_block_theme_pages_comments_and_switches_feeds_off():
    settings = WordPressSettings(theme="block", rest=False, rss=False, comments_per_page=1)
    with SampleWeb(corpus_dir=FIXTURE_CORPUS, wordpress={WP_ON: settings}) as web:
        post = _busiest(web, WP_ON)
        visible = {c.native_id for c in web.manifest().comments_of(post.url) if c.visible}
        newest = fetch(post.url)
        sel = Selector(text=newest.text())
        assert sel.css(".wp-site-blocks h1.wp-block-post-title::text").get() == post.title
        assert sel.css("ol.wp-block-comment-template > li.comment .wp-block-comment-content")
        assert sel.css(".wp-block-comment-date a time::attr(datetime)").get()
        numbers = sel.css(".wp-block-comments-pagination-numbers a::attr(href)").getall()
        assert numbers and all("/comment-page-" in u for u in numbers)
        current = int(sel.css(".wp-block-comments-pagination [aria-current]::text").get())
        assert current == len(numbers) + 1  # the post URL shows the newest page
        shown = _shown(newest.text())
        for href in numbers:
            page = fetch(href.split("#")[0])
            assert page.status == 200
            canonical = Selector(text=page.text()).css("link[rel=canonical]::attr(href)").get()
            assert canonical == href.split("#")[0]
            shown |= _shown(page.text())
        assert shown == visible  # every comment on exactly the pages the pager links
        assert fetch(post.url + f"comment-page-{current + 1}/").status == 404
        assert fetch(post.url + "?cpage=1").status == 200
        assert fetch(web.url(WP_ON, "/feed/")).status == 404
        assert fetch(web.url(WP_ON, "/wp-json/wp/v2/posts")).status == 404
        home = Selector(text=fetch(web.url(WP_ON, "/")).text())
        assert home.css(".wp-block-post-template .wp-block-post-title a::attr(href)").getall()
        assert web.errors == []


def test_div_theme_lists_nested_divs_with_visible_times_only():
    settings = WordPressSettings(theme="divs", comments_per_page=1, default_comments_page="oldest")
    with SampleWeb(corpus_dir=FIXTURE_CORPUS, wordpress={WP_OFF: settings}) as web:
        post = _busiest(web, WP_OFF)
        visible = {c.native_id for c in web.manifest().comments_of(post.url) if c.visible}
        url, shown, nested = post.url, set(), False
        while url:  # the oldest page at the post URL, then "newer" page by page
            html = fetch(url).text()
            sel = Selector(text=html)
            assert not sel.css("#comments ol, #comments ul, #comments time")
            assert len(sel.css("div.comment-list > div.comment.depth-1")) == 1
            assert sel.css("div.comment cite.fn + span.says::text").get() == "berkata:"
            assert not sel.css(".comment-navigation .page-numbers")
            nested |= bool(sel.css("div.comment.depth-1 > div.comment.depth-2"))
            shown |= _shown(html)
            newer = sel.css("#comment-nav-below .nav-next a::attr(href)").get()
            url = newer.split("#")[0] if newer else None
            assert url is None or "/comment-page-" in url
        assert nested and shown == visible
        assert web.errors == []


def test_settings_are_checked_and_live_changes_apply():
    with pytest.raises(ValueError):
        WordPressSettings(theme="twentyten")
    with pytest.raises(ValueError):
        WordPressSettings(comments_per_page=0)
    with pytest.raises(KeyError):
        SampleWeb(corpus_dir=FIXTURE_CORPUS, wordpress={"nope.test": WordPressSettings()})
    with SampleWeb(corpus_dir=FIXTURE_CORPUS) as web:
        post = _busiest(web, WP_ON)
        assert fetch(web.url(WP_ON, "/wp-json/wp/v2/posts")).status == 200
        web.configure_wordpress(WP_ON, rest=False, theme="block")
        assert fetch(web.url(WP_ON, "/wp-json/wp/v2/posts")).status == 404
        assert "wp-block-comment-template" in fetch(post.url).text()
        with pytest.raises(KeyError):
            web.configure_wordpress(MODERN, theme="block")


def test_blogger_anonymous_label_on_pages_and_feeds():
    with SampleWeb(
        corpus_dir=FIXTURE_CORPUS, blogger={MODERN: BloggerSettings(anonymous_label="Unknown")}
    ) as web:
        anonymous = next(
            r for r in web.manifest().for_site(MODERN) if r.kind == "comment" and not r.author
        )
        page = fetch(anonymous.parent_url).text()
        assert "<cite class='user'>Unknown</cite>" in page or ">Unknown<" in page
        assert "Anonim" not in Selector(text=page).css("cite.user ::text").getall()
        feed = fetch(web.url(MODERN, "/feeds/comments/default")).text()
        assert "<name>Unknown</name>" in feed
