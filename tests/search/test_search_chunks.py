from search.chunks import MAX_CHARS, chunk_text, passage_text


def _para(n: int, word: str = "kata") -> str:
    return " ".join(f"{word}{i}" for i in range(n)) + "."


def test_comment_stays_whole():
    text = "Mantap  sekali\nprogramnya, Pak RT!"
    assert chunk_text(text, "comment") == ["Mantap sekali programnya, Pak RT!"]


def test_empty_body_gives_no_passage():
    assert chunk_text("  \n\n ", "post") == []


def test_short_paragraphs_are_packed_together():
    text = "\n\n".join(_para(30) for _ in range(4))
    assert len(chunk_text(text, "post")) == 1


def test_long_post_is_cut_on_paragraphs_within_limits():
    paras = [_para(120, f"p{j}w") for j in range(6)]
    chunks = chunk_text("\n\n".join(paras), "post", target=200, max_words=250)
    assert len(chunks) >= 3
    assert all(len(c.split()) <= 250 for c in chunks)
    # no words lost or reordered
    assert " ".join(chunks).split() == " ".join(paras).split()
    # a paragraph is never split when it fits
    assert all(any(p in c for c in chunks) for p in paras)


def test_one_huge_paragraph_is_cut_on_sentences_then_words():
    sentences = [_para(40, f"s{j}w") for j in range(20)]
    one_sentence = _para(900, "w")
    chunks = chunk_text(" ".join(sentences) + "\n" + one_sentence, "article")
    assert all(len(c.split()) <= 250 and len(c) <= MAX_CHARS for c in chunks)
    assert " ".join(chunks).split() == (" ".join(sentences) + " " + one_sentence).split()


def test_long_comment_is_cut_too():
    assert len(chunk_text(_para(700), "comment")) > 1


def test_passage_text_keeps_the_title_once():
    assert passage_text("Lumbung pangan", "Warga membangun.") == "Lumbung pangan. Warga membangun."
    assert passage_text("Apa kabar?", "Baik.") == "Apa kabar? Baik."
    assert passage_text(None, "Isi saja.") == "Isi saja."
    assert passage_text("Isi", "Isi saja.") == "Isi saja."
