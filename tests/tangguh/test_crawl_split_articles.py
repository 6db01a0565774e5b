"""Long articles split over pages: one document with all of its text, over real HTTP.

The sample web splits long articles as Indonesian portals do (``tangguh.sampleweb.news``):
the ``portal`` site at ``?page=2`` with a "Tampilkan semua" (``?page=all``) link, the
``gov`` site at ``/berita/<slug>/2`` with numbered links only.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pipelines.canonical import canonical_url
from scrapers.sources import parse_sources
from store.db import open_database
from store.models import Document
from tangguh import crawl
from tangguh.sampleweb.news import PART_SIZE, SPLIT_FROM
from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow


def _flat(text: str) -> str:
    return " ".join(text.split())


def _articles(web):
    """(record, style, split) for every news article of the sample web."""
    out = []
    for rec in web.manifest():
        if rec.kind != "article":
            continue
        style = web.site(rec.site).news.style
        out.append((rec, style, len(rec.text.split("\n\n")) >= SPLIT_FROM[style]))
    return out


def _story(text: str) -> list[str]:
    """The paragraphs an extractor must keep: not the "Baca juga" lines some bodies hold."""
    paras = [_flat(p) for p in text.split("\n\n")]
    return [p for p in paras if p and not p.lower().startswith("baca juga")]


def _crawl_news(db, web, **settings):
    """`tangguh crawl` of the sample web's news sources, over loopback."""
    sources = [s for s in parse_sources(web.sources_toml()) if s.kind == "news"]
    return crawl.run(
        db,
        command="crawl",
        sources=sources,
        allow_private=True,
        extra_settings={**crawl.LOOPBACK_SETTINGS, **settings},
    )


def _docs(db):
    with db.read() as s:
        return {d.url: d for d in s.scalars(select(Document))}


def test_split_articles_are_stored_whole_once(tmp_path):
    with SampleWeb() as web:
        articles = _articles(web)
        split = [(rec, style) for rec, style, is_split in articles if is_split]
        assert {style for _rec, style in split} == {"gov", "portal"}
        db = open_database(f"sqlite:///{tmp_path / 'split.db'}")
        mark = len(web.request_log)
        run = _crawl_news(db, web)
        fetched = [u for m, u, _s in web.request_log[mark:] if m == "GET"]
        assert run.stats["failed"] == 0
        docs = _docs(db)
        # one document per article, none for its later pages, each with its whole text
        assert set(docs) == {canonical_url(rec.url, kind="article") for rec, _s, _x in articles}
        for rec, _style, _split in articles:
            stored = _flat(docs[canonical_url(rec.url, kind="article")].text)
            for para in _story(rec.text):
                assert para in stored, (rec.url, para[:60])
        for rec, style in split:
            if style == "portal":  # the view-all page, not page by page
                assert f"{rec.url}?page=all" in fetched
                assert f"{rec.url}?page=2" not in fetched
            else:
                assert f"{rec.url}/2" in fetched
            doc = docs[canonical_url(rec.url, kind="article")]
            assert doc.snapshot_sha256 and doc.title == rec.title

        # Nothing changed: page 1 answers 304 and the later pages are not asked for again.
        mark = len(web.request_log)
        again = _crawl_news(db, web, TANGGUH_REVALIDATE_KNOWN=True)
        assert again.stats["new"] == 0 and again.stats["updated"] == 0, again.stats
        later = [u for m, u, _s in web.request_log[mark:] if m == "GET"]
        parts = {f"{rec.url}/2" for rec, _s in split} | {f"{rec.url}?page=all" for rec, _s in split}
        assert not parts & set(later), parts & set(later)
        assert not web.errors


def test_a_failing_later_page_keeps_the_first_pages_text(tmp_path):
    with SampleWeb() as web:
        rec = next(r for r, style, split in _articles(web) if split and style == "gov")
        web.remove_page(f"{rec.url}/2", status=500)
        db = open_database(f"sqlite:///{tmp_path / 'part.db'}")
        _crawl_news(db, web, RETRY_TIMES=0)
        doc = _docs(db)[canonical_url(rec.url, kind="article")]
    paras = rec.text.split("\n\n")
    stored = _flat(doc.text)
    assert all(_flat(p) in stored for p in paras[:PART_SIZE])
    assert not any(_flat(p) in stored for p in paras[PART_SIZE:])


def test_fetch_of_a_split_article_follows_its_pages(tmp_path):
    with SampleWeb() as web:
        rec, _style, _split = next(a for a in _articles(web) if a[2] and a[1] == "portal")
        db = open_database(f"sqlite:///{tmp_path / 'fetch.db'}")
        crawl.run(
            db,
            command="fetch",
            urls=[rec.url],
            allow_private=True,
            extra_settings=crawl.LOOPBACK_SETTINGS,
        )
        doc = _docs(db)[canonical_url(rec.url, kind="article")]
    assert all(p in _flat(doc.text) for p in _story(rec.text))


def test_a_failing_view_all_page_falls_back_to_page_by_page(tmp_path):
    with SampleWeb() as web:
        rec = next(r for r, style, split in _articles(web) if split and style == "portal")
        web.remove_page(f"{rec.url}?page=all", status=500)
        db = open_database(f"sqlite:///{tmp_path / 'all.db'}")
        mark = len(web.request_log)
        _crawl_news(db, web, RETRY_TIMES=0)
        fetched = [(u, s) for m, u, s in web.request_log[mark:] if m == "GET"]
        doc = _docs(db)[canonical_url(rec.url, kind="article")]
    assert (f"{rec.url}?page=all", 500) in fetched and (f"{rec.url}?page=2", 200) in fetched
    assert all(p in _flat(doc.text) for p in _story(rec.text))
