"""News and government article pages, and their listing pages.

Fields come from the page's own metadata first (JSON-LD ``NewsArticle``/``BlogPosting``,
``article:published_time``, microdata), then from the selectors configured in
``sources.toml``, then from trafilatura as a general main-text extractor. The date is the
byline's: header "today" widgets, related-news lists, navigation and footers are removed
before any heuristic looks for one.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from parsel import Selector

from scrapers.items import DocumentItem
from scrapers.pages.base import Page, ld_name, node_text
from scrapers.pages.text import (
    AD_CLASS,
    clean_author,
    element_text,
    first,
    first_of,
    normalize_text,
    site_like,
    strip_title_suffix,
    tweet_text_only,
)

# Furniture removed from every body, on top of a source's own ``drop`` list.
DEFAULT_DROP = (
    "header",
    "nav",
    "footer",
    "aside",
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
    "[class*='iklan']",
    ".adsbygoogle",
    "ins",
    ".comments",
    "#comments",
    ".newsletter",
    ".breadcrumb",
    ".author-box",
    ".video-embed",
    ".most-popular",
    ".populer",
    "[class*='pagination']",
    "amp-ad",
    "amp-embed",
    "amp-sticky-ad",
    "amp-social-share",
    ".instagram-media",
    ".tiktok-embed",
    "[class*='paging']",  # an article's own "Halaman 1 2 3 Selanjutnya" links
)
# Regions that never hold the article's own date or body.
_NOISE = (
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
_DATE_METAS = (
    "article:published_time", "og:article:published_time", "datePublished", "pubdate",
    "publishdate", "publish-date", "date", "dc.date", "DC.date.issued", "sailthru.date",
    "parsely-pub-date", "content_PublishedDate",
)  # fmt: skip
_BODY_CANDIDATES = (
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
    ".node__content",
    ".post-body",
    "article .content",
    "article",
)
_DATE_ATTR_XPATHS = (
    "//time/@datetime",
    "//*[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
)
_DATE_TEXT_CANDIDATES = (
    ".date",
    ".post-date",
    ".entry-date",
    ".tanggal",
    ".publish-date",
    ".published",
    ".time",
    ".detail__date",
    ".read__time",
    ".article-date",
    ".byline",
    ".meta",
    ".post-meta",
    ".entry-meta",
    ".submitted",
    ".node__meta",
    ".info",
    ".date-news",
    "[class*='submitted']",
    "[class*='date']",
    "[class*='tanggal']",
    "[class*='time']",
)
_AUTHOR_CANDIDATES = (
    "[rel=author]",
    "[itemprop=author] [itemprop=name]",
    "[itemprop=author]",
    ".author",
    ".penulis",
    ".reporter",
    ".byline .name",
    ".detail__author",
    ".read__credit__item",
    ".field--name-uid",
    ".username",
    "[class*='author']",
    "[class*='reporter']",
    "[class*='penulis']",
    "[class*='writer']",
)
_WEEKDAY = r"(?:Senin|Selasa|Rabu|Kamis|Jum(?:'|’)?at|Sabtu|Minggu|Ahad)"
_MONTH = (
    r"(?:Jan(?:uari)?|Feb(?:ruari)?|Pebruari|Mar(?:et)?|Apr(?:il)?|Mei|Jun(?:i)?|"
    r"Jul(?:i)?|Agu(?:s(?:tus)?)?|Agt|Sep(?:tember)?|Okt(?:ober)?|Nov(?:ember)?|"
    r"Des(?:ember)?|January|February|March|May|June|July|August|October|December)"
)
_DATE_TEXT = re.compile(
    rf"(?:{_WEEKDAY},?\s*)?\d{{1,2}}\s+{_MONTH}\s+\d{{4}}(?:\s*[,|\-–]?\s*(?:pukul\s*)?"
    rf"\d{{1,2}}[:.]\d{{2}}(?:\s*(?:WIB|WITA|WIT))?)?"
    rf"|(?:{_WEEKDAY},?\s*\(?\s*)?\d{{1,2}}/\d{{1,2}}/\d{{4}}\)?"
    rf"(?:,?\s*\d{{1,2}}[:.]\d{{2}}(?:\s*WIB)?)?"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[ T]\d{{2}}:\d{{2}}(?::\d{{2}})?)?",
    re.IGNORECASE,
)
# A byline label with the name after it ("Reporter : X", "Penulis: X", "Laporan oleh X").
_BYLINE_LABEL = re.compile(
    r"^\s*(?:reporter|penulis|pewarta|wartawan|kontributor|laporan\s+oleh|ditulis\s+oleh|"
    r"oleh(?=\s*:))\s*:?\s*(.*)$",
    re.IGNORECASE,
)
# Metadata lines that leak into bodies: "Redaktur : X", "Diterbitkan 17 Juni 2020 | Dibaca 2.314 kali".
_CREDIT_LINE = re.compile(
    r"^(?:redaktur|editor|reporter|penulis|pewarta|publisher|kontributor|wartawan)\s*:\s*\S.{0,50}$",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b\d+\s+(?:detik|menit|jam|hari|minggu|pekan|bulan|tahun)\s+(?:yang\s+)?lalu\b|"
    r"\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago\b",
    re.IGNORECASE,
)
_META_WORDS = re.compile(
    r"\b(?:dibaca|views|diterbitkan|diposting|dipublikasikan|diperbarui|updated|posted|published)\b",
    re.IGNORECASE,
)
# "Blitar Kota - Jumat, (27/02/2021)," / "Rabu (27/5/2020)" lead datelines.
_LEAD_DATE = re.compile(
    rf"{_WEEKDAY}\s*,?\s*\(?\s*\d{{1,2}}\s*/\s*\d{{1,2}}(?:\s*/\s*\d{{2,4}})?\s*\)?",
    re.IGNORECASE,
)


MAX_PARTS = 30  # pages of one article followed at most
_PART_KEYS = ("page", "halaman", "hal")
_VIEW_ALL = {
    "page": ("all", "semua"),
    "single": ("1", "true"),
    "showall": ("1", "true"),
    "view": ("all",),
    "all": ("1", "true"),
}


def _identity(query: str) -> list[tuple[str, str]]:
    """The query parameters that name the article (``?id=123``), without the page ones."""
    drop = {*_PART_KEYS, *_VIEW_ALL}
    return sorted((k, v) for k, v in parse_qsl(query) if k.lower() not in drop)


def strip_amp(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


class NewsArticlePage(Page):
    """One article; ``selectors`` are a source's ``[source.selectors]`` table."""

    def __init__(self, url: str, html: str | Selector, selectors: dict[str, Any] | None = None):
        super().__init__(url, html)
        self.selectors = selectors or {}
        self._ld = self._own_ld() or {}
        self._clean: Selector | None = None
        self._text: str | None = None

    # --- helpers -----------------------------------------------------------------------
    def _own_ld(self) -> dict[str, Any] | None:
        """The page's JSON-LD article, unless it describes the site's home page instead.

        Some CMSs print one site-wide block (``WebPage`` of ``/``, rendered "now") on
        every page: its name and date are the site's, not the article's.
        """
        ld = self.ld_article()
        if not ld:
            return None
        ref = ld.get("url") or ld.get("@id") or ld.get("mainEntityOfPage")
        if isinstance(ref, dict):
            ref = ref.get("@id") or ref.get("url")
        if isinstance(ref, str) and ref.strip() and not ref.startswith("#"):
            path = urlsplit(urljoin(self.url, ref.strip())).path.strip("/")
            here = urlsplit(self.url).path.strip("/")
            if not path and here:
                return None
        return ld

    def _pick(self, key: str, sel: Selector | None = None) -> list[Selector]:
        expr = self.selectors.get(key)
        if not expr:
            return []
        sel = sel or self.sel
        try:
            return list(sel.xpath(expr) if expr.startswith(("/", "./", "(")) else sel.css(expr))
        except Exception:  # a bad selector in sources.toml: fall through to the next source
            return []

    def _text_of(self, found: list[Selector]) -> str | None:
        for node in found:
            if isinstance(node.root, str):
                value = node.root
            else:
                value = " ".join(t.strip() for t in node.xpath(".//text()").getall() if t.strip())
            if value and value.strip():
                return re.sub(r"\s+", " ", value).strip()
        return None

    def _denoised(self) -> Selector:
        """The page without header/nav/footer/related widgets (for date/author heuristics)."""
        if self._clean is None:
            self._clean = denoise(self.sel)
        return self._clean

    # --- fields ------------------------------------------------------------------------
    def url_canonical(self) -> str:
        return strip_amp(self.canonical() or self.meta("og:url") or self.url)

    def title(self) -> str | None:
        headline = self._ld.get("headline") or self._ld.get("name")
        raw = first_of(
            lambda: self._text_of(self._pick("title")),
            lambda: headline if isinstance(headline, str) else None,
            lambda: self.meta("og:title", "twitter:title"),
            lambda: node_text(self._denoised().css("h1")),
            self._titled_heading,
            lambda: _headline_part(self.html_title()),
        )
        return strip_title_suffix(raw, [self.site_name(), self._publisher(), self.host])

    def _titled_heading(self) -> str | None:
        """An h2/h3 styled as the headline (``.judul-berita``, ``.post-title``)."""
        clean = self._denoised()
        for node in clean.xpath(
            "//*[self::h2 or self::h3][contains(@class,'title') or contains(@class,'judul')]"
        ):
            text = " ".join(t.strip() for t in node.xpath(".//text()").getall() if t.strip())
            if len(text) > 15:
                return text
        return None

    def _publisher(self) -> str | None:
        return ld_name(self._ld.get("publisher"))

    def published_raw(self) -> str | None:
        """Metadata, then configured selector, then byline heuristics, then trafilatura.

        Candidates are tried lazily: the later ones are expensive.
        """
        return first_of(
            lambda: _str(self._ld.get("datePublished")),
            lambda: self.meta(*_DATE_METAS),
            self._configured_date,
            self._heuristic_date,
            self._lead_date,
            lambda: self._trafilatura_meta().get("date"),
        )

    def updated_raw(self) -> str | None:
        return first(
            [
                _str(self._ld.get("dateModified")),
                self.meta("article:modified_time", "og:updated_time", "dateModified"),
            ]
        )

    def _configured_date(self) -> str | None:
        found = self._pick("date")
        for node in found:
            if not isinstance(node.root, str):
                attr = node.attrib.get("datetime") or node.attrib.get("content")
                if attr:
                    return attr.strip()
        return self._text_of(found)

    def _heuristic_date(self) -> str | None:
        """The date-looking byline closest after the headline (before it, if none after).

        Ranking by position relative to the headline keeps header "today" widgets and
        related-news dates out, even on pages with no article container.
        """
        clean = self._denoised()
        order = {el: i for i, el in enumerate(clean.root.iter())}
        heading = self._heading(clean)
        anchor = order.get(heading[0].root, 0) if heading else 0
        found: list[tuple[int, str]] = []
        for expr in _DATE_ATTR_XPATHS:
            for node in clean.xpath(expr):
                value = node.get().strip()
                owner = node.root.getparent() if hasattr(node.root, "getparent") else None
                if value and owner is not None:
                    found.append((order.get(owner, 0), value))
        for expr in _DATE_TEXT_CANDIDATES:
            for node in clean.css(expr):
                text = " ".join(t.strip() for t in node.xpath(".//text()").getall() if t.strip())
                m = _DATE_TEXT.search(text)
                if m and len(text) < 300:
                    found.append((order.get(node.root, 0), _widen(text, m)))
        after = sorted(f for f in found if f[0] >= anchor)
        if after:
            return after[0][1]
        # The byline sits next to the headline: the first date in the text after it.
        if heading:
            for text in (
                heading[0].xpath("following::text()[normalize-space()][position()<=40]").getall()
            ):
                m = _DATE_TEXT.search(text)
                if m:
                    return _widen(text, m)
        before = sorted(f for f in found if f[0] < anchor)
        return before[-1][1] if before else None

    def _heading(self, clean: Selector) -> list[Selector]:
        """The headline element: an h1, an h2/h3 styled as a title, or the element whose
        whole text is the page's title (``<div id="o_wblog_post_name">``)."""
        heading = clean.xpath("(//h1)[1]") or clean.xpath(
            "(//*[self::h2 or self::h3][contains(@class,'title') or contains(@class,'judul')])[1]"
        )
        if heading:
            return heading
        title = self.title()
        if not title:
            return []
        return clean.xpath("(//body//*[normalize-space()=$t])[1]", t=title)

    def _lead_date(self) -> str | None:
        body = self.text()[:400]
        m = _LEAD_DATE.search(body) or _DATE_TEXT.search(body)
        return m.group(0).strip() if m else None

    @staticmethod
    def _article_scope(sel: Selector) -> Selector:
        for expr in ("article", "[itemtype*='Article']", "main", ".post", ".detail", "#content"):
            found = sel.css(expr)
            if found:
                return found[0]
        return sel

    def author(self) -> str | None:
        """Configured selector, metadata, then the visible byline.

        Metadata that names the site itself ("beritajatim.com", the publisher) is kept
        only as a last resort: the byline on the page names the reporter.
        """
        configured = clean_author(self._text_of(self._pick("author")))
        if configured:
            return _plausible(configured)
        sites = [self.site_name(), self._publisher(), self.host]
        fallback = None
        for raw in (
            ld_name(self._ld.get("author")),
            self.meta("author", "article:author", "dc.creator", "parsely-author"),
        ):
            name = _plausible(clean_author(raw))
            if name and site_like(name, sites):
                fallback = fallback or name
            elif name:
                return name
        name = first_of(
            self._candidate_author,
            self._labelled_author,
            self._byline_neighbour_author,
        )
        if name:
            return name
        return fallback or _plausible(clean_author(self._trafilatura_meta().get("author")))

    def _scopes(self) -> list[Selector]:
        """The article container, then the whole de-noised page (``#content`` is sometimes
        only the body, with the byline above it)."""
        clean = self._denoised()
        scope = self._article_scope(clean)
        return [scope] if scope is clean else [scope, clean]

    def _candidate_author(self) -> str | None:
        for scope in self._scopes():
            for expr in _AUTHOR_CANDIDATES:
                name = _plausible(clean_author(self._text_of(list(scope.css(expr)))))
                if name:
                    return name
        return None

    def _labelled_author(self) -> str | None:
        """The name after a byline label: "Reporter : X", "<span>Penulis</span> X"."""
        for scope in self._scopes():
            name = self._labelled_in(scope.root)
            if name:
                return name
        return None

    @staticmethod
    def _labelled_in(scope: Any) -> str | None:
        for node in scope.xpath(".//text()[normalize-space()][not(ancestor::script)]"):
            text = str(node).strip()
            m = _BYLINE_LABEL.match(text) if len(text) < 80 else None
            if not m:
                continue
            rest = m.group(1).strip()
            if not rest:
                parent = node.getparent()
                after = parent.xpath(
                    "following::text()[normalize-space()][1]"
                    if node.is_tail
                    else "(descendant::text()[normalize-space()] | "
                    "following::text()[normalize-space()])[2]"
                )
                rest = str(after[0]) if after else ""
            name = _person_name(clean_author(rest.strip(" :")))
            if name:
                return name
        return None

    def _byline_neighbour_author(self) -> str | None:
        """A name sitting beside the byline date right under the headline, unlabelled
        ("Humas Polres Blitar Kota · 17 Juni 2020")."""
        heading = self._heading(self._denoised())
        if not heading:
            return None
        texts = heading[0].root.xpath("following::text()[normalize-space()][position()<=8]")
        for i, node in enumerate(texts):
            if not _DATE_TEXT.search(str(node)):
                continue
            for j in range(i - 1, max(-1, i - 4), -1):
                name = _person_name(str(texts[j]).strip())
                label = str(texts[j - 1]).strip().lower() if j else ""
                if label.startswith(("editor", "redaktur", "red:", "red.")):
                    continue  # the editor's name, not the writer's
                if name and _near(texts[j].getparent(), node.getparent()):
                    return name
            return None
        return None

    def body_node(self) -> Selector | None:
        found = self._pick("body")
        if found and not isinstance(found[0].root, str):
            return found[0]
        return None

    def text(self) -> str:
        if self._text is None:
            self._text = self._extract_text()
        return self._text

    def _extract_text(self) -> str:
        return _drop_meta_lines(self._raw_text())

    def _raw_text(self) -> str:
        drop = list(DEFAULT_DROP) + list(self.selectors.get("drop") or [])
        node = self.body_node()
        if node is not None:
            return element_text(node.root, drop)
        extracted = self._trafilatura_text()
        if extracted:
            return extracted
        clean = self._denoised()
        for expr in _BODY_CANDIDATES:
            found = clean.css(expr)
            if found:
                text = element_text(found[0].root, drop, AD_CLASS)
                if len(text) > 80:
                    return text
        return ""

    def body_html(self) -> str | None:
        node = self.body_node()
        return node.get() if node is not None else None

    def article(self) -> DocumentItem:
        url = self.url_canonical()
        return self.document(url, "article", "generic", self.body_html())

    # --- articles split over pages -------------------------------------------------------
    def parts(self, article_url: str | None = None) -> tuple[str | None, dict[int, str]]:
        """``(view-all URL, {page number: URL})`` of an article split over pages.

        Indonesian portals cut long articles into pages: ``?page=2`` (Kompas, Tribun, Suara,
        Okezone), ``/2`` after the article's path (Jawa Pos), often with a "show all" link
        (``?page=all``, ``?single=1``). Only links to the same article count: same host,
        same path (or that path plus ``/N``), a page number from 2 to ``MAX_PARTS``.
        ``article_url`` is the first page's URL when this page is a later one.
        """
        base = urlsplit(article_url or self.url)
        base_path = base.path.rstrip("/")
        base_rest = _identity(base.query)
        view_all: str | None = None
        numbered: dict[int, str] = {}
        tail = base_path.rsplit("/", 1)[-1]
        hrefs = self.sel.css("a[href]::attr(href), link[rel=next]::attr(href)").getall()
        for href in hrefs:
            # cheap first: a page link names the article, or is "?page=2" or "2/"
            if tail not in href and not href.startswith("?") and not href.strip("/").isdigit():
                continue
            url = self.absolute(href)
            parts = urlsplit(url)
            if parts.hostname != base.hostname or not base_path:
                continue
            path = parts.path.rstrip("/")
            query = {k.lower(): v.lower() for k, v in parse_qsl(parts.query)}
            number: str | None = None
            if path == base_path:
                if _identity(parts.query) != base_rest:  # index.php?id=456: another article
                    continue
                if any(query.get(k) in v for k, v in _VIEW_ALL.items()):
                    view_all = view_all or strip_amp(url)
                    continue
                number = next((query[k] for k in _PART_KEYS if k in query), None)
            elif path.startswith(base_path + "/") and not parts.query:
                number = path[len(base_path) + 1 :]
            if number and number.isdigit() and 2 <= int(number) <= MAX_PARTS:
                numbered.setdefault(int(number), strip_amp(url))
        return view_all, numbered

    # --- trafilatura (lazy: it is the slow path) -----------------------------------------
    def _trafilatura_text(self) -> str | None:
        import trafilatura

        try:
            text = trafilatura.extract(
                self._trafilatura_input(),
                url=self.url,
                include_comments=False,
                include_tables=False,
                deduplicate=False,
            )
        except Exception:  # trafilatura on hostile HTML: treat as no extraction
            return None
        return normalize_text(text) if text else None

    def _trafilatura_meta(self) -> dict[str, Any]:
        if not hasattr(self, "_tmeta"):
            import trafilatura

            try:
                doc = trafilatura.bare_extraction(
                    self._trafilatura_input(),
                    url=self.url,
                    only_with_metadata=False,
                    with_metadata=True,
                )
                meta = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
            except Exception:
                meta = {}
            self._tmeta = {"date": meta.get("date"), "author": meta.get("author")}
        return self._tmeta

    def _trafilatura_input(self) -> str:
        """The de-noised page without ad, share and read-also blocks (trafilatura keeps some)."""
        if not hasattr(self, "_tinput"):
            root = Selector(text=self._denoised().get())
            for expr in DEFAULT_DROP:
                for node in root.css(expr):
                    node.drop()
            for node in root.xpath("//*[@class]"):
                tokens = (node.attrib.get("class") or "").lower().split()
                if any(AD_CLASS.search(t) for t in tokens):
                    node.drop()
            for node in root.css("blockquote.twitter-tweet"):
                tweet_text_only(node.root)
            self._tinput = root.get()
        return self._tinput


class NewsListingPage(Page):
    """A listing (index, category, tag) page: article links and the next page."""

    def __init__(self, url: str, html: str | Selector, selectors: dict[str, Any] | None = None):
        super().__init__(url, html)
        self.selectors = selectors or {}

    def links(self) -> list[str]:
        expr = self.selectors.get("listing_links")
        if expr:
            hrefs = self.sel.xpath(expr) if expr.startswith(("/", "(")) else self.sel.css(expr)
            values = [
                h.attrib.get("href") if not isinstance(h.root, str) else h.root for h in hrefs
            ]
        else:
            values = self._guess_links()
        out = []
        for href in values:
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            out.append(strip_amp(self.absolute(href)))
        return list(dict.fromkeys(out))

    def _guess_links(self) -> list[str]:
        """Article links without configured selectors: headline links on this host.

        A link counts when its path ends in a multi-word slug (``/berita/warga-bentuk-...``)
        or its text reads like a headline (five words or more), and it is not pagination.
        """
        clean = denoise(self.sel)
        host = self.host
        here = urlsplit(self.url)
        links: list[tuple[str, bool]] = []
        for a in clean.css("article a[href], h2 a[href], h3 a[href], h4 a[href], li a[href]"):
            absolute = self.absolute(a.attrib["href"])
            parts = urlsplit(absolute)
            if parts.hostname != host or (parts.path, parts.query) == (here.path, here.query):
                continue
            if re.search(r"(^|[?&])(page|paged|hal)=|/page/\d+", absolute):
                continue
            slug = parts.path.rstrip("/").rsplit("/", 1)[-1]
            headline = slug.count("-") >= 2 or len(node_text([a]).split()) >= 5
            links.append((absolute, headline))
        # Short headlines ("Vaksinasi Lansia") count too when their URL has the same shape
        # as the clear ones: same directory and the same query keys.
        shapes = {_url_shape(url) for url, headline in links if headline}
        return [url for url, headline in links if headline or _url_shape(url) in shapes]

    def next_page(self) -> str | None:
        expr = self.selectors.get("next_page")
        href = None
        if expr:
            found = self.sel.xpath(expr) if expr.startswith(("/", "(")) else self.sel.css(expr)
            if found:
                node = found[0]
                href = node.root if isinstance(node.root, str) else node.attrib.get("href")
        if not href:
            href = first(
                [
                    self.sel.css("link[rel=next]::attr(href), a[rel=next]::attr(href)").get(),
                    self.sel.css(
                        ".pagination a.next::attr(href), a.next::attr(href), "
                        "li.pager-next a::attr(href)"
                    ).get(),
                    self.sel.xpath(
                        "//a[normalize-space()='Selanjutnya' or normalize-space()='Next'"
                        " or normalize-space()='›' or normalize-space()='»' or "
                        "normalize-space()='Berikutnya']/@href"
                    ).get(),
                ]
            )
        return self.absolute(href) if href else None


def denoise(sel: Selector) -> Selector:
    """A copy of the page without site header/footer, navigation and widget regions.

    Headers and footers inside an ``<article>`` stay: HTML5 themes put the byline there.
    """
    root = Selector(text=sel.get())
    for node in root.xpath("//header[not(ancestor::article)] | //footer[not(ancestor::article)]"):
        node.drop()
    for expr in _NOISE:
        for node in root.css(expr):
            node.drop()
    return root


def _url_shape(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    keys = tuple(sorted({q.split("=", 1)[0] for q in parts.query.split("&") if q}))
    return parts.path.rstrip("/").rsplit("/", 1)[0], keys


def _headline_part(title: str | None) -> str | None:
    """The headline inside a ``<title>`` like "Site | Headline" or "Headline - Site"."""
    if not title:
        return None
    parts = [p.strip() for p in re.split(r"\s+[|\-–—:»]\s+", title) if p.strip()]
    return max(parts, key=len) if parts else title


def _drop_meta_lines(text: str) -> str:
    """Without byline/credit lines that body containers often hold: "Redaktur : X",
    "Diterbitkan 17 Juni 2020 | Dibaca 2.314 kali", a date alone on its line."""
    out = []
    for line in text.split("\n"):
        bare = line.strip()
        if bare and len(bare) < 120:
            if _CREDIT_LINE.match(bare):
                continue
            m = _DATE_TEXT.search(bare) or _RELATIVE.search(bare)
            if m and (m.group(0).strip() == bare.strip(" -|•·") or _META_WORDS.search(bare)):
                continue
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _plausible(name: str | None) -> str | None:
    if name and (name.startswith(("http://", "https://")) or len(name) > 80):
        return None
    return name


_PARTICLES = {"bin", "binti", "al", "el", "van", "de", "da", "dan"}


def _person_name(text: str | None) -> str | None:
    """``text`` if it reads like a byline name (capitalised words, no digits), else None."""
    if not text:
        return None
    text = re.sub(r"\s+", " ", text).strip(" ,;|•·-–")
    words = text.split()
    if not 1 <= len(words) <= 6 or len(text) > 60 or re.search(r"\d|[!?\"“”]", text):
        return None
    if _DATE_TEXT.search(text) or re.fullmatch(_MONTH + r"|" + _WEEKDAY, text, re.IGNORECASE):
        return None
    if all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
        return text
    return None


def _near(a: Any, b: Any, levels: int = 3) -> bool:
    """Whether two elements share an ancestor within ``levels`` steps of both."""
    if a is None or b is None:
        return False
    ups = []
    node = a
    for _ in range(levels + 1):
        if node is None:
            break
        ups.append(node)
        node = node.getparent()
    node = b
    for _ in range(levels + 1):
        if node is None:
            return False
        if node in ups:
            return True
        node = node.getparent()
    return False


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _widen(text: str, m: re.Match[str]) -> str:
    """The matched date plus a trailing ``WIB``/time if the byline continues with one."""
    tail = text[m.end() : m.end() + 12]
    extra = re.match(r"\s*[|,\-–]?\s*\d{1,2}[:.]\d{2}(?:\s*(?:WIB|WITA|WIT))?", tail)
    return (m.group(0) + (extra.group(0) if extra else "")).strip()
