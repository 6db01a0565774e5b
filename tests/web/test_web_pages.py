"""The pages and the JSON API of `tangguh serve`, through Starlette's test client."""

from __future__ import annotations

import csv
import io
import json
import re

from typer.testing import CliRunner
from webcorpus import COPY_OF, ENCODER_DIM, HOSTILE, POST

from search.encoder import HashingEncoder


def test_api_search_is_exactly_the_cli_json(client, corpus, monkeypatch):
    import search.query

    db_url, _ = corpus
    monkeypatch.setattr(search.query, "default_encoder", lambda: HashingEncoder(ENCODER_DIM))
    from tangguh.cli import app

    for args, params in (
        (["lumbung pangan"], {"q": "lumbung pangan"}),
        (["posko", "--limit", "3", "--kind", "article", "--since", "2020-06"],
         {"q": "posko", "limit": "3", "kind": "article", "since": "2020-06"}),
        (["kampung", "--site", "berita1.example.id", "--until", "2020-09"],
         {"q": "kampung", "site": "berita1.example.id", "until": "2020-09"}),
    ):  # fmt: skip
        cli = CliRunner().invoke(app, ["--db", db_url, "search", *args, "--json"])
        assert cli.exit_code == 0, cli.output
        api = client.get("/api/search", params=params)
        assert api.status_code == 200
        assert api.headers["content-type"].startswith("application/json")
        assert api.text == cli.output
        assert json.loads(api.text)


def test_api_search_rejects_bad_input_with_a_message(client):
    for params in ({"q": "x", "since": "kemarin"}, {"q": "x", "limit": "abc"},
                   {"q": "x", "limit": "0"}, {"q": "x", "kind": "podcast"}):  # fmt: skip
        r = client.get("/api/search", params=params)
        assert r.status_code == 400 and "error" in r.json(), params
    assert client.get("/api/search", params={"q": "a" * 10_000}).status_code == 200
    assert client.get("/api/search", params={"q": '" OR NEAR(*'}).status_code == 200


def test_search_page_shows_one_hit_per_group_with_copies_and_marks(client):
    r = client.get("/search", params={"q": "posko diresmikan"})
    assert r.status_code == 200
    html = r.text
    assert html.count(COPY_OF) >= 1 and "portal.example.id/read/1/posko" not in html
    assert re.search(r"salinan: 2", html)
    assert "<mark>posko</mark>" in html.lower() or "<mark>Posko</mark>" in html
    assert 'action="/search"' in html and 'name="since"' in html


def test_paging_and_shareable_urls(client):
    first = client.get("/search", params={"q": "kampung tangguh"}).text
    assert 'rel="next"' in first
    nxt = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "q=kampung+tangguh" in nxt and "page=2" in nxt
    second = client.get(nxt).text
    hits = lambda html: re.findall(r'class="title" href="([^"]+)"', html)  # noqa: E731
    assert hits(second) and not set(hits(first)) & set(hits(second))
    assert '<ol class="hits" start="21">' in second


def test_filters_narrow_hits_and_bad_dates_are_explained(client):
    html = client.get("/search", params={"q": "lumbung", "kind": "comment"}).text
    kinds = re.findall(r'<span class="kind">([^<]+)</span>', html)
    assert kinds and set(kinds) == {"komentar"}
    html = client.get("/search", params={"q": "lumbung", "platform": "wordpress"}).text
    assert re.findall(r'<span class="site">([^<]+)</span>', html) == ["jahat.example.id"]
    bad = client.get("/search", params={"q": "lumbung", "since": "31 Februari"})
    assert bad.status_code == 200 and 'class="error"' in bad.text


def test_timeline_counts_the_result_set_and_bars_narrow_the_dates(client):
    data = client.get("/api/timeline", params={"q": "berita", "interval": "month"}).json()
    assert data["interval"] == "month" and data["buckets"]
    assert sum(b["total"] for b in data["buckets"]) + data["undated"] == data["total"]
    html = client.get("/search", params={"q": "berita", "interval": "month"}).text
    bars = re.findall(r'<a href="([^"]+)" class="bar"', html)
    assert bars and len(bars) == len(data["buckets"])
    link = bars[0].replace("&amp;", "&")
    assert "since=2020-06" in link and "until=2020-06" in link and "q=berita" in link
    assert "<title>2020-06-01 – 2020-06-30:" in html
    assert '<details class="numbers">' in html
    by_site = client.get("/timeline", params={"q": "berita", "stack": "site"})
    assert by_site.status_code == 200 and "berita0.example.id" in by_site.text


def test_exports_hold_every_hit_with_provenance(client):
    count = client.get("/api/timeline", params={"q": "kampung"}).json()["total"]
    r = client.get("/export.csv", params={"q": "kampung"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == count == int(r.headers["x-tangguh-hits"]) > 20  # more than a page
    assert [int(x["rank"]) for x in rows] == list(range(1, count + 1))
    for key in ("url", "site", "fetched_at", "duplicate_group", "field_sources", "copies"):
        assert key in rows[0]
    lines = client.get("/export.jsonl", params={"q": "kampung"}).text.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["url"] for r in records] == [r["url"] for r in rows]
    assert all(r["fetched_at"] and r["site"] for r in records)


def test_document_page_has_thread_provenance_and_group(client):
    html = client.get("/doc", params={"url": POST}).text
    assert "Lumbung pangan RW 05" in html and "Rina" in html
    assert "2020-06-15T10:21:00+07:00" in html
    nested = re.search(r'<ol class="thread">.*?<ol class="thread">.*?balasan', html, re.S)
    assert nested, "the reply is not nested under the comment it answers"
    copy = client.get("/doc", params={"url": COPY_OF}).text
    assert "Posko diresmikan (salinan)" in copy and "asli (terbit paling awal)" in copy
    api = client.get("/api/doc", params={"url": POST}).json()
    assert api["url"] == POST and api["kind"] == "post" and "field_sources" in api
    assert client.get("/doc", params={"url": "https://nowhere.example/"}).status_code == 404
    assert client.get("/api/doc", params={"url": "https://nowhere.example/"}).status_code == 404


def test_hostile_fields_render_as_text(client):
    for path in ("/doc", "/search"):
        params = {"url": HOSTILE} if path == "/doc" else {"q": "serangan lumbung"}
        html = client.get(path, params=params).text
        assert "<script>window" not in html and "onerror=window" not in html.replace("&", "")
        assert 'href="javascript:' not in html
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts == ['<script src="/static/app.js" defer>'], scripts


def test_judging_pages(client):
    listing = client.get("/judging").text
    assert "Lomba &lt;b&gt;Uji&lt;/b&gt;" in listing
    cid = re.search(r'href="/judging/(\d+)"', listing).group(1)
    page = client.get(f"/judging/{cid}").text
    assert page.count('<tr class="') == 3 and "<details>" in page
    assert "setelah batas" in page and "diubah setelah batas waktu" in page
    failed = client.get(f"/judging/{cid}", params={"eligible": "0"}).text
    assert failed.count('<tr class="') == 1
    assert client.get(f"/judging/{cid}", params={"rule": "window"}).text.count('<tr class="') == 1
    assert client.get(f"/judging/{cid}", params={"flagged": "1"}).text.count('<tr class="') == 1
    blind = client.get(f"/judging/{cid}/blind").text
    assert "Teks tanpa identitas" in blind and "a.example.id" not in blind
    assert "Peserta 2" not in blind and "p2@mail.test" not in blind
    report = client.get(f"/judging/{cid}/report.csv")
    assert report.status_code == 200 and report.content.startswith(b"Baris")
    assert client.get(f"/judging/{cid}/report.xlsx").status_code == 404  # none stored
    assert client.get("/judging/999").status_code == 404


def test_ops_page_shows_runs_and_doctor(client):
    html = client.get("/ops").text
    assert "import" in html and "search index" in html and "orphan comments" in html


def test_languages(client):
    assert '<html lang="id">' in client.get("/search").text
    en = client.get("/search", params={"lang": "en"}).text
    assert '<html lang="en">' in en and "lang=en" in en  # links keep the choice
    browser = client.get("/search", headers={"Accept-Language": "en-GB,en;q=0.9,id;q=0.5"})
    assert '<html lang="en">' in browser.text
    assert '<html lang="id">' in client.get("/", headers={"Accept-Language": "id,en;q=0.8"}).text
