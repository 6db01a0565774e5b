"""The page-object base: a parsed page (URL + selector) with shared metadata helpers.

Page objects never fetch and never touch settings; a spider hands them a response (or a test
hands them a saved file) and reads fields.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from scrapers.items import DocumentItem
from scrapers.pages.decide import Candidate, decide_body, first_candidate
from scrapers.pages.general import (
    LINK_SHARE,
    GeneralReading,
    clean_lines,
    furniture_lines,
    link_share,
    main_text,
    read_general,
    without_lines,
)
from scrapers.pages.text import first


class Page:
    """A fetched HTML page; subclasses expose one method or property per field."""

    def __init__(self, url: str, html: str | Selector):
        self.url = url
        self._raw: str | None = None  # the page as served, for the general extractor
        self._chosen: dict[str, Candidate] = {}  # field -> the candidate that answered it
        if isinstance(html, Selector):
            self.sel = html
        else:
            self._raw = flatten_deep_nesting(html or "<html></html>")
            self.sel = Selector(text=self._raw)

    @classmethod
    def from_response(cls, response: Any, **kwargs: Any) -> Any:
        try:
            text = response.text
        except (AttributeError, ValueError):
            text = "<html></html>"
        if not _DEEP_RUN.search(text[:2_000_000]):
            page = cls(response.url, response.selector, **kwargs)
            page._raw = text
            return page
        return cls(response.url, text, **kwargs)

    # --- shared metadata -------------------------------------------------------------
    def meta(self, *names: str) -> str | None:
        """The first non-empty <meta name|property|itemprop=...> content among ``names``."""
        metas = self._metas
        for name in names:
            value = metas.get(name)
            if value:
                return value
        return None

    @functools.cached_property
    def _metas(self) -> dict[str, str]:
        """name/property/itemprop -> the first non-empty content, read in one pass."""
        metas: dict[str, str] = {}
        for node in self.sel.xpath("//meta[@content]"):
            attrib = node.attrib
            content = (attrib.get("content") or "").strip()
            if not content:
                continue
            for key in ("property", "name", "itemprop"):
                name = attrib.get(key)
                if name and name not in metas:
                    metas[name] = content
        return metas

    def canonical(self) -> str | None:
        return self.declared_url(self.sel.xpath("//link[@rel='canonical']/@href").get())

    def declared_url(self, href: str | None) -> str | None:
        """A URL the page declares for itself (canonical, ``og:url``), made absolute; None
        when it is not a usable http(s) URL (relative junk, ``javascript:``, no host)."""
        if not href or not href.strip():
            return None
        url = self.absolute(href)
        parts = urlsplit(url)
        return url if parts.scheme in ("http", "https") and parts.hostname else None

    def document(
        self, url: str, kind: str, platform: str, body_html: str | None, **fields: Any
    ) -> DocumentItem:
        """The item of a post or article page: the fields every page type reads the same
        way (its own title(), author(), published_raw(), updated_raw(), text()), plus
        what that type adds in ``fields``, with where each field came from."""
        item = DocumentItem(
            url=url,
            kind=kind,
            platform=platform,
            site=urlsplit(url).hostname,
            title=self.title(),  # type: ignore[attr-defined]
            author=self.author(),  # type: ignore[attr-defined]
            published_raw=self.published_raw(),  # type: ignore[attr-defined]
            updated_raw=self.updated_raw(),  # type: ignore[attr-defined]
            text=self.text(),  # type: ignore[attr-defined]
            body_html=body_html,
            page_canonical=self.canonical(),
            **fields,
        )
        sources = self.field_sources()
        if sources:
            item.extra["field_sources"] = {**sources, **item.extra.get("field_sources", {})}
        return item

    # --- the field decision (scrapers.pages.decide) --------------------------------------
    def choose(self, field: str, options: list[Any]) -> str | None:
        """The first candidate with a value among ``options`` (Candidates, or callables
        returning one, called only when reached), remembered as ``field``'s source."""
        found = first_candidate(options)
        if found is None:
            self._chosen.pop(field, None)
            return None
        self._chosen[field] = found
        return " ".join(found.value.split())  # type: ignore[union-attr]

    def field_sources(self) -> dict[str, dict[str, Any]]:
        """``{field: {"source", "confidence", "via"}}`` of the fields chosen so far."""
        return {
            name: {"source": c.source, "confidence": round(c.confidence, 2), "via": c.via}
            for name, c in self._chosen.items()
        }

    def template_body(self) -> Candidate | None:
        """The body as this page type's template reads it; None when it is not recognised."""
        return None

    def body_choice(self) -> Candidate | None:
        """The decided body (``decide_body``): the template's, the general extractor's,
        JSON-LD ``articleBody`` or the main element's; remembered as the ``body`` source."""
        if "_body_choice" not in self.__dict__:
            found = decide_body(
                self.template_body(),
                self.general_body,
                metadata=self.metadata_body(),
                main=self.main_body,
                furniture=lambda: self.furniture,
            )
            self.__dict__["_body_choice"] = found
            if found is not None:
                self._chosen["body"] = found
        return self.__dict__["_body_choice"]

    def decided_text(self) -> str:
        found = self.body_choice()
        return (found.value or "") if found is not None else ""

    @functools.cached_property
    def general(self) -> GeneralReading:
        """The general extractor's reading of the whole page (lazy: it is the slow part)."""
        return read_general(self._raw if self._raw is not None else self.sel.get(), self.url)

    @functools.cached_property
    def furniture(self) -> set[str]:
        return furniture_lines(self.sel)

    def general_body(self) -> Candidate | None:
        text = without_lines(self.general.text, self.furniture)
        if not text or link_share(text, self.sel) >= LINK_SHARE:  # a menu is not a body
            return None
        return Candidate(text, "general", 0.6, "trafilatura")

    def metadata_body(self) -> Candidate | None:
        body = (self.ld_article() or {}).get("articleBody")
        if not isinstance(body, str) or not body.strip():
            return None
        return Candidate(clean_lines(body), "metadata", 0.7, "json-ld articleBody")

    def main_body(self) -> Candidate | None:
        text = main_text(self.sel)
        return Candidate(text, "general", 0.3, "main element") if text else None

    def site_name(self) -> str | None:
        return self.meta("og:site_name", "application-name")

    @functools.cached_property
    def _section_labels(self) -> frozenset[str]:
        labels: set[str] = set()
        ld = self.ld_article() or {}
        for value in (ld.get("articleSection"), self.meta("article:section", "og:section")):
            for label in value if isinstance(value, list) else [value]:
                if isinstance(label, str) and label.strip():
                    labels.add(" ".join(label.split()).lower())
        for node in self.sel.xpath(_TAXONOMY_LINKS):
            text = " ".join("".join(node.xpath(".//text()").getall()).split())
            if text:
                labels.add(text.lower())
        return frozenset(labels)

    def section_labels(self) -> frozenset[str]:
        """Lower-cased names of the page's categories, sections, tags and breadcrumb steps
        ("pemerintahan", "berita daerah"): labels of the page, never its author."""
        return self._section_labels

    def html_title(self) -> str | None:
        return first(["".join(self.sel.xpath("//title//text()").getall())])

    def absolute(self, href: str) -> str:
        return urljoin(self.url, href.strip())

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    def json_ld(self) -> Iterator[dict[str, Any]]:
        """Every JSON-LD object on the page, flattening lists and ``@graph``."""
        for raw in self.sel.xpath("//script[@type='application/ld+json']/text()").getall():
            try:
                data = json.loads(raw.strip().rstrip(";"), strict=False)
            except (json.JSONDecodeError, ValueError):
                continue
            yield from _flatten_ld(data)

    def ld_article(self) -> dict[str, Any] | None:
        """The first JSON-LD object typed as an article or blog post."""
        wanted = {
            "newsarticle",
            "article",
            "blogposting",
            "reportagenewsarticle",
            "analysisnewsarticle",
            "webpage",
            "socialmediaposting",
        }
        best = None
        for obj in self.json_ld():
            types = obj.get("@type")
            types = [types] if isinstance(types, str) else types or []
            lowered = {str(t).lower() for t in types}
            if lowered & (wanted - {"webpage"}):
                return obj
            if "webpage" in lowered and best is None and obj.get("datePublished"):
                best = obj
        return best


# Links that name a category, section, tag or breadcrumb step of the page.
_TAXONOMY_LINKS = (
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' category ') or "
    "contains(concat(' ', normalize-space(@rel), ' '), ' tag ') or "
    "re:test(@href, '/(category|categories|kategori|tag|tags|label|rubrik|kanal|topik|"
    "section|channel|ressort|rubrique|categoria)/', 'i') or "
    "ancestor::*[contains(@class, 'breadcrumb') or contains(@itemtype, 'BreadcrumbList')]]"
)

# 64+ consecutive opening (or closing) wrappers: deeper than libxml2 keeps (it drops the
# content below ~256 levels, where a browser would still show it).
_DEEP_RUN = re.compile(r"(?:<(div|span|section)\b[^>]*>\s*){64,}", re.IGNORECASE)
_DEEP_CLOSE = re.compile(r"(?:</(?:div|span|section)>\s*){64,}", re.IGNORECASE)


def flatten_deep_nesting(html: str) -> str:
    """Collapse absurd runs of nested wrapper tags so the text inside stays parseable."""
    if not _DEEP_RUN.search(html):
        return html
    html = _DEEP_RUN.sub(lambda m: f"<{m.group(1)}>", html)
    return _DEEP_CLOSE.sub("</div>", html)


def node_text(nodes: Any) -> str:
    """Visible text of the first selected node that has some: script/style content excluded.

    Selector lists ("h3.post-title, h1.post-title") mean "this or that", so only the first
    match counts; a parent and its child both matching must not double the text.
    """
    for node in nodes:
        if isinstance(node.root, str):
            text = node.root
        else:
            text = "".join(
                node.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall()
            )
        text = " ".join(text.split())
        if text:
            return text
    return ""


def _flatten_ld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten_ld(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten_ld(data["@graph"])
        else:
            yield data


def ld_name(value: Any) -> str | None:
    """A name from a JSON-LD author/publisher value (string, object or list)."""
    if isinstance(value, list):
        names = [ld_name(v) for v in value]
        joined = ", ".join(n for n in names if n)
        return joined or None
    if isinstance(value, dict):
        name = value.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
