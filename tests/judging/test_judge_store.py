"""Originality against the stored corpus, and snapshots kept in the store, via `judge run --db`."""

import hashlib
import json
import shutil

from judging_helpers import EXAMPLE_CONTEST, TRIBRATA_LINK, FakeFetcher, fetched
from typer.testing import CliRunner

from scrapers.items import DocumentItem
from store import repo
from store.db import open_database
from tangguh.judging import commands

RELEASE_URL = "https://blitarkota.go.test/berita/peluncuran-kampung-tangguh-semeru"
RELEASE = (
    "Wali Kota Blitar Santoso meluncurkan Kampung Tangguh Semeru pertama di Perumahan "
    "Tanjungsari Regency, Selasa (26/5/2020). Kampung tangguh dibangun di tingkat RW dengan tiga "
    "pilar: kesehatan, ekonomi melalui lumbung pangan dan jimpitan, serta keamanan sosial. "
    "Setiap RW menyiapkan ruang isolasi, dapur umum dan posko yang dijaga bersama Babinsa dan "
    "Bhabinkamtibmas. Kapolres Blitar Kota AKBP Leonard M. Sinambela menyebut sepuluh kampung "
    "tangguh direncanakan di wilayah hukumnya, empat di kota dan enam di kabupaten. Warga diminta "
    "tetap memakai masker, mencuci tangan dan menjaga jarak, serta melapor kepada satgas RT "
    "apabila ada pendatang dari luar kota. "
)
COPY = "https://penyalin.blogspot.com/2020/06/rilis.html"


def _store(url):
    db = open_database(url)
    item = DocumentItem(url=RELEASE_URL, kind="article", text=RELEASE * 4, platform="generic",
                        title="Peluncuran Kampung Tangguh Semeru")  # fmt: skip
    item.content_hash = hashlib.sha256(item.text.encode()).hexdigest()
    with db.write() as session:
        repo.upsert_document(session, item)
    return db


def test_run_compares_with_stored_documents_and_keeps_snapshots(tmp_path, monkeypatch):
    db_url = f"sqlite:///{tmp_path / 'tangguh.db'}"
    db = _store(db_url)
    body = (
        f"<div>{RELEASE * 4}</div><div>#KampungTangguhSemeru</div><img src='/a.jpg'>{TRIBRATA_LINK}"
    )
    fake = FakeFetcher({COPY: fetched(COPY, body)})
    monkeypatch.setattr(commands, "make_fetcher", lambda allow_private: fake)
    contest = tmp_path / "lomba.toml"
    shutil.copy(EXAMPLE_CONTEST, contest)
    form = tmp_path / "entri.csv"
    form.write_text(f"Nama,Email,URL\nPenyalin,p@mail.test,{COPY}\n", encoding="utf-8")
    result = CliRunner().invoke(
        commands.app, ["run", str(contest), "--entries", str(form), "--db", db_url]
    )
    assert result.exit_code == 0, result.output
    assert "korpus: 1 dokumen; 1 snapshot disimpan" in result.output
    record = json.loads((tmp_path / "lomba-judging" / "report.json").read_text("utf-8"))[0]
    assert record["fails"] == ["max_similarity"]
    similar = record["checks"]["max_similarity"]
    assert similar["most_similar_document"]["url"] == RELEASE_URL
    assert similar["most_similar_document"]["score"] > 0.9
    with db.read() as session:
        stored = repo.load_snapshot(session, record["snapshot"]["sha256"])
    assert stored is not None and stored.decode("utf-8") == fake.entries[COPY].body_html
