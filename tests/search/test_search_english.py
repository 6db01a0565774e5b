import pytest

from search import english
from search.english import base_forms, normalise, parse
from search.fusion import ENGLISH_LEXICAL_WEIGHT, lexical_weight


def test_the_word_list_parses_and_is_a_real_dictionary():
    lex = english.lexicon()
    assert len(lex) > 3000  # forms
    assert len(set(lex.values())) > 1200  # meanings
    for key, target in lex.items():
        assert target != " ".join(key), key  # a form that maps to itself only adds noise
        # a function word is dropped, unless it is a capitalised month: "in May 2020"
        assert key == ("may",) or not set(key) <= english.FUNCTION_WORDS, key


@pytest.mark.parametrize(
    "text",
    [
        "food\tmakanan\nfood\tpangan",  # a form listed twice
        "food makanan",  # no tab
        "x\t",  # no Indonesian
        "a, , b\tc",  # an empty form
        "one two three four\tempat",  # a phrase longer than three words
        "food\tmakanan\textra",  # a third column in a two-column list
    ],
)
def test_malformed_or_repeated_lines_are_refused(text):
    with pytest.raises(ValueError, match=r"english\.tsv line \d"):
        parse(text)


def test_the_word_list_is_a_data_file_with_its_provenance():
    from search.wordlist import data_text

    text = data_text("english.tsv")
    assert "Where the words came from" in text
    assert parse("# a comment\nenglish\tindonesian\nhow many, how much\tberapa\n") == {
        ("how", "many"): "berapa",
        ("how", "much"): "berapa",
    }


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("villages", "village"),
        ("studies", "study"),
        ("banned", "ban"),
        ("used", "use"),
        ("evacuating", "evacuate"),
        ("running", "run"),
        ("boxes", "box"),
    ],
)
def test_regular_inflections_are_undone(word, base):
    assert base in base_forms(word)


def test_an_english_question_gets_an_indonesian_lexical_rewrite():
    got = normalise("How did the volunteers run the food barn during the pandemic?")
    assert got.rewritten
    words = got.text.split()
    assert {"berapa", "relawan", "pandemi"} <= set(words) or {"relawan", "pandemi"} <= set(words)
    assert "lumbung pangan" in got.text
    assert not {"the", "did", "during"} & set(words)  # function words are dropped


def test_english_terms_indonesian_writers_use_as_they_are_still_match():
    got = normalise("social distancing enforcement in villages")
    assert got.rewritten
    assert "jaga jarak" in got.text and "social distancing" in got.text


def test_names_are_kept_beside_their_translation_and_unknown_words_kept():
    got = normalise("Which country is Pearson International Airport in?")
    assert got.rewritten
    assert "Pearson" in got.text and "bandara" in got.text
    assert "Airport" in got.text  # a capitalised word keeps its written form too
    # "May" in the middle of a sentence is the month, "may" the modal is dropped
    assert "mei" in normalise("Where were villages locked down in May 2020?").text.split()
    assert "mei" not in normalise("Why may residents refuse the vaccine?").text.split()
    assert "leatherback" in normalise("What does the leatherback turtle eat?").text


@pytest.mark.parametrize(
    "query",
    [
        "gotong royong warga selama pandemi",
        "Di kota manakah lokasi Australian Institute of Music",  # names inside Indonesian
        "Siapa pengarang buku The Clash of Civilizations and The Remaking of World Order?",
        "dampak lockdown terhadap UMKM",  # one loanword
        "Kampung Tangguh Semeru",
        "Sapa presidene Indonesia sing kapisan?",  # Javanese: search.javanese's business
        "",
        "2020 2021",
    ],
)
def test_indonesian_queries_are_left_alone(query):
    got = normalise(query)
    assert not got.rewritten
    assert got.text == query


def test_english_queries_weigh_the_rewrite_at_a_fixed_share():
    assert lexical_weight(0.2, english=True) == ENGLISH_LEXICAL_WEIGHT
    assert lexical_weight(1.0) == 1.0 and lexical_weight(0.5) == 0.25


def test_an_english_query_searches_its_rewrite_lexically_and_its_words_densely(
    corpus, index_dir, encoder
):
    from search import Searcher, update_index

    update_index(corpus, index_dir, encoder=encoder, progress=False)
    query = "Where does the village health post check body temperature and hand out masks?"
    with Searcher(index_dir, encoder) as s:
        c = s.candidates(query, 10, None, "hybrid")
        assert c.english and c.text == query  # the dense side reads the English
        assert "posko" in c.lex_text and "masker" in c.lex_text
        as_written = s.candidates(query, 10, None, "hybrid", rewrite=False)
        assert not as_written.english and as_written.lex_text == query
        assert len(c.lex_scores) > len(as_written.lex_scores)  # BM25 now finds passages
        # The hashing encoder's dense side cannot read English: rank by the lexical side
        # alone here (tests/search/test_search_integration.py ranks with the real model).
        hits = s.search(query, mode="lexical")
    assert hits[0].url == corpus[1].url
    assert "masker" in hits[0].snippet.lower()
