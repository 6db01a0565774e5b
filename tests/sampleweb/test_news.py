"""News and government sites: listings, date lines, metadata, legacy charset."""

from __future__ import annotations

import json

import pytest
from conftest import GOV, PORTAL
from parsel import Selector
from swhttp import fetch


def articles_of(web, host):
    return [r for r in web.manifest().for_site(host) if r.kind == "article"]


def crawl_listing(web, host, start):
    links, url, pages = [], start, 0
    while url:
        got = fetch(url)
        assert got.status == 200
        sel = Selector(text=got.body.decode("windows-1252" if host == PORTAL else "utf-8"))
        links += sel.css("div.berita-list h3.judul a::attr(href)").getall()
        url = sel.css("ul.pagination a[rel=next]::attr(href)").get()
        pages += 1
    return links, pages


@pytest.mark.parametrize("host", [GOV, PORTAL])
def test_listing_pages_reach_every_article(web, host):
    info = next(i for i in web.sites if i.host == host)
    links, pages = crawl_listing(web, host, info.start_urls[0])
    assert pages >= 2
    assert sorted(links) == sorted(a.url for a in articles_of(web, host))


def test_pagination_shapes(web):
    assert fetch(web.url(GOV, "/berita?page=2")).status == 200
    assert fetch(web.url(GOV, "/berita?page=99")).status == 404
    assert fetch(web.url(PORTAL, "/berita/page/2")).status == 200
    assert fetch(web.url(PORTAL, "/berita/page/99")).status == 404


def test_gov_article_has_dates_only_in_text(web):
    art = articles_of(web, GOV)[0]
    html = fetch(art.url).text()
    sel = Selector(text=html)
    assert "article:published_time" not in html and "ld+json" not in html
    assert sel.css("h1.judul-berita::text").get() == art.title
    lead = sel.css("div.isi-berita p strong::text").get()
    assert lead.startswith("Blitar Kota - ") and art.text.startswith(lead)
    assert sel.css("div.info-berita span.tanggal::text").get().endswith("Juni 2020")
    assert sel.css(".top-bar .today::text").get() == "Sabtu, 28 November 2026"
    body = " ".join("".join(sel.css("div.isi-berita ::text").getall()).split())
    assert body == " ".join(art.text.split())


def test_portal_is_windows_1252_with_metadata(web):
    art = articles_of(web, PORTAL)[0]
    got = fetch(art.url)
    assert got.headers["content-type"] == "text/html"  # charset only in the document
    with pytest.raises(UnicodeDecodeError):
        got.body.decode("utf-8")
    html = got.body.decode("windows-1252")
    assert '<meta charset="windows-1252">' in html
    sel = Selector(text=html)
    assert sel.css("h1.detail-title::text").get() == art.title
    assert "\u201c" in art.title and "\u201c" in html  # curly quotes survive the round trip
    published = sel.css("meta[property='article:published_time']::attr(content)").get()
    assert published == art.published
    ld = json.loads(sel.css("script[type='application/ld+json']::text").get())
    assert ld["@type"] == "NewsArticle" and ld["datePublished"] == art.published
    assert sel.css("div.byline div.date::text").get().endswith("WIB")
    assert sel.css("section.related li")  # related list with other dates


def test_sources_selectors_extract_fields(web):
    from tangguh.sampleweb.news import NewsWebsite

    for host in (GOV, PORTAL):
        site = web.site(host)
        assert isinstance(site, NewsWebsite)
        sel_map = site.selectors()
        art = articles_of(web, host)[1]
        body = fetch(art.url).body.decode(site.news.charset)
        sel = Selector(text=body)
        assert " ".join(sel.css(sel_map["title"] + " ::text").getall()).strip() == art.title
        assert sel.css(sel_map["date"] + " ::text").get()
        assert sel.css(sel_map["author"] + " ::text").get() == art.author


def test_published_shown_matches_what_pages_print(web):
    gov = articles_of(web, GOV)[0]
    assert gov.published_shown == gov.published[:10]
    portal = articles_of(web, PORTAL)[0]
    assert portal.published_shown == portal.published
