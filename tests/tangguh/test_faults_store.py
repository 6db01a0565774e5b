"""The fault matrix end to end: every fault route fetched over HTTP into a real SQLite file.

Asserts on what was stored and counted (the spider-level view is in tests/scrapers).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from pipelines.canonical import canonical_url
from store import repo
from store.db import open_database
from store.models import Document
from tangguh import crawl
from tangguh.sampleweb import faults
from tangguh.sampleweb.server import SampleWeb

pytestmark = pytest.mark.slow

SETTINGS = {**crawl.LOOPBACK_SETTINGS, "DOWNLOAD_TIMEOUT": 10, "RETRY_TIMES": 2}


@pytest.fixture(scope="module")
def fault_store(tmp_path_factory):
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('faults') / 'f.db'}")
    with SampleWeb() as web:
        urls = [web.url("faults.test", path) for path, _ in faults.ROUTES]
        # allow_private stays off: the redirects to private addresses must be refused.
        summary = crawl.run(db, command="fetch", urls=urls, extra_settings=SETTINGS)
        with db.read() as s:
            docs = {urlsplit(d.url).path: d for d in s.scalars(select(Document))}
        yield web, db, summary, docs
    db.dispose()


FAILING = (
    "/status/500", "/status/503", "/status/429", "/status/404", "/status/410", "/status/403",
    "/drop", "/truncated", "/stall", "/redirect/loop", "/redirect/file",
    "/redirect/metadata", "/redirect/private", "/redirect/localhost", "/oversized",
    "/oversized/chunked", "/gzip-bomb", "/binary.pdf", "/binary", "/pdf-as-html", "/soft-block",
    "/empty", "/empty-html", "/malformed", "/empty-body", "/script-only", "/nav-5mb",
)  # fmt: skip
# Pages that were fetched and parsed but hold no text at all: named as such, nothing stored.
NO_TEXT = ("/empty-body", "/script-only", "/nav-5mb")


def test_the_run_survives_and_stores_only_real_articles(fault_store):
    web, _, summary, docs = fault_store
    assert summary.stats["pipeline"].get("failed", 0) == 0  # no write failed
    assert "/ok" in docs and "/flaky/503/2" in docs  # the flaky one after its retries
    for path in FAILING:
        assert path not in docs, f"{path} should not become a document"
    assert not [u for _, u, _ in web.request_log if "169.254" in u or "10.0.0.1" in u]


def test_every_url_that_gave_nothing_is_named_and_fails_the_run(fault_store):
    _, _, summary, _ = fault_store
    failed = {urlsplit(f["url"]).path: f for f in summary.stats["failed_urls"]}
    assert sorted(failed) == sorted(FAILING)
    assert all(f["message"] and f["reason"] for f in failed.values())
    assert failed["/redirect/private"]["reason"] == "private_address"
    for path in NO_TEXT:
        assert failed[path]["reason"] in ("no_text", "not_article"), failed[path]
    assert summary.status == "partial" and summary.exit_code == 3
    assert summary.stats["failed"] == len(FAILING) == summary.stats["urls"]["failed"]


def test_hostile_and_broken_content_is_stored_as_plain_text(fault_store):
    _, _, _, docs = fault_store
    xss = docs["/xss/article"]
    for field in (xss.title or "", xss.text):
        assert "<script" not in field.lower() and "onerror" not in field.lower()
    for path in ("/charset/wrong", "/charset/conflict", "/charset/bom", "/charset/none"):
        assert "\ufffd" not in docs[path].text, path
    assert docs["/nested"].text  # 20,000 nested divs: parsed, not fatal


def test_impossible_and_missing_dates_stay_null_with_the_raw_kept(fault_store):
    _, _, summary, docs = fault_store
    impossible = docs["/dates/impossible"]
    assert impossible.published_at is None
    assert impossible.published_raw == "Rabu, 31 Februari 2021"
    assert docs["/layout/missing-date"].published_at is None
    assert summary.stats["pipeline"]["dates/unparsed"] >= 1


def test_a_layout_change_that_moves_the_body_is_read_and_reported(fault_store):
    """The theme moved the post into a container we do not know: the general extractor
    reads it (stored, not lost) and the run summary counts it for the operator."""
    _, _, summary, docs = fault_store
    assert "Isi dipindah ke wadah baru" in docs["/layout/missing-body"].text
    assert summary.stats["body_fallbacks"] >= 1


def test_a_stored_page_that_disappears_is_flagged_gone_and_kept(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'g.db'}")
    with SampleWeb() as web:
        article = web.manifest().of_kind("article")[0]
        first = crawl.run(
            db, command="fetch", urls=[article.url], extra_settings=SETTINGS, allow_private=True
        )
        assert first.stats["new"] == 1
        web.remove_page(article.url, 410)
        second = crawl.run(
            db, command="fetch", urls=[article.url], extra_settings=SETTINGS, allow_private=True
        )
    assert second.stats["gone"] == 1
    with db.read() as s:
        doc = repo.get_document(s, canonical_url(article.url))
        assert doc.gone_at is not None and doc.text
