"""News and government article pages.

Each field is a list of candidates, decided the same way for every page type
(``scrapers.pages.decide``) and recorded with its source: the page's own metadata (JSON-LD
``NewsArticle``/``BlogPosting``, ``article:published_time``, microdata), the selectors
configured in ``sources.toml``, heuristics (the byline date next to the headline, never a
header "today" widget or a related-news list; "Reporter : X", "Oleh <a>Name</a>"), and the
general extractor. The body is a known CMS container weighed against the general reading of
the whole page, or a configured selector, trusted as is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from scrapers.items import DocumentItem
from scrapers.pages.article_parts import split_parts, strip_amp
from scrapers.pages.base import Page, ld_name, node_text
from scrapers.pages.byline import (
    AUTHOR_CANDIDATES,
    BYLINE_LABEL,
    DATE_ATTR_XPATHS,
    DATE_METAS,
    DATE_TEXT,
    DATE_TEXT_CANDIDATES,
    LEAD_DATE,
    drop_meta_lines,
    headline_part,
    near,
    person_name,
    plausible,
    str_or_none,
    utc_or_naive,
    widen,
)
from scrapers.pages.decide import Candidate
from scrapers.pages.regions import DEFAULT_DROP, KNOWN_BODIES, denoise
from scrapers.pages.text import AD_CLASS, clean_author, element_text, site_like, strip_title_suffix


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
                return " ".join(value.split())
        return None

    def _denoised(self) -> Selector:
        """The page without header/nav/footer/related widgets (for date/author heuristics)."""
        if self._clean is None:
            self._clean = denoise(self.sel)
        return self._clean

    # --- fields ------------------------------------------------------------------------
    def url_canonical(self) -> str:
        return strip_amp(self.canonical() or self.declared_url(self.meta("og:url")) or self.url)

    def title(self) -> str | None:
        headline = self._ld.get("headline") or self._ld.get("name")
        raw = self.choose(
            "title",
            [
                lambda: _c(self._text_of(self._pick("title")), "selector", 0.9, "configured"),
                _c(headline if isinstance(headline, str) else None, "metadata", 0.85, "json-ld"),
                lambda: _c(self.meta("og:title", "twitter:title"), "metadata", 0.8, "og:title"),
                lambda: _c(node_text(self._denoised().css("h1")), "heuristic", 0.6, "h1"),
                lambda: _c(self._titled_heading(), "heuristic", 0.5, "title heading"),
                lambda: _c(headline_part(self.html_title()), "heuristic", 0.4, "<title>"),
                lambda: _c(self.general.meta.get("title"), "general", 0.4, "trafilatura"),
            ],
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
        """Metadata, then configured selector, then byline heuristics, then the general
        extractor. Candidates are tried lazily: the later ones are expensive."""
        return self.choose(
            "published",
            [
                _c(str_or_none(self._ld.get("datePublished")), "metadata", 0.9, "json-ld"),
                lambda: _c(self.meta(*DATE_METAS), "metadata", 0.85, "meta"),
                lambda: _c(self._configured_date(), "selector", 0.9, "configured"),
                lambda: _c(self._heuristic_date(), "heuristic", 0.6, "byline"),
                lambda: _c(self._lead_date(), "heuristic", 0.5, "dateline"),
                lambda: _c(self.general.meta.get("date"), "general", 0.4, "trafilatura"),
            ],
        )

    def updated_raw(self) -> str | None:
        return self.choose(
            "updated",
            [
                _c(str_or_none(self._ld.get("dateModified")), "metadata", 0.9, "json-ld"),
                lambda: _c(
                    self.meta("article:modified_time", "og:updated_time", "dateModified"),
                    "metadata",
                    0.85,
                    "meta",
                ),
            ],
        )

    def _configured_date(self) -> str | None:
        found = self._pick("date")
        for node in found:
            if not isinstance(node.root, str):
                attr = node.attrib.get("datetime") or node.attrib.get("content")
                if attr:
                    return attr.strip()
        return self._text_of(found)

    def _heuristic_date(self, shown_only: bool = False) -> str | None:
        """The date-looking byline closest after the headline (before it, if none after).

        Ranking by position relative to the headline keeps header "today" widgets and
        related-news dates out, even on pages with no article container. ``shown_only``
        leaves out machine-readable attributes (``<time datetime>``): what a reader sees.
        """
        clean = self._denoised()
        order = {el: i for i, el in enumerate(clean.root.iter())}
        heading = self._heading(clean)
        anchor = order.get(heading[0].root, 0) if heading else 0
        found: list[tuple[int, str]] = []
        for expr in () if shown_only else DATE_ATTR_XPATHS:
            for node in clean.xpath(expr):
                value = node.get().strip()
                owner = node.root.getparent() if hasattr(node.root, "getparent") else None
                if value and owner is not None:
                    found.append((order.get(owner, 0), value))
        for expr in DATE_TEXT_CANDIDATES:
            for node in clean.css(expr):
                text = " ".join(t.strip() for t in node.xpath(".//text()").getall() if t.strip())
                m = DATE_TEXT.search(text)
                if m and len(text) < 300:
                    found.append((order.get(node.root, 0), widen(text, m)))
        after = sorted(f for f in found if f[0] >= anchor)
        if after:
            return after[0][1]
        # The byline sits next to the headline: the first date in the text after it.
        if heading:
            for text in (
                heading[0].xpath("following::text()[normalize-space()][position()<=40]").getall()
            ):
                m = DATE_TEXT.search(text)
                if m:
                    return widen(text, m)
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
        m = LEAD_DATE.search(body) or DATE_TEXT.search(body)
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

        A name that is only the site or publisher ("beritajatim.com") is no author, and
        neither is a category, section or tag label ("Pemerintahan", "Berita Daerah").
        """
        sites = [self.site_name(), self._publisher(), self.host]
        labels = self.section_labels()

        def accept(name: str) -> bool:
            return not site_like(name, sites) and name.lower() not in labels

        def person(raw: str | None, source: str, confidence: float, via: str) -> Candidate:
            name = plausible(clean_author(raw))
            return _c(name if name and accept(name) else None, source, confidence, via)

        return self.choose(
            "author",
            [
                lambda: person(self._text_of(self._pick("author")), "selector", 0.9, "configured"),
                lambda: person(ld_name(self._ld.get("author")), "metadata", 0.85, "json-ld"),
                lambda: person(
                    self.meta("author", "article:author", "dc.creator", "parsely-author"),
                    "metadata",
                    0.8,
                    "meta",
                ),
                lambda: person(self._candidate_author(accept), "heuristic", 0.6, "byline element"),
                lambda: person(self._labelled_author(accept), "heuristic", 0.6, "byline label"),
                lambda: person(self._byline_neighbour_author(accept), "heuristic", 0.5, "byline"),
                lambda: person(self.general.meta.get("author"), "general", 0.4, "trafilatura"),
            ],
        )

    def _scopes(self) -> list[Selector]:
        """The article container, then the whole de-noised page (``#content`` is sometimes
        only the body, with the byline above it)."""
        clean = self._denoised()
        scope = self._article_scope(clean)
        return [scope] if scope is clean else [scope, clean]

    def _candidate_author(self, accept: Callable[[str], bool]) -> str | None:
        for scope in self._scopes():
            for expr in AUTHOR_CANDIDATES:
                for node in scope.css(expr):
                    name = plausible(clean_author(self._text_of([node])))
                    if name and accept(name):
                        return name
        return None

    def _labelled_author(self, accept: Callable[[str], bool]) -> str | None:
        """The name after a byline label: "Reporter : X", "<span>Penulis</span> X",
        "Oleh <a>X</a>", "By X"."""
        for scope in self._scopes():
            name = self._labelled_in(scope.root, accept)
            if name:
                return name
        return None

    @staticmethod
    def _labelled_in(scope: Any, accept: Callable[[str], bool]) -> str | None:
        for node in scope.xpath(".//text()[normalize-space()][not(ancestor::script)]"):
            text = str(node).strip()
            m = BYLINE_LABEL.match(text) if len(text) < 80 else None
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
            name = person_name(clean_author(rest.strip(" :")))
            if name and accept(name):
                return name
        return None

    def _byline_neighbour_author(self, accept: Callable[[str], bool]) -> str | None:
        """A name sitting beside the byline date right under the headline, unlabelled
        ("Humas Polres Blitar Kota · 17 Juni 2020")."""
        heading = self._heading(self._denoised())
        if not heading:
            return None
        texts = heading[0].root.xpath("following::text()[normalize-space()][position()<=8]")
        for i, node in enumerate(texts):
            if not DATE_TEXT.search(str(node)):
                continue
            for j in range(i - 1, max(-1, i - 4), -1):
                name = person_name(str(texts[j]).strip())
                label = str(texts[j - 1]).strip().lower() if j else ""
                if label.startswith(("editor", "redaktur", "red:", "red.")):
                    continue  # the editor's name, not the writer's
                if name and accept(name) and near(texts[j].getparent(), node.getparent()):
                    return name
            return None
        return None

    # --- body --------------------------------------------------------------------------
    def body_node(self) -> Selector | None:
        found = self._pick("body")
        if found and not isinstance(found[0].root, str):
            return found[0]
        return None

    def template_body(self) -> Candidate | None:
        """A configured body selector (trusted), else a known CMS body container (weighed
        against the general reading of the page)."""
        drop = list(DEFAULT_DROP) + list(self.selectors.get("drop") or [])
        node = self.body_node()
        if node is not None:
            return Candidate(element_text(node.root, drop), "selector", 0.9, "configured")
        clean = self._denoised()
        for expr in KNOWN_BODIES:
            found = clean.css(expr)
            if found:
                text = element_text(found[0].root, drop, AD_CLASS)
                if len(text) > 80:
                    return Candidate(text, "template", 0.7, expr)
        return None

    def text(self) -> str:
        if self._text is None:
            self._text = drop_meta_lines(self.decided_text())
        return self._text

    def body_html(self) -> str | None:
        node = self.body_node()
        return node.get() if node is not None else None

    def article(self) -> DocumentItem:
        url = self.url_canonical()
        item = self.document(url, "article", "generic", self.body_html())
        shown = self.shown_date()
        if shown:
            item.extra["date_shown"] = shown
        return item

    def shown_date(self) -> str | None:
        """The byline date a reader sees, when the published date came from metadata in
        UTC or without a zone: the dates stage re-expresses the instant in the page's own
        offset from it (a 07:34 WIB article is not stored as the day before)."""
        chosen = self._chosen.get("published")
        if chosen is None or chosen.source != "metadata" or not utc_or_naive(chosen.value):
            return None
        return self._heuristic_date(shown_only=True) or self._lead_date()

    # --- articles split over pages -------------------------------------------------------
    def parts(self, article_url: str | None = None) -> tuple[str | None, dict[int, str]]:
        """``(view-all URL, {page number: URL})`` of an article split over pages
        (``scrapers.pages.article_parts.split_parts``)."""
        hrefs = self.sel.css("a[href]::attr(href), link[rel=next]::attr(href)").getall()
        return split_parts(self.url, hrefs, article_url)


def _c(value: str | None, source: str, confidence: float, via: str) -> Candidate:
    return Candidate(value, source, confidence, via)
