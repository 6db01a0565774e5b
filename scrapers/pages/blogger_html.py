"""Blogger post pages (HTML fallback and `tangguh fetch`): the post and its comments.

The comments themselves, in either template, are read by ``blogger_comments``. Posts with
more comments than a page holds are paged with ``?commentPage=N`` (non-threaded template). ``BloggerListingPage`` reads home, archive and
search pages: the posts they list with the comment count each shows, archive links and the
"Posting Lama" pager, for walking a blog whose feeds are off or cut.
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import parse_qs, urlsplit, urlunsplit

from parsel import Selector

from scrapers.items import DocumentItem
from scrapers.pages.base import Page, ld_name, node_text
from scrapers.pages.blogger_comments import comment_template, page_comments
from scrapers.pages.decide import Candidate
from scrapers.pages.news import NewsArticlePage
from scrapers.pages.text import (
    clean_author,
    element_text,
    first,
    strip_title_suffix,
)

_BODY = ".post-body, [itemprop=articleBody], [itemprop='description articleBody']"
# Body containers of popular custom Blogger themes that drop the .post-body class.
_THEME_BODY = "#postBody, .postBody, .post-entry, .entry-content, .pEnt, .post-content"

# Furniture that themes place inside the post body container.
BODY_DROP = (
    ".post-share-buttons",
    ".share-buttons",
    ".sharethis",
    ".related-posts",
    "#related-posts",
    ".post-footer",
    ".blog-pager",
    ".post-labels",
    ".jump-link",
    ".widget",
    ".adsbygoogle",
    "ins",
    ".comments",
    "#comments",
)


# Pager words of the stock and common custom templates, Indonesian and English.
_OLDER_WORDS = re.compile(
    r"^\W*(posting(an)? lama|entri lama|older posts?|older entries|next page)\b", re.IGNORECASE
)
_NEWER_WORDS = re.compile(
    r"^\W*(posting(an)? lebih baru|entri baru|newer posts?|newer entries)\b", re.IGNORECASE
)
_NO_COMMENTS = re.compile(r"^\s*(tidak ada komentar|no comments|belum ada komentar)", re.I)
# Blogger pages comments 200 at a time: 100 pages is far beyond any real post, and keeps a
# hostile pager from walking forever.
MAX_COMMENT_PAGES = 100
_POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
_ARCHIVE_PATH = re.compile(r"^/\d{4}(?:/\d{2})?/?$|^/\d{4}_\d{2}_\d{2}_archive\.html$")


def blogger_post_url(url: str) -> str:
    """Canonical Blogger post URL: no ``?m=1``/``showComment``, no fragment."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def is_post_url(url: str) -> bool:
    return bool(_POST_PATH.match(urlsplit(url).path))


def comment_count_text(text: str | None) -> int | None:
    """``5 komentar`` / ``1 comment`` / ``Tidak ada komentar`` as a number."""
    if not text:
        return None
    if m := re.match(r"\s*(\d+)\s", text + " "):
        return int(m.group(1))
    return 0 if _NO_COMMENTS.match(text) else None


def _pager_links(page: Page, css: str, words: re.Pattern[str]) -> list[str]:
    hrefs = page.sel.css(", ".join(f"{c.strip()}::attr(href)" for c in css.split(","))).getall()
    for a in page.sel.css("a[href]"):
        label = " ".join(a.xpath(".//text()").getall()).strip() or a.attrib.get("title", "")
        if words.match(label):
            hrefs.append(a.attrib["href"])
    out: list[str] = []
    for href in hrefs:
        url = page.absolute(href)
        if url not in out and urlsplit(url).hostname == page.host:
            out.append(url)
    return out


class BloggerListingPage(Page):
    """A Blogger home, archive, label or search page: posts with their comment counts."""

    def posts(self) -> dict[str, int | None]:
        """Each post this page lists or links (widgets too), with the count it shows."""
        found: dict[str, int | None] = {}
        for block in self.sel.css("div.post, article.post"):
            link = block.css(
                ".post-title a::attr(href), a.timestamp-link::attr(href), "
                "a.jump-link::attr(href), .jump-link a::attr(href)"
            ).get()
            if not link or not is_post_url(self.absolute(link)):
                continue
            count = comment_count_text(node_text(block.css("a.comment-link")))
            url = blogger_post_url(self.absolute(link))
            if found.get(url) is None:
                found[url] = count
        for href in self.sel.css("a::attr(href)").getall():
            url = self.absolute(href)
            parts = urlsplit(url)
            if parts.hostname == self.host and not parts.query and is_post_url(url):
                found.setdefault(blogger_post_url(url), None)
        return found

    def archive_links(self) -> list[str]:
        """Year and month archive pages (the archive widget), without queries."""
        out: list[str] = []
        for href in self.sel.css("a::attr(href)").getall():
            url = self.absolute(href)
            parts = urlsplit(url)
            if (
                parts.hostname == self.host
                and not parts.query
                and _ARCHIVE_PATH.match(parts.path)
                and url not in out
            ):
                out.append(url)
        return out

    def older_links(self) -> list[str]:
        """The "Posting Lama" / "Older Posts" pager (``/search?updated-max=...``)."""
        links = _pager_links(
            self, "a.blog-pager-older-link, #blog-pager-older-link a", _OLDER_WORDS
        )
        return [u for u in links if not is_post_url(u)]


class BloggerPostPage(Page):
    """A Blogger item page, either template."""

    def is_blogger(self) -> bool:
        gen = (self.meta("generator") or "").lower()
        return gen == "blogger" or bool(
            self.sel.css(
                "div.post-body.entry-content, #comments-block, .blog-pager, "
                "script[src*='blogger.com'], link[href*='blogger.com/feeds']"
            )
        )

    # --- post fields -------------------------------------------------------------------
    def _post_root(self) -> Selector:
        roots = self.sel.css("div.post, article.post, .post-outer, [itemtype*='BlogPosting']")
        return roots[0] if roots else self.sel

    def post_url(self) -> str:
        link = self._post_root().css("a.timestamp-link::attr(href)").get()
        return blogger_post_url(self.canonical() or (self.absolute(link) if link else self.url))

    def post_id(self) -> str | None:
        for value in (
            self.sel.css("[id^='post-body-']::attr(id)").re_first(r"post-body-(\d+)"),
            self.meta("postId"),
            self.sel.css("div.post a[name]::attr(name)").re_first(r"^(\d{6,})$"),
        ):
            if value:
                return value
        return None

    def blog_name(self) -> str | None:
        return first(
            [
                self.site_name(),
                node_text(self.sel.css("#header h1, .header-widget h1")),
            ]
        )

    def title(self) -> str | None:
        root = self._post_root()
        raw = first(
            [
                node_text(root.css("h3.post-title, h1.post-title, h2.post-title")),
                self.meta("og:title"),
                self.html_title(),
            ]
        )
        return strip_title_suffix(raw, [self.blog_name()])

    def author(self) -> str | None:
        root = self._post_root()
        raw = first(
            [
                node_text(root.css(".post-author .fn [itemprop=name]")),
                node_text(root.css(".post-author .fn, .post-author a")),
                node_text(root.css("[itemprop=author] [itemprop=name]")),
                ld_name((self.ld_article() or {}).get("author")),
                # Custom themes: "Diposting oleh <span class=fn>" in the post's own header
                # or footer (never a bare .fn: the comments below carry them too).
                node_text(
                    root.css(".post-footer .fn, .post-header .fn, .byline .fn, .post-meta .fn")
                ),
            ]
        )
        if raw is None and not self._standard_markup():
            return self._generic.author()  # an unknown theme: the byline heuristics
        return clean_author(raw)

    def published_raw(self) -> str | None:
        root = self._post_root()
        found = first(
            [
                root.css("time.published::attr(datetime), abbr.published::attr(title)").get(),
                root.css(
                    "[itemprop=datePublished]::attr(content), "
                    "[itemprop=datePublished]::attr(datetime)"
                ).get(),
                (self.ld_article() or {}).get("datePublished"),
                self.date_header(),
                # a custom theme's own <time datetime> inside the post (not a sidebar's)
                root.css("time[datetime]::attr(datetime)").get() if root is not self.sel else None,
            ]
        )
        if found is None and not self._standard_markup():
            # Custom themes (Median UI, Plus UI, ...) print the date in their own markup:
            # the page's metadata, then the byline date next to the headline.
            return self._generic.published_raw()
        return found

    def _standard_markup(self) -> bool:
        """The post sits in Blogger's own layout classes (every stock template)."""
        return bool(self.sel.css("div.post-body.entry-content, #comments-block, h2.date-header"))

    @cached_property
    def _generic(self) -> NewsArticlePage:
        return NewsArticlePage(self.url, self.sel)

    def updated_raw(self) -> str | None:
        return first(
            [
                self._post_root()
                .css("[itemprop=dateModified]::attr(content), abbr.updated::attr(title)")
                .get(),
                (self.ld_article() or {}).get("dateModified"),
            ]
        )

    def date_header(self) -> str | None:
        return first([node_text(self.sel.css("h2.date-header"))])

    @cached_property
    def _body_match(self) -> tuple[Selector, str] | None:
        for css in (_BODY, _THEME_BODY):
            found = self._post_root().css(css) or self.sel.css(css)
            if found:
                return found[0], css
        return None

    @property
    def _body(self) -> Selector | None:
        return self._body_match[0] if self._body_match else None

    def template_body(self) -> Candidate | None:
        """Blogger's own ``post-body`` is trusted as is; a custom theme's container is
        weighed against the general reading of the page."""
        if self._body_match is None:
            return None
        body, css = self._body_match
        stock = css == _BODY and self._standard_markup()
        return Candidate(
            element_text(body.root, BODY_DROP),
            "template",
            0.9 if stock else 0.8,
            "blogger post-body" if stock else "blogger theme body",
        )

    def body_html(self) -> str:
        """The body's HTML as the template has it (links and images for judging); empty
        when the body was read by the general extractor, which keeps text only."""
        chosen = self.body_choice()
        body = self._body
        if body is None or chosen is None or chosen.source != "template":
            return ""
        return body.get()

    def text(self) -> str:
        # An unknown theme, or a container that does not hold the post: the decision falls
        # back to the general extractor on the whole page, not an empty post.
        return self.decided_text()

    def labels(self) -> list[str]:
        return [t.strip() for t in self.sel.css(".post-labels a::text").getall() if t.strip()]

    def comment_count(self) -> int | None:
        n = self.sel.css("#comments::attr(data-num-comments)").get()
        if n and n.isdigit():
            return int(n)
        return None

    def neighbour_links(self) -> list[str]:
        """The newer and older posts this post page links to ("Posting Lama")."""
        links = _pager_links(
            self,
            "a.blog-pager-older-link, a.blog-pager-newer-link",
            re.compile(f"{_OLDER_WORDS.pattern}|{_NEWER_WORDS.pattern}", re.IGNORECASE),
        )
        return [blogger_post_url(u) for u in links if is_post_url(u)]

    def comment_page(self) -> int:
        """Which page of the comments this is (``?commentPage=N``; 1 without it)."""
        value = parse_qs(urlsplit(self.url).query).get("commentPage", ["1"])[0]
        return int(value) if value.isdigit() and int(value) > 0 else 1

    def comment_pages(self) -> list[int]:
        """Every comment page of this post the non-threaded template's pager links to."""
        pages = {self.comment_page()}
        path = urlsplit(self.url).path
        for href in self.sel.css("a[href*='commentPage=']::attr(href)").getall():
            parts = urlsplit(self.absolute(href))
            value = parse_qs(parts.query).get("commentPage", [""])[0]
            if parts.path == path and value.isdigit() and 0 < int(value) <= MAX_COMMENT_PAGES:
                pages.add(int(value))
        return sorted(pages)

    def post(self) -> DocumentItem:
        url = self.post_url()
        return self.document(
            url,
            "post",
            "blogger",
            self.body_html(),
            comment_count=len(self.comments()),
            extra={
                "date_header": self.date_header(),
                "labels": self.labels(),
                "post_id": self.post_id(),
                "template": self.template(),
                **({"body_extractor": "generic"} if self._read_generically() else {}),
            },
        )

    def _read_generically(self) -> bool:
        chosen = self.body_choice()
        return chosen is not None and chosen.source != "template"

    # --- comments ----------------------------------------------------------------------
    def template(self) -> str:
        """Which comment template the page uses: ``threaded``, ``classic`` or ``none``."""
        return comment_template(self.sel)

    def comments(self) -> list[DocumentItem]:
        """This page's comments, either template (``blogger_comments``); read once a page
        (the post's count and the spider both ask)."""
        return list(self._comments)

    @cached_property
    def _comments(self) -> list[DocumentItem]:
        return page_comments(self.sel, self.post_url(), self.absolute)
