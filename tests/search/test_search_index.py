import dataclasses
import json
import sqlite3

import numpy as np
import pytest
from search_fixtures import make_doc

from search import dense
from search.encoder import HashingEncoder
from search.index import DB_NAME, ModelMismatchError, update_index
from search.query import Searcher


class CountingEncoder(HashingEncoder):
    """Counts how many passages were embedded, to prove incrementality."""

    def __init__(self) -> None:
        super().__init__(128)
        self.embedded = 0

    def encode_documents(self, texts):
        self.embedded += len(texts)
        return super().encode_documents(texts)


def _chunk_count(index_dir) -> int:
    with sqlite3.connect(index_dir / DB_NAME) as conn:
        return conn.execute("SELECT count(*) FROM chunks").fetchone()[0]


def test_first_build_indexes_everything(corpus, index_dir, encoder):
    stats = update_index(corpus, index_dir, encoder=encoder, progress=False)
    assert (stats.docs_added, stats.docs_total) == (4, 4)
    assert stats.chunks_total == stats.chunks_embedded == _chunk_count(index_dir) == 4
    assert stats.model == encoder.name
    assert "4 added" in str(stats) and "4 passages indexed" in str(stats)
    files = json.loads((index_dir / dense.STATE).read_text())["files"]
    assert (index_dir / files["vectors"]).exists()


def test_second_run_embeds_nothing(corpus, index_dir):
    enc = CountingEncoder()
    update_index(corpus, index_dir, encoder=enc, progress=False)
    first = enc.embedded
    stats = update_index(corpus, index_dir, encoder=enc, progress=False)
    assert enc.embedded == first
    assert (stats.docs_unchanged, stats.docs_added, stats.docs_updated) == (4, 0, 0)


def test_changed_document_is_re_embedded_and_old_passages_go(corpus, index_dir):
    enc = CountingEncoder()
    update_index(corpus, index_dir, encoder=enc, progress=False)
    before = enc.embedded
    changed = dataclasses.replace(
        corpus[2], text="Panduan karantina mandiri di rumah.", title="Panduan", content_hash="new"
    )
    stats = update_index([*corpus[:2], changed, corpus[3]], index_dir, encoder=enc, progress=False)
    assert stats.docs_updated == 1
    assert enc.embedded == before + 1
    with Searcher(index_dir, enc) as s:
        assert [h.url for h in s.search("nasi goreng", mode="lexical")] == []
        assert s.search("karantina", mode="lexical")[0].url == corpus[2].url


def test_metadata_change_is_applied_without_embedding(corpus, index_dir):
    enc = CountingEncoder()
    update_index(corpus, index_dir, encoder=enc, progress=False)
    before = enc.embedded
    moved = dataclasses.replace(corpus[1], published_at="2021-03-01", site="kominfo.go.id")
    update_index([corpus[0], moved, *corpus[2:]], index_dir, encoder=enc, progress=False)
    assert enc.embedded == before
    with Searcher(index_dir, enc) as s:
        hits = s.search("posko kesehatan", since="2021", site="kominfo.go.id")
        assert [h.url for h in hits] == [moved.url]


def test_documents_missing_from_the_full_set_are_removed(corpus, index_dir, encoder):
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    stats = update_index(corpus[:2], index_dir, encoder=encoder, progress=False)
    assert stats.docs_removed == 2
    assert _chunk_count(index_dir) == 2
    with Searcher(index_dir, encoder) as s:
        assert all(h.url != corpus[2].url for h in s.search("nasi goreng"))
        assert len(s.dense) == 2


def test_prune_false_keeps_other_documents(corpus, index_dir, encoder):
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    stats = update_index(corpus[:1], index_dir, encoder=encoder, progress=False, prune=False)
    assert stats.docs_removed == 0
    assert _chunk_count(index_dir) == 4


def test_rebuild_starts_over(corpus, index_dir):
    enc = CountingEncoder()
    update_index(corpus, index_dir, encoder=enc, progress=False)
    stats = update_index(corpus, index_dir, encoder=enc, progress=False, rebuild=True)
    assert stats.docs_added == 4
    assert enc.embedded == 8


def test_other_model_asks_for_a_rebuild(corpus, index_dir, encoder):
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    other = HashingEncoder(64)
    with pytest.raises(ModelMismatchError, match="rebuild"):
        update_index(corpus, index_dir, encoder=other, progress=False)
    with pytest.raises(ModelMismatchError):
        Searcher(index_dir, other)
    assert update_index(corpus, index_dir, encoder=other, progress=False, rebuild=True).docs_added


def test_stale_vector_cache_falls_back_to_sqlite(corpus, index_dir, encoder):
    """A crash between the SQLite commit and the cache export must not give wrong results."""
    update_index(corpus[:2], index_dir, encoder=encoder, progress=False)
    stale = json.loads((index_dir / dense.STATE).read_text())
    saved = {n: (index_dir / n).read_bytes() for n in stale["files"].values()}
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    for name, blob in saved.items():  # put back the old caches, as if the export never ran
        (index_dir / name).write_bytes(blob)
    (index_dir / dense.STATE).write_text(json.dumps(stale))
    with Searcher(index_dir, encoder) as s:
        assert len(s.dense) == 4
        assert s.search("nasi goreng", mode="dense")[0].url == corpus[2].url


def test_duplicate_ids_in_input_are_indexed_once(corpus, index_dir, encoder):
    stats = update_index([corpus[0], corpus[0]], index_dir, encoder=encoder, progress=False)
    assert stats.docs_total == 1
    assert _chunk_count(index_dir) == 1


def test_document_without_body_is_found_by_its_title(index_dir, encoder):
    doc = make_doc(9, "   ", title="Foto kegiatan kerja bakti")
    update_index([doc], index_dir, encoder=encoder, progress=False)
    with Searcher(index_dir, encoder) as s:
        assert s.search("kerja bakti")[0].url == doc.url


def test_ann_index_agrees_with_exact_search(monkeypatch, tmp_path):
    """Above the threshold an HNSW file is written and used; its answers match exact search."""
    rng = np.random.default_rng(7)
    words = [f"kata{i}" for i in range(300)]
    docs = [
        make_doc(i, " ".join(rng.choice(words, size=12)), title=None, content_hash=str(i))
        for i in range(1, 401)
    ]
    enc = HashingEncoder(64)
    monkeypatch.setenv("TANGGUH_ANN_MIN", "100")
    ann_dir = tmp_path / "ann"
    stats = update_index(docs, ann_dir, encoder=enc, progress=False)
    assert stats.ann
    assert (ann_dir / json.loads((ann_dir / dense.STATE).read_text())["files"]["ann"]).exists()
    monkeypatch.setenv("TANGGUH_ANN_MIN", "1000000")
    exact_dir = tmp_path / "exact"
    assert not update_index(docs, exact_dir, encoder=enc, progress=False).ann
    with Searcher(ann_dir, enc) as a, Searcher(exact_dir, enc) as e:
        assert a.dense.ann is not None and e.dense.ann is None
        agree = 0
        for d in docs[:40]:
            q = enc.encode_queries([d.text])[0]
            got = [s for _c, _d, s in a.dense.search(q, 10)]
            want = [s for _c, _d, s in e.dense.search(q, 10)]
            # compare scores, not ids: this bag-of-words encoder makes many exact ties
            agree += sum(1 for g, w in zip(got, want, strict=True) if abs(g - w) < 1e-5)
        assert agree / 400 >= 0.95
        # filtered ANN search only returns allowed documents
        rows = a.dense.rows_for_docs(np.array([5, 6, 7], dtype=np.int64))
        q = enc.encode_queries([docs[4].text])[0]
        assert {d for _c, d, _s in a.dense.search(q, 10, rows)} <= {5, 6, 7}
        # a broad filter goes through the graph when its beam is the cheaper way (forced here:
        # 400 vectors are always cheaper to scan) and still keeps only allowed documents
        monkeypatch.setattr(dense, "SCAN_PER_BEAM_SLOT", 0)
        half = np.arange(1, 401, 2, dtype=np.int64)
        rows = a.dense.rows_for_docs(half)
        got = a.dense.search(q, 10, rows)
        assert len(got) == 10 and {d for _c, d, _s in got} <= set(half.tolist())
        want = e.dense.search(q, 10, e.dense.rows_for_docs(half))
        assert sum(abs(g[2] - w[2]) < 1e-5 for g, w in zip(got, want, strict=True)) >= 9


def test_ann_index_is_updated_incrementally(monkeypatch, tmp_path):
    monkeypatch.setenv("TANGGUH_ANN_MIN", "50")
    docs = [make_doc(i, f"dokumen nomor {i} tentang topik{i % 7}") for i in range(1, 121)]
    enc = HashingEncoder(64)
    idx = tmp_path / "idx"
    update_index(docs, idx, encoder=enc, progress=False)
    newer = [*docs[1:], make_doc(500, "dokumen baru tentang gotong royong")]
    update_index(newer, idx, encoder=enc, progress=False)
    with Searcher(idx, enc) as s:
        assert s.dense.ann is not None
        assert len(s.dense.ann) == 120
        q = enc.encode_queries(["dokumen baru tentang gotong royong"])[0]
        assert s.dense.search(q, 1)[0][1] == 500


def test_moving_the_ann_threshold_builds_or_drops_the_hnsw_file_on_next_update(
    monkeypatch, tmp_path
):
    docs = [make_doc(i, f"dokumen nomor {i} tentang topik{i % 7}") for i in range(1, 121)]
    enc = HashingEncoder(64)
    idx = tmp_path / "idx"
    monkeypatch.setenv("TANGGUH_ANN_MIN", "1000")
    assert not update_index(docs, idx, encoder=enc, progress=False).ann
    monkeypatch.setenv("TANGGUH_ANN_MIN", "100")  # e.g. a release that lowers the default
    stats = update_index(docs, idx, encoder=enc, progress=False)
    assert stats.ann and stats.chunks_embedded == 0  # nothing re-embedded, only the graph built
    with Searcher(idx, enc) as s:
        assert s.dense.ann is not None and len(s.dense.ann) == 120
        assert s.dense.ann.connectivity == dense.ANN_CONNECTIVITY
    # a graph built with other settings (an older release) is rebuilt on the next update
    state = json.loads((idx / dense.STATE).read_text())
    (idx / dense.STATE).write_text(json.dumps({**state, "ann_connectivity": 16}))
    assert not dense.cache_is_current(idx, state["generation"])
    update_index(docs, idx, encoder=enc, progress=False)
    assert json.loads((idx / dense.STATE).read_text())["ann_connectivity"] == 32
    monkeypatch.setenv("TANGGUH_ANN_MIN", "1000")
    assert not update_index(docs, idx, encoder=enc, progress=False).ann
    with Searcher(idx, enc) as s:
        assert s.dense.ann is None


def test_ann_beam_covers_the_results_wanted_and_older_graphs():
    assert dense.ann_expansion(100) == dense.ANN_EXPANSION_SEARCH >= 100
    assert dense.ann_expansion(5_000) == 5_000  # a filtered search over-fetches
    assert dense.ann_expansion(100, connectivity=16) == dense.LEGACY_EXPANSION_SEARCH


def test_rebuild_deletes_only_index_files(corpus, index_dir, encoder):
    index_dir.mkdir(parents=True)
    precious = index_dir / "tangguh.db"
    precious.write_text("the main database")
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    update_index(corpus, index_dir, encoder=encoder, progress=False, rebuild=True)
    assert precious.read_text() == "the main database"


def test_old_cache_files_are_cleaned_up(corpus, index_dir, encoder):
    for n in range(1, 4):
        update_index(corpus[:n], index_dir, encoder=encoder, progress=False)
    current = set(json.loads((index_dir / dense.STATE).read_text())["files"].values())
    assert {p.name for p in index_dir.glob(dense.CACHE_PREFIX + "*")} == current


def test_cache_deleted_under_a_reader_falls_back_to_sqlite(corpus, index_dir, encoder):
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    for p in index_dir.glob(dense.CACHE_PREFIX + "*"):
        p.unlink()
    with Searcher(index_dir, encoder) as s:
        assert s.search("resep nasi goreng", mode="dense")[0].url == corpus[2].url


def test_next_update_repairs_a_deleted_cache(corpus, index_dir, encoder):
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    for p in index_dir.glob(dense.CACHE_PREFIX + "*"):
        p.unlink()
    stats = update_index(corpus, index_dir, encoder=encoder, progress=False)
    assert stats.chunks_embedded == 0
    generation = json.loads((index_dir / dense.STATE).read_text())["generation"]
    assert dense.cache_is_current(index_dir, generation)


def test_index_of_documents_without_text_answers_with_nothing(index_dir, encoder):
    stats = update_index(
        [make_doc(1, "  ", title=None)], index_dir, encoder=encoder, progress=False
    )
    assert stats.chunks_total == 0
    with Searcher(index_dir, encoder) as s:
        assert s.search("apa saja") == []
        assert s.search("apa saja", since="2020", kind="post") == []
