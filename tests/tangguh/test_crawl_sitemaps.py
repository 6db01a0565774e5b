"""News sources started from sitemaps instead of listings, over real HTTP into SQLite.

The sample web's portal publishes a sitemap index of yearly sitemaps; the gov site one
sitemap that also lists its static pages and its listing, which ``url_pattern`` keeps out.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pipelines.canonical import canonical_url
from scrapers.sources import SourcesError, parse_sources
from store.db import open_database
from store.models import Document
from tangguh import crawl
from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow

GOV = "blitarkota.go.test"
PORTAL = "jatimkini.test"


def _sources(web, *, gov_pattern: str | None = r"/berita/[^/]+$") -> list:
    selectors = {h: web.site(h).selectors() for h in (GOV, PORTAL)}
    blocks = []
    for name, host, pattern in (("gov", GOV, gov_pattern), ("portal", PORTAL, None)):
        sel = selectors[host]
        lines = [
            "[[source]]",
            f'name = "{name}-sitemap"',
            'kind = "news"',
            f'start_urls = ["{web.url(host, "/sitemap.xml")}"]',
        ]
        if pattern:
            lines.append(f"url_pattern = '{pattern}'")
        lines.append("[source.selectors]")
        for key in ("title", "date", "author", "body"):
            lines.append(f'{key} = "{sel[key]}"')
        lines.append(f"drop = {list(sel['drop'])!r}".replace("'", '"'))
        blocks.append("\n".join(lines))
    return parse_sources("\n\n".join(blocks))


def _crawl(db, sources):
    return crawl.run(
        db,
        command="crawl",
        sources=sources,
        allow_private=True,
        extra_settings=crawl.LOOPBACK_SETTINGS,
    )


def _docs(db):
    with db.read() as s:
        return {d.url: d for d in s.scalars(select(Document))}


def test_sitemaps_find_every_article_and_only_articles(tmp_path):
    with SampleWeb() as web:
        want = {
            canonical_url(r.url, kind="article")
            for r in web.manifest()
            if r.kind == "article" and r.site in (GOV, PORTAL)
        }
        db = open_database(f"sqlite:///{tmp_path / 's.db'}")
        first = _crawl(db, _sources(web))
        assert first.stats["failed"] == 0 and first.status == "ok", first.stats
        docs = _docs(db)
        assert set(docs) == want  # no /profil, /kontak, listing or home page
        fetched = [u for m, u, _ in web.request_log if m == "GET"]
        assert web.url(PORTAL, "/sitemap-2020.xml") in fetched  # the index was followed
        assert not any("/berita?page=" in u or "/berita/page/" in u for u in fetched)

        # Nothing changed: only the sitemaps are asked for again.
        mark = len(web.request_log)
        second = _crawl(db, _sources(web))
        assert second.stats["new"] == 0 and second.stats["updated"] == 0
        again = [u for m, u, _ in web.request_log[mark:] if m == "GET"]
        assert all("sitemap" in u or u.endswith("/robots.txt") for u in again), again
        assert not web.errors


def test_without_url_pattern_the_sitemap_pages_come_too(tmp_path):
    """Why url_pattern exists: a CMS sitemap lists its static pages beside the articles."""
    with SampleWeb() as web:
        db = open_database(f"sqlite:///{tmp_path / 'p.db'}")
        _crawl(db, _sources(web, gov_pattern=None)[:1])
        paths = {u.split(GOV, 1)[-1].split("/", 1)[-1] for u in _docs(db)}
    assert "profil" in {p.rsplit("/", 1)[-1] for p in paths}


def test_a_bad_url_pattern_names_its_key_and_line():
    text = (
        '[[source]]\nname = "x"\nkind = "news"\nstart_urls = ["https://x.id/"]\nurl_pattern = "("\n'
    )
    with pytest.raises(SourcesError, match=r"url_pattern.*regular expression.*line 5"):
        parse_sources(text)


def test_an_html_sitemap_page_is_read_as_a_listing(tmp_path):
    """Government sites often have a "Peta Situs" page in HTML at /sitemap: its article
    links are followed as a listing's would be."""
    with SampleWeb() as web:
        sel = web.site(GOV).selectors()
        toml = "\n".join(
            [
                "[[source]]",
                'name = "gov-html"',
                'kind = "news"',
                f'start_urls = ["{web.url(GOV, "/peta-situs/sitemap")}"]',
                "url_pattern = '/berita/'",
                "[source.selectors]",
                'listing_links = "div.peta-situs a"',
                *(f'{k} = "{sel[k]}"' for k in ("title", "body")),
            ]
        )
        db = open_database(f"sqlite:///{tmp_path / 'h.db'}")
        _crawl(db, parse_sources(toml))
        want = {
            canonical_url(r.url, kind="article")
            for r in web.manifest()
            if r.kind == "article" and r.site == GOV
        }
    assert set(_docs(db)) == want
