import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from search import IndexMissingError, Searcher, hits_table, search, update_index
from search.lexical import match_expression
from search.snippet import make_snippet


@pytest.fixture
def built(corpus, index_dir, encoder):
    update_index(corpus, index_dir, encoder=encoder, progress=False)
    return index_dir


def test_finds_the_matching_document_first(built, encoder, corpus):
    hits = search(built, "lumbung pangan untuk isolasi mandiri", encoder=encoder)
    assert hits[0].url == corpus[0].url
    assert hits[0].title == "Lumbung pangan warga Semeru"
    assert hits[0].kind == "post"
    assert hits[0].published_at == "2020-06-14T09:30:00+07:00"


def test_duplicates_collapse_into_the_original_with_a_copy_count(built, encoder, corpus):
    hits = search(built, "lumbung pangan", encoder=encoder)
    urls = [h.url for h in hits]
    assert corpus[0].url in urls
    assert corpus[3].url not in urls  # the copy is folded into its original
    assert next(h for h in hits if h.url == corpus[0].url).copies == 2
    assert all(h.copies == 1 for h in hits if h.url != corpus[0].url)


def test_copy_represents_the_group_when_the_original_is_filtered_out(built, encoder, corpus):
    hits = search(built, "lumbung pangan", site="copy.example.com", encoder=encoder)
    assert [h.url for h in hits] == [corpus[3].url]


def test_date_filters_use_the_documents_date_span(built, encoder, corpus):
    june = search(built, "warga", since="2020-06", until="2020-06", encoder=encoder)
    assert {h.url for h in june} == {corpus[0].url}
    may = search(built, "posko", since="2020-05-31", until="2020-05-31", encoder=encoder)
    assert [h.url for h in may] == [corpus[1].url]  # "2020-05" may be any day of May
    feb = search(built, "nasi goreng", since="2021-02-01", encoder=encoder)
    assert [h.url for h in feb] == [corpus[2].url]  # a UTC instant read in Jakarta time
    assert search(built, "nasi goreng", until="2019", encoder=encoder) == []


def test_kind_and_site_filters(built, encoder, corpus):
    assert [h.url for h in search(built, "kampung", kind="article", encoder=encoder)] == [
        corpus[1].url
    ]
    both = search(built, "kampung", kind="Article, comment", encoder=encoder)
    assert {h.kind for h in both} == {"article", "comment"}
    for site in ("resepku.com", "www.resepku.com", "https://resepku.com/x", "RESEPKU.COM"):
        assert [h.url for h in search(built, "kampung", site=site, encoder=encoder)] == [
            corpus[2].url
        ]
    assert search(built, "kampung", site="kuresepku.com", encoder=encoder) == []
    assert search(built, "kampung", site="go.id", encoder=encoder)[0].url == corpus[1].url


def test_bad_date_filter_is_a_value_error(built, encoder):
    with pytest.raises(ValueError, match="YYYY"):
        search(built, "warga", since="kemarin", encoder=encoder)


def test_limit_and_empty_queries(built, encoder):
    assert len(search(built, "kampung", limit=1, encoder=encoder)) == 1
    assert search(built, "   ", encoder=encoder) == []
    assert search(built, "kampung", limit=0, encoder=encoder) == []


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        "lumbung AND OR NOT",
        "NEAR(lumbung pangan, 2)",
        "title:lumbung",
        "lumb*",
        "-masker +beras ^pangan",
        "(((",
        "'; DROP TABLE docs; --",
        "lumbung " * 2000,  # ~16 KB
        "日本語のクエリ",
        "\x00\x01 emoji 🙏🏽 ",
    ],
)
def test_hostile_queries_never_error(built, encoder, query):
    hits = search(built, query, encoder=encoder)
    assert isinstance(hits, list)
    assert len(hits) <= 10


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_any_text_makes_a_valid_fts_query(built, encoder, text):
    expr = match_expression(text)
    assert expr is None or expr.startswith('"')
    with Searcher(built, encoder) as s:
        s.search(text, mode="lexical")


def test_snippet_shows_the_matching_passage(built, encoder):
    hit = search(built, "relawan mengantar beras", encoder=encoder)[0]
    assert "relawan mengantar beras" in hit.snippet


def test_snippet_window_centres_on_query_terms():
    body = (
        " ".join(f"isi{i}" for i in range(100))
        + " Pemerintah desa membagikan masker. "
        + (" ".join(f"lain{i}" for i in range(100)))
    )
    snip = make_snippet(body, "pembagian masker oleh perintah", size=20)
    assert "masker" in snip and "Pemerintah" in snip
    assert snip.startswith("… ") and snip.endswith(" …")
    assert len(snip.split()) <= 22


def test_snippet_without_shared_words_shows_the_start():
    body = " ".join(f"kata{i}" for i in range(60))
    assert make_snippet(body, "gotong royong", size=10).startswith("kata0 kata1")


def test_missing_index_is_reported(tmp_path, encoder):
    with pytest.raises(IndexMissingError, match="tangguh index"):
        search(tmp_path / "nothing", "warga", encoder=encoder)


def test_modes_rank_with_one_side_only(built, encoder, corpus):
    with Searcher(built, encoder) as s:
        assert s.search("resep nasi goreng", mode="lexical")[0].url == corpus[2].url
        assert s.search("resep nasi goreng", mode="dense")[0].url == corpus[2].url
        with pytest.raises(ValueError):
            s.search("x", mode="magic")


def test_hits_serialise_to_the_documented_json(built, encoder):
    hit = search(built, "posko", encoder=encoder)[0]
    obj = json.loads(json.dumps(hit.to_json()))
    assert set(obj) >= {"url", "title", "kind", "site", "published_at", "score", "snippet"}


def test_hits_table_shows_fields_and_escapes_markup(built, encoder, corpus):
    hits = search(built, "nasi goreng", encoder=encoder)
    hits[0].title = "[bold red]Judul[/bold red] <script>alert(1)</script>"
    console = Console(record=True, width=200)
    console.print(hits_table("nasi goreng", hits))
    out = console.export_text()
    assert "[bold red]Judul[/bold red]" in out
    assert "<script>" in out
    assert "comment" in out and "2021-02-01" not in out  # date shown is published_at only
    assert "resepku.com" in out


def test_plan_keeps_known_rare_terms_and_measures_coverage(built, encoder):
    from search import index, lexical

    conn = index.connect(built / index.DB_NAME, readonly=True)
    try:
        lq = lexical.plan(conn, "lumbung pangan tiger scientific", n_chunks=4)
        assert lq.coverage == 0.5  # 2 of 4 content words occur in the index
        assert lq.expr == '"lumbung" OR "pangan"'
        # "warga" is in 2 of 4 passages: too common to OR in, unless nothing else is left
        assert lexical.plan(conn, "warga posko", n_chunks=4).expr == '"posko"'
        assert lexical.plan(conn, "warga", n_chunks=4).expr == '"warga"'
        assert lexical.plan(conn, "the of and", n_chunks=4).expr is None
    finally:
        conn.close()


def test_english_query_leans_on_the_dense_side(built, encoder, corpus):
    with Searcher(built, encoder) as s:
        c = s.candidates("lumbung of the tiger scientific name", 10, None, "hybrid")
        assert 0 < c.coverage < 0.5
        assert set(c.den_scores) >= set(c.lex_scores)  # lexical hits got their cosine
