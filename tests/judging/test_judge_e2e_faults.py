"""Unreachable and broken entries over real HTTP: reported as such, never stopping the run."""

from __future__ import annotations

import pytest
from judging_helpers import entry

from tangguh.judging.fetch import ScrapyEntryFetcher
from tangguh.judging.rules import judge

pytestmark = pytest.mark.slow

EXPECTED = {
    "/status/500": "galat server (HTTP 500)",
    "/status/404": "tidak ditemukan (HTTP 404)",
    "/drop": "unduhan gagal",
    "/redirect/loop": "pengalihan berputar",
    "/soft-block": "halaman cek bot/blokir",
}


@pytest.fixture(scope="module")
def verdicts():
    server = pytest.importorskip("tangguh.sampleweb.server")
    pytest.importorskip("scrapers.runner")
    from judging_helpers import EXAMPLE_CONTEST

    from tangguh.judging.contest import load_contest

    paths = ["/ok", "/redirect/chain/3", "/dates/impossible", "/layout/missing-body", *EXPECTED]
    with server.SampleWeb() as web:
        urls = {p: web.url("faults.test", p) for p in paths}
        got = ScrapyEntryFetcher(allow_private=True).fetch(list(urls.values()))
    contest = load_contest(EXAMPLE_CONTEST)
    entries = [entry(i + 2, u) for i, u in enumerate(urls.values())]
    return {p: v for p, v in zip(paths, judge(contest, entries, got), strict=True)}


def test_each_failure_has_its_reason(verdicts):
    for path, reason in EXPECTED.items():
        v = verdicts[path]
        assert v.fails == ["reachable"], path
        assert reason in v.checks["reachable"].evidence, (path, v.checks["reachable"].evidence)


def test_redirected_and_text_only_pages_are_still_judged(verdicts):
    ok, moved = verdicts["/ok"], verdicts["/redirect/chain/3"]
    assert ok.checks["reachable"].passed and moved.checks["reachable"].passed
    assert moved.fetched.final_url == ok.fetched.final_url
    assert moved.word_count == ok.word_count > 0
    # a generic page gave text only: links and images are left to the committee
    assert ok.checks["required_links"].passed is None
    assert "cek manual" in ok.checks["min_images"].evidence and "manual_check" in ok.flags


def test_impossible_date_is_not_guessed(verdicts):
    window = verdicts["/dates/impossible"].checks["window"]
    assert window.passed is False and "tanggal terbit tidak ditemukan" in window.evidence


def test_a_blogger_theme_that_moved_its_body_is_judged_on_the_text_found(verdicts):
    """No div.post-body: the general extractor reads the post, and what needs the post's own
    HTML (links, images) is left to the committee, flagged, instead of failing the entry."""
    v = verdicts["/layout/missing-body"]
    assert v.checks["reachable"].passed, v.checks["reachable"].evidence
    assert "Isi dipindah ke wadah baru" in v.fetched.body_html
    assert v.word_count > 0 and "manual_check" in v.flags
    assert v.checks["required_links"].passed is None
