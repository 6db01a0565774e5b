from search.text import QUERY_STOPWORDS, clean_whitespace, query_terms, stem, terms, words


def test_words_fold_case_and_split_punctuation():
    assert words("Kampung-Tangguh, COVID_19!") == ["kampung", "tangguh", "covid", "19"]


def test_words_apply_nfkc_to_fullwidth_letters():
    assert words("ＲＴ ０５") == ["rt", "05"]


def test_stem_removes_indonesian_affixes_and_keeps_numbers():
    assert stem("pemerintah") == "perintah"
    assert stem("diberikan") == "beri"
    assert stem("2020") == "2020"
    assert stem("x" * 5000) == "x" * 40


def test_terms_of_index_and_query_meet_on_the_stem():
    assert "bangun" in terms("Pembangunan lumbung")
    assert "bangun" in query_terms("membangun")


def test_query_terms_drop_function_words_unless_nothing_else_is_left():
    assert query_terms("apa yang dibagikan di posko") == ["bagi", "posko"]
    only_stop = query_terms("yang di dan")
    assert only_stop and set(only_stop) <= QUERY_STOPWORDS


def test_query_terms_are_unique_and_capped():
    text = " ".join(f"kata{i}" for i in range(500)) + " kata1 kata1"
    out = query_terms(text, max_terms=20)
    assert len(out) == 20
    assert len(set(out)) == 20


def test_clean_whitespace():
    assert clean_whitespace("  a\t\nb \u00a0 c ") == "a b c"
    assert clean_whitespace("a\x00b") == "a b"
