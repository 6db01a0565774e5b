import socket

import pytest

from tangguh.judging.fetch import FetchedEntry, SnapshotFetcher, address_refusal
from tangguh.judging.scrapy_items import entries_from_records


def resolver(address):
    def resolve(host, port):
        return [(socket.AF_INET6 if ":" in address else socket.AF_INET, 1, 6, "", (address, port))]

    return resolve


def no_dns(host, port):
    raise socket.gaierror(-2, "Name or service not known")


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "192.168.1.10", "169.254.169.254", "100.64.0.1", "0.0.0.0",
     "::1", "fd00:ec2::254", "::ffff:127.0.0.1", "224.0.0.1"],
)  # fmt: skip
def test_private_loopback_and_metadata_addresses_are_refused(address):
    reason = address_refusal("https://blog.example.id/2020/06/a.html", allow_private=False,
                             resolve=resolver(address))  # fmt: skip
    assert reason and "ditolak" in reason and address in reason
    assert (
        address_refusal("https://blog.example.id/a", allow_private=True, resolve=resolver(address))
        is None
    )


def test_public_address_dns_failure_and_test_hosts():
    assert (
        address_refusal(
            "https://blog.example.id/a", allow_private=False, resolve=resolver("8.8.8.8")
        )
        is None
    )
    assert "DNS gagal" in address_refusal(
        "https://nope.invalid/a", allow_private=False, resolve=no_dns
    )
    # sample-web hosts map to loopback only with --allow-private, as the sample web's resolver does
    assert (
        address_refusal("http://semeru.blogspot.test:8080/a", allow_private=True, resolve=no_dns)
        is None
    )
    assert "--allow-private" in address_refusal(
        "http://semeru.blogspot.test/a", allow_private=False, resolve=no_dns
    )
    assert address_refusal("file:///etc/passwd", allow_private=True)


POST = "https://susi.blogspot.com/2020/06/a.html"


def test_items_are_matched_to_entry_urls_through_canonical_keys_and_redirects():
    asked_mobile = POST + "?m=1"
    asked_moved = "http://lama.blogspot.com/2020/06/b.html"
    moved_to = "https://baru.example.id/2020/06/b.html"
    records = [
        {"type": "response", "url": asked_mobile, "final_url": asked_mobile, "status": 200},
        {"type": "response", "url": asked_moved, "final_url": moved_to, "status": 200},
        {"type": "item", "item": {"url": POST, "kind": "post", "platform": "blogger",
                                  "body_html": "<p>Halo Kampung Tangguh Semeru</p>",
                                  "published_raw": "2020-06-25T10:15:00+07:00",
                                  "updated_raw": "2020-07-02T08:00:00+07:00",
                                  "fetched_at": "2020-07-01T02:00:00+00:00"}},
        {"type": "item", "item": {"url": POST + "?showComment=1593050000000#c1", "kind": "comment",
                                  "parent_url": POST, "text": "Terima kasih infonya"}},
        {"type": "item", "item": {"url": moved_to, "kind": "post", "platform": "generic",
                                  "body_html": "<p>b</p>", "published_raw": None}},
    ]  # fmt: skip
    got = entries_from_records([asked_mobile, asked_moved], records)
    first = got[asked_mobile]
    assert first.reachable and first.text == "Halo Kampung Tangguh Semeru"
    assert first.published.isoformat() == "2020-06-25T10:15:00+07:00"
    assert first.updated.isoformat() == "2020-07-02T08:00:00+07:00"
    assert [c["text"] for c in first.comments] == ["Terima kasih infonya"]
    assert first.snapshot_sha256 and len(first.snapshot_sha256) == 64
    assert got[asked_moved].final_url == moved_to and got[asked_moved].reachable


def test_unreachable_outcomes_are_explained():
    urls = ["https://a.blogspot.com/x.html", "https://b.blogspot.com/x.html",
            "https://c.blogspot.com/x.html", "https://d.blogspot.com/x.html",
            "https://e.blogspot.com/x.html"]  # fmt: skip
    records = [
        {"type": "response", "url": urls[0], "final_url": urls[0], "status": 404},
        {"type": "error", "url": urls[1], "final_url": urls[1], "error_type": "DNSLookupError", "error": "no"},
        {"type": "error", "url": urls[2], "final_url": urls[2], "error_type": "TimeoutError", "error": "t"},
        {"type": "response", "url": urls[3], "final_url": "https://www.blogger.com/blogin.g?blogspotURL=x", "status": 200},
    ]  # fmt: skip
    got = entries_from_records(urls, records)
    assert got[urls[0]].error == "tidak ditemukan (HTTP 404)" and not got[urls[0]].reachable
    assert got[urls[1]].error.startswith("DNS gagal")
    assert got[urls[2]].error == "batas waktu habis"
    assert "privat" in got[urls[3]].error
    assert got[urls[4]].error  # nothing recorded at all
    assert not any(e.reachable for e in got.values())


def test_snapshot_round_trip(tmp_path):
    entry = FetchedEntry(url=POST, final_url=POST, status=200, body_html="<p>a b</p>", text="a b")
    (tmp_path / "snapshots").mkdir()
    import json

    (tmp_path / "snapshots" / "baris-0002.json").write_text(
        json.dumps(entry.to_dict()), encoding="utf-8"
    )
    got = SnapshotFetcher(tmp_path).fetch([POST, "https://lain.blogspot.com/x.html"])
    assert got[POST].text == "a b" and got[POST].fetched_at == entry.fetched_at
    assert not got["https://lain.blogspot.com/x.html"].reachable


def test_guard_refusals_during_the_crawl_are_explained():
    url = "https://mengalih.example.id/a.html"
    records = [
        {"type": "error", "url": url, "final_url": "http://169.254.169.254/latest",
         "error_type": "IgnoreRequest",
         "error": "refused non-public address 169.254.169.254 for http://169.254.169.254/latest"},
    ]  # fmt: skip
    got = entries_from_records([url], records)[url]
    assert "alamat privat/lokal ditolak" in got.error and not got.reachable
