"""An entry is what its own request chain produced; each failure is said; snapshots resume."""

import json

from scrapers.items import DocumentItem
from scrapers.middlewares.ssrf import RefusedAddress
from scrapers.outcomes import Outcomes, UrlOutcome
from tangguh.judging.fetch import FetchedEntry, SnapshotFetcher
from tangguh.judging.journal import FetchJournal, kept_entries, load_snapshots
from tangguh.judging.scrapy_items import entry_from_outcome

POST = "https://susi.blogspot.com/2020/06/a.html"


def judged(outcome: UrlOutcome) -> FetchedEntry:
    """The entry as the fetch worker makes it when the outcome's chain has finished."""
    made = []
    Outcomes(on_done=lambda o: made.append(entry_from_outcome(o)), keep_items=True).finish(outcome)
    return made[0]


def test_the_post_of_the_entrys_own_request_is_judged_whatever_address_it_names():
    """A custom domain whose page still names the blogspot address: the post is the entry's,
    and the other host is kept for the committee instead of failing the entry."""
    asked = "https://www.susi.id/2020/06/a.html"
    post = DocumentItem(
        url=POST,  # what the page calls itself
        kind="post",
        platform="blogger",
        body_html="<p>Halo Kampung Tangguh Semeru</p>",
        text="Halo Kampung Tangguh Semeru",
        published_raw="2020-06-25T10:15:00+07:00",
        updated_raw="2020-07-02T08:00:00+07:00",
    )
    comment = DocumentItem(
        url=POST + "?showComment=1593050000000#c1",
        kind="comment",
        parent_url=POST,
        text="Terima kasih infonya",
    )
    outcome = UrlOutcome(
        url=asked,
        final_url=asked,
        status=200,
        declared={"canonical": POST, "og:url": POST},
        documents=1,
        comments=1,
        items=[comment, post],
    )
    entry = judged(outcome)
    assert entry.reachable and entry.text == "Halo Kampung Tangguh Semeru"
    assert entry.url == asked and entry.final_url == asked
    assert entry.published.isoformat() == "2020-06-25T10:15:00+07:00"
    assert entry.updated.isoformat() == "2020-07-02T08:00:00+07:00"
    assert [c["text"] for c in entry.comments] == ["Terima kasih infonya"]
    assert entry.declared == {"canonical": POST, "og:url": POST}
    assert entry.snapshot_sha256 and len(entry.snapshot_sha256) == 64
    json.dumps(entry.to_dict())  # the snapshot is plain JSON


def test_same_host_and_www_are_not_another_host():
    outcome = UrlOutcome(
        url="https://susi.blogspot.com/a.html",
        final_url="https://susi.blogspot.com/a.html",
        status=200,
        declared={"canonical": "https://www.susi.blogspot.com/a.html"},
    )
    assert outcome.declared_elsewhere == {}


def test_each_failure_is_said_in_indonesian():
    cases = [
        (UrlOutcome(url=POST, final_url=POST, status=404), "tidak ditemukan (HTTP 404)"),
        (UrlOutcome(url=POST, final_url=POST, status=503), "galat server (HTTP 503)"),
        (UrlOutcome(url=POST, error=RefusedAddress("10.0.0.1", "10.0.0.1", POST)), "--allow"),
        (UrlOutcome(url=POST, final_url=POST, status=200, skipped="block_page"), "cek bot"),
        (UrlOutcome(url=POST, final_url=POST, status=200), "tidak ada postingan yang dikenali"),
        (
            UrlOutcome(url=POST, final_url=POST, status=200, documents=1, empty_documents=1),
            "tidak ada teks",
        ),
        (
            UrlOutcome(url=POST, final_url="https://www.blogger.com/blogin.g?b=x", status=200),
            "blog privat",
        ),
    ]
    for outcome, words in cases:
        entry = judged(outcome)
        assert not entry.reachable and words in entry.error, (outcome.reason, entry.error)


def test_snapshot_round_trip(tmp_path):
    entry = FetchedEntry(url=POST, final_url=POST, status=200, body_html="<p>a b</p>", text="a b")
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "baris-0002.json").write_text(
        json.dumps(entry.to_dict()), encoding="utf-8"
    )
    got = SnapshotFetcher(tmp_path).fetch([POST, "https://lain.blogspot.com/x.html"])
    assert got[POST].text == "a b" and got[POST].fetched_at == entry.fetched_at
    assert not got["https://lain.blogspot.com/x.html"].reachable


def test_the_journal_keeps_fetched_entries_and_skips_a_torn_line(tmp_path):
    ok = FetchedEntry(url=POST, final_url=POST, status=200, body_html="<p>a b</p>", text="a b")
    gone = FetchedEntry(url="https://b.blogspot.com/x.html", status=404, error="tidak ditemukan")
    journal = FetchJournal(tmp_path)
    journal.append(ok)
    journal.append(gone)
    with journal.path.open("a", encoding="utf-8") as fh:
        fh.write('{"url": "https://c.blogspot.com/x.html", "body_ht')  # killed mid-write
    assert set(load_snapshots(tmp_path)) == {POST, gone.url}
    urls = [POST, gone.url, "https://c.blogspot.com/x.html"]
    # Only what was fetched successfully is kept: a failure is tried again next run.
    assert set(kept_entries(urls, tmp_path)) == {POST}
    assert kept_entries(urls, tmp_path, refetch=True) == {} and not journal.path.exists()
