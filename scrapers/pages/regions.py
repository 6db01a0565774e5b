"""Regions of a page that hold no article text, and the containers that usually do.

``denoise`` gives a copy of a page without its site header and footer, navigation and widget
regions, for the heuristics that look for a byline date or author (a header's "today" clock
or a related-news list must not pass for the article's). On pages written by strangers such
selectors also match wrappers of the whole page (``<body class="navbar-fixed">``, an HTML5
``<header>`` around the article): a region holding most of the page's text, the root, the
body or the headline is never removed.
"""

from __future__ import annotations

from typing import Any

from parsel import Selector

# Boxes that are boilerplate by their markup wherever they sit: read-also and related
# lists, share bars, tag lists, ad slots, newsletter prompts, breadcrumbs, author boxes,
# social embeds' furniture.
BOXES = (
    ".baca-juga",
    ".bacajuga",
    ".read-also",
    ".related",
    ".related-news",
    ".related-posts",
    ".berita-terkait",
    "[class*='terkait']",
    ".share",
    ".social-share",
    ".share-buttons",
    ".sharing",
    ".tags",
    ".tag-list",
    ".ads",
    ".advertisement",
    ".iklan",
    ".adsbygoogle",
    ".newsletter",
    ".breadcrumb",
    ".author-box",
    ".instagram-media",
    ".tiktok-embed",
    "amp-ad",
    "amp-embed",
)
# Furniture removed from every body, on top of a source's own ``drop`` list.
DEFAULT_DROP = (
    "header",
    "nav",
    "footer",
    "aside",
    *BOXES,
    "[class*='iklan']",
    "ins",
    ".comments",
    "#comments",
    ".video-embed",
    ".most-popular",
    ".populer",
    "[class*='pagination']",
    "amp-sticky-ad",
    "amp-social-share",
    "[class*='paging']",  # an article's own "Halaman 1 2 3 Selanjutnya" links
)
# Regions that never hold the article's own date or body.
NOISE = (
    "nav",
    "aside",
    ".related",
    ".related-news",
    ".berita-terkait",
    "[class*='terkait']",
    ".sidebar",
    "#sidebar",
    ".widget",
    ".most-popular",
    ".populer",
    "[class*='populer']",
    "[class*='popular']",
    "[class*='berita-lain']",
    "[class*='lainnya']",
    "amp-sidebar",
    ".topbar",
    ".top-bar",
    ".top-header",
    "[class*='navbar']",
    "[class*='today']",
    "[id*='today']",
    "[class*='topbar']",
    "[class*='jam-digital']",
    ".clock",
    ".header",
    "#header",
    ".comments",
    "#comments",
    ".breadcrumb",
)
# Containers that hold the article body on common CMSs, most specific first. Generic
# wrappers (``article``, ``.node__content``) are not among them: they hold the headline,
# byline and share bars too, and the general extractor reads such pages better.
KNOWN_BODIES = (
    "[itemprop=articleBody]",
    ".detail__body-text",
    ".read__content",
    ".post-content",
    ".entry-content",
    ".article-content",
    ".article-body",
    ".content-detail",
    ".detail-content",
    ".news-content",
    ".berita-content",
    ".isi-berita",
    ".field--name-body",
    ".post-body",
)

# A "noise" region holding more of the page's text than this is the page, not noise.
_MAX_SHARE = 0.5


def denoise(sel: Selector) -> Selector:
    """A copy of the page without site header/footer, navigation and widget regions.

    Headers and footers inside an ``<article>`` stay: HTML5 themes put the byline there.
    """
    root = Selector(text=sel.get())
    total = len(_text(root.root)) or 1
    found = list(root.xpath("//header[not(ancestor::article)] | //footer[not(ancestor::article)]"))
    for expr in NOISE:
        found.extend(root.css(expr))
    for node in found:
        el = node.root
        if (
            not hasattr(el, "getparent")
            or el.getparent() is None
            or el.tag in ("html", "body")
            or len(_text(el)) > _MAX_SHARE * total
            or el.xpath(".//h1")
        ):
            continue
        node.drop()
    return root


def _text(el: Any) -> str:
    return "".join(el.xpath(".//text()[not(ancestor::script or ancestor::style)]"))
