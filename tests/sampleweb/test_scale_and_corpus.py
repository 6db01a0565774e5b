"""Scale mode and the bundled corpus: every page reachable, distinct, and counted."""

from __future__ import annotations

import pytest
from parsel import Selector
from swhttp import fetch

from tangguh.sampleweb.model import DEFAULT_CORPUS_DIR
from tangguh.sampleweb.server import SampleWeb


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_scale_listing_reaches_n_distinct_articles(web):
    links, url = [], web.url("scale.test", "/berita")
    while url:
        sel = Selector(text=fetch(url).text())
        links += sel.css("div.berita-list h3.judul a::attr(href)").getall()
        url = sel.css("ul.pagination a[rel=next]::attr(href)").get()
    truth = [r for r in web.manifest() if r.site == "scale.test"]
    assert len(links) == len(set(links)) == len(truth) == 45
    assert set(links) == {r.url for r in truth}
    texts = [shingles(r.text) for r in truth]
    worst = max(len(a & b) / len(a | b) for i, a in enumerate(texts) for b in texts[i + 1 :])
    assert worst < 0.5, worst
    page = Selector(text=fetch(links[0]).text())
    assert page.css("h1.judul-berita::text").get() == truth[0].title


def test_scale_is_served_lazily_for_large_n():
    web = SampleWeb(scale=100_000, corpus_dir=None if _has_corpus() else _fixture())
    with web:
        last = fetch(web.url("scale.test", "/berita?page=5000"))
        assert last.status == 200
        link = Selector(text=last.text()).css("h3.judul a::attr(href)").get()
        assert fetch(link).status == 200


def _has_corpus() -> bool:
    return any((DEFAULT_CORPUS_DIR / "blogs").glob("*.json"))


def _fixture():
    from conftest import FIXTURE_CORPUS

    return FIXTURE_CORPUS


@pytest.mark.skipif(not _has_corpus(), reason="bundled corpus not written yet")
def test_bundled_corpus_serves_the_issue_minimums():
    with SampleWeb() as web:
        manifest = web.manifest()
        counts = manifest.counts()
        assert counts.get("post", 0) + counts.get("article", 0) >= 60
        assert counts.get("comment", 0) >= 150
        kinds = {i.kind for i in web.sites if i.in_sources}
        assert kinds == {"blogger", "wordpress", "news"}
        assert sum(1 for i in web.sites if i.kind == "wordpress" and not i.rest_enabled) == 1
        groups = [r for r in manifest if r.syndicated_group]
        assert len({r.site for r in groups}) >= 3
        # the real contest entry is one Blogger post with its 15 comments
        entry = next(r for r in manifest if r.contest_entry == "E01")
        assert entry.platform == "blogger"
        assert len(manifest.comments_of(entry.url)) == 15
        page = fetch(entry.url)
        assert page.status == 200 and "Pantehalex" in page.text()
        replies = [r for r in manifest if r.kind == "comment" and r.reply_to]
        assert replies and any(r.kind == "comment" and r.deleted for r in manifest)
        assert any(r.kind == "comment" and r.author is None for r in manifest)


BODY_CSS = {
    "blogger": "div.post-body.entry-content ::text",
    "wordpress": "article.post div.entry-content ::text",
}


@pytest.mark.skipif(not _has_corpus(), reason="bundled corpus not written yet")
def test_every_bundled_document_body_renders_its_manifest_text():
    with SampleWeb() as web:
        checked = split = 0
        for record in web.manifest():
            if record.kind == "comment":
                continue
            site = web.site(record.site)
            charset = getattr(getattr(site, "news", None), "charset", "utf-8")
            sel = Selector(text=fetch(record.url).body.decode(charset))
            pages = [sel]
            if record.platform == "generic":
                css = site.selectors()["body"] + " ::text"
                # a long article is split over pages: its text is all of them, in order
                for a in sel.css("div.paging-artikel a"):
                    if a.css("::text").get().isdigit() and a.css("::text").get() != "1":
                        body = fetch(a.attrib["href"]).body.decode(charset)
                        pages.append(Selector(text=body))
                for page in pages:
                    for node in page.css(", ".join(site.selectors()["drop"])):
                        node.drop()
            else:
                css = BODY_CSS[record.platform]
            split += len(pages) > 1
            shown = " ".join(" ".join("".join(p.css(css).getall()) for p in pages).split())
            assert shown == " ".join(record.text.split()), record.url
            checked += 1
        assert split >= 2, "the sample web splits some long articles over pages"
        assert checked >= 60 and not web.errors
