"""What a Blogger blog's owner (or Blogger itself) can change about its feeds and pages.

Every sample Blogger blog starts with the defaults: full feeds, five posts on the home
page, ``showComment`` permalinks. Tests switch a blog to another shape, at start-up
(``SampleWeb(blogger={host: BloggerSettings(...)})``) or live
(``SampleWeb.configure_blogger(host, ...)``), to exercise the spiders' HTML fallback:

- ``post_feed="none"`` / ``comment_feeds="none"``: the owner's "Allow blog feed: None"
  and "Per-post comment feed: None". How Blogger answers such a feed could not be checked
  against the live service (the research notes are silent), so ``feeds_off_answer``
  offers the shapes a crawler has to survive: ``"404"`` (Google's front-end "Not Found"
  page), ``"empty"`` (a valid feed with no entries and ``totalResults`` 0) and ``"html"``
  (200 with an HTML notice where the feed should be).
- ``post_feed="short"``: the "Short" setting, summaries instead of bodies.
- ``post_feed_cap``: the post feed stops after that many entries while
  ``openSearch:totalResults`` still counts every post (the cap that shrank over the years,
  crawl-anchors 4.1). ``post_feed_error_from``: pages from that ``start-index`` on answer
  500.
- ``comment_feed_cap``: each comment feed lists at most that many comments while the
  post's ``thr:total`` counts all; ``comment_feed_error``: comment feeds answer 500.
- ``posts_per_page`` / ``archive_page_size``: "Number of posts on main page" and the
  archive pages' window; the "Posting Lama" pager goes to ``/search?updated-max=...``,
  which robots.txt disallows, as on blogspot.
- ``comment_permalinks="anchor"``: old classic templates link a comment's time to
  ``#c<ID>`` only, so its time is only the visible text (``25 Juni 2020 pukul 19.02``).
- ``comments_per_page``: the non-threaded template shows this many comments per page and
  pages the rest with ``?commentPage=N`` (oldest page first; the ~200 default is from
  memory, crawl-anchors 4.2). The threaded template always shows every comment.
- ``sitemap``: whether ``/sitemap.xml`` answers. ``language``: the blog's UI language
  ("id"/"en"), overriding the corpus.
- ``anonymous_label``: what pages and feeds print for a comment without a name; ``None``
  is the UI language's ("Anonim" / "Anonymous"). Blogger prints "Unknown" for a commenter
  whose Google profile is gone, with a profile link that leads nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .responses import Request, Response, text

if TYPE_CHECKING:
    from .blogger import BloggerSite

FEED_MODES = ("full", "short", "none")
OFF_ANSWERS = ("404", "empty", "html")

# Google's front end answers unknown paths on blogspot with this bare page.
GFE_NOT_FOUND = (
    "<HTML>\n<HEAD>\n<TITLE>Not Found</TITLE>\n</HEAD>\n"
    '<BODY BGCOLOR="#FFFFFF" TEXT="#000000">\n<H1>Not Found</H1>\n<H2>Error 404</H2>\n'
    "</BODY>\n</HTML>\n"
)


@dataclass
class BloggerSettings:
    post_feed: str = "full"  # full | short | none
    comment_feeds: str = "full"  # full | none (per-post and blog-wide comment feeds)
    feeds_off_answer: str = "404"  # 404 | empty | html: how a feed set to "none" answers
    post_feed_cap: int | None = None
    post_feed_error_from: int | None = None
    comment_feed_cap: int | None = None
    comment_feed_error: bool = False
    posts_per_page: int = 5
    archive_page_size: int = 20
    comment_permalinks: str = "showComment"  # showComment | anchor
    comments_per_page: int = 200
    sitemap: bool = True
    language: str | None = None
    anonymous_label: str | None = None

    def __post_init__(self) -> None:
        if self.post_feed not in FEED_MODES or self.comment_feeds not in ("full", "none"):
            raise ValueError(f"unknown feed mode in {self}")
        if self.feeds_off_answer not in OFF_ANSWERS:
            raise ValueError(f"feeds_off_answer must be one of {OFF_ANSWERS}")
        if self.comment_permalinks not in ("showComment", "anchor"):
            raise ValueError("comment_permalinks must be 'showComment' or 'anchor'")
        if min(self.posts_per_page, self.archive_page_size, self.comments_per_page) < 1:
            raise ValueError("page sizes must be >= 1")

    @property
    def post_feed_on(self) -> bool:
        return self.post_feed != "none"

    @property
    def comment_feeds_on(self) -> bool:
        return self.comment_feeds != "none"


def feed_off(site: BloggerSite, *, comments: bool) -> Response | None:
    """The answer of a feed the owner switched off (``None`` when the feed is on)."""
    settings = site.settings
    if settings.comment_feeds_on if comments else settings.post_feed_on:
        return None
    answer = settings.feeds_off_answer
    if answer == "404":
        return text(GFE_NOT_FOUND, "text/html; charset=UTF-8", status=404)
    if answer == "html":
        return text(
            "<!DOCTYPE html><html><head><title>Feed dinonaktifkan</title></head><body>"
            f"<p>Feed untuk blog {site.blog.title} dinonaktifkan oleh pemiliknya.</p>"
            "</body></html>",
            "text/html; charset=UTF-8",
        )
    return None  # "empty": the feed renderer serves a feed without entries


def feed_failure(site: BloggerSite, request: Request, *, comments: bool) -> Response | None:
    """A 500 for feed pages the settings break (``None`` when this page is served)."""
    settings = site.settings
    if comments:
        broken = settings.comment_feed_error
    else:
        start = request.int_arg("start-index", 1, 1)
        broken = settings.post_feed_error_from is not None and (
            start >= settings.post_feed_error_from
        )
    if broken:
        return text("Internal Server Error", "text/html; charset=UTF-8", status=500)
    return None
