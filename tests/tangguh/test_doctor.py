"""`tangguh doctor`: the database and the search index checked against each other."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from search.encoder import HashingEncoder
from search.index import update_index
from store.db import open_database
from tangguh.cli import app
from tangguh.cmd_search import index_docs
from tangguh.paths import index_dir_for

runner = CliRunner(env={"COLUMNS": "250"})  # one table row per line

DOCS = [
    {"url": f"https://kominfo.example.go.id/berita/{i}", "kind": "article", "title": f"Berita {i}",
     "text": f"Kampung Tangguh nomor {i} di Kota Blitar menyiapkan lumbung pangan warga."}
    for i in range(3)
]  # fmt: skip


def _import(db: str, tmp_path, records, name="in.jsonl") -> int:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return runner.invoke(app, ["--db", db, "import", str(path)]).exit_code


def test_doctor_finds_an_index_out_of_step_and_orphan_comments(tmp_path):
    db = f"sqlite:///{tmp_path / 'd.db'}"
    assert _import(db, tmp_path, DOCS) == 0
    result = runner.invoke(app, ["--db", db, "doctor"])
    assert result.exit_code == 0, result.output
    assert "no index yet" in result.output

    database = open_database(db)
    update_index(index_docs(database), index_dir_for(db), encoder=HashingEncoder(), progress=False)
    result = runner.invoke(app, ["--db", db, "doctor"])
    assert result.exit_code == 0, result.output
    assert "3 documents indexed; 0 missing, 0 out of date" in " ".join(result.output.split())

    changed = dict(DOCS[0], text="Teks yang diperbarui tentang posko Kampung Tangguh.")
    new = dict(DOCS[0], url="https://kominfo.example.go.id/berita/baru")
    orphan = {
        "url": "https://blog.example/2020/06/p.html#c1", "kind": "comment",
        "parent_url": "https://blog.example/2020/06/p.html", "text": "Mantap, lanjutkan!",
    }  # fmt: skip
    assert _import(db, tmp_path, [changed, new, orphan], "more.jsonl") == 0
    result = runner.invoke(app, ["--db", db, "doctor"])
    assert result.exit_code == 7, result.output
    out = " ".join(result.output.split())
    assert "2 missing, 1 out of date" in out
    assert "1 comment(s) whose post is not stored" in out
    assert "tangguh index" in out
