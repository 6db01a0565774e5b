import pytest

from search import javanese
from search.javanese import normalise, parse


def test_the_word_list_parses_and_is_a_real_dictionary():
    lex = javanese.lexicon()
    assert len(lex) > 800  # forms
    assert len({e.indonesian for e in lex.values()}) > 350  # meanings
    for key, entry in lex.items():
        assert " ".join(key) != entry.indonesian, key  # no form maps to itself


@pytest.mark.parametrize(
    "text",
    [
        "ora\ttidak\nora\tbukan",
        "ora tidak",
        "ora\t",
        ", x\ty",
        "kali, lara\tsungai\ttangga",  # flags a form the row does not have
    ],
)
def test_malformed_or_repeated_lines_are_refused(text):
    with pytest.raises(ValueError, match=r"javanese\.tsv line \d"):
        parse(text)


def test_forms_flagged_as_also_indonesian_are_read_from_their_column():
    lex = parse("javanese\tindonesian\talso_indonesian\nkali, kaline\tsungai\tkali\n")
    assert lex[("kali",)].ambiguous and not lex[("kaline",)].ambiguous
    assert javanese.lexicon()[("kali",)].ambiguous
    assert not javanese.lexicon()[("ora",)].ambiguous


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sapa presidene Indonesia sing kapisan?", "siapa presiden Indonesia yang pertama?"),
        ("Piro regane beras ing pasar saiki?", "berapa harga beras di pasar sekarang?"),
        ("Omahe pak lurah ana ing ngendi?", "rumah pak lurah ada di mana?"),
        (
            "Pinten tiyang ingkang sampun tilar donya amargi pageblug menika?",
            "berapa orang yang sudah meninggal dunia karena wabah ini?",
        ),
        # affixes on Indonesian roots: -ake = -kan, nasal ng-/ny-/m- = meN-, -e possessive
        (
            "Warga ngumumake yen kampunge wis bebas korona",
            "Warga mengumumkan kalau kampung sudah bebas korona",
        ),
        ("Polisi nyita montor sing dicolong", "Polisi menyita mobil yang dicolong"),
        (
            "Pak lurah mutusake ora nganakake pengajian",
            "Pak lurah memutuskan tidak mengadakan pengajian",
        ),
    ],
)
def test_javanese_queries_are_rewritten_in_indonesian(query, expected):
    got = normalise(query)
    assert got.rewritten
    assert got.text == expected


@pytest.mark.parametrize(
    "query",
    [
        "Siapa presiden pertama Indonesia?",
        "gotong royong warga selama pandemi",
        "Kepala Pertamina Unit Pemasaran IV Depo BBM Maos Cilacap",  # Maos: a place, not 'baca'
        "Who was the first president of Indonesia?",
        "How many people sing in the choir?",  # one Javanese-looking word in a long query
        "What time did the state make the base rate?",  # tim+e, tak+e: not evidence
        "",
        "2020 2021",
    ],
)
def test_indonesian_and_english_queries_are_left_alone(query):
    got = normalise(query)
    assert not got.rewritten
    assert got.text == query


def test_ambiguous_words_and_names_are_kept_unless_the_query_is_javanese():
    # 'kali' (river / times) and 'lara' are Indonesian words too: no evidence by themselves
    assert not normalise("dua kali lara").rewritten
    # in a Javanese query they are rewritten, but a capitalised name inside it is not
    got = normalise("Kali sing paling dawa ing pulo Jawa apa? Takon Pak Bali")
    assert got.text.startswith("sungai yang paling panjang di pulau Jawa apa?")
    assert got.text.endswith("Pak Bali")  # ~bali = kembali, but here a name


def test_multi_word_forms_and_punctuation_survive():
    got = normalise('Kados pundi "wisuh" ingkang leres?')
    assert got.text == 'bagaimana "cuci tangan" yang benar?'


def test_a_javanese_query_is_searched_in_indonesian_but_weighed_as_written(
    corpus, index_dir, encoder
):
    from search import Searcher, update_index

    update_index(corpus, index_dir, encoder=encoder, progress=False)
    query = "Saben esuk sapa sing nggawa beras lan sayur?"
    with Searcher(index_dir, encoder) as s:
        c = s.candidates(query, 10, None, "hybrid")
        assert c.text == "setiap pagi siapa yang membawa beras dan sayur?"
        plain = s.candidates(c.text, 10, None, "hybrid")
        assert c.lex_scores == plain.lex_scores and c.den_scores == plain.den_scores
        assert c.coverage < plain.coverage  # 'saben', 'esuk' are not words of the corpus
        as_written = s.candidates(query, 10, None, "hybrid", rewrite=False)
        assert as_written.text == query
        hits = s.search(query)
    assert hits[0].url == corpus[0].url
    assert "Setiap pagi relawan" in hits[0].snippet
