"""Text normalisation shared by the lexical index, the query parser and the snippet maker.

Why one module: the index and the query must turn text into terms in exactly the same way
(Unicode NFKC, case folding, word split, Sastrawi stem), or stemmed terms stop matching.
Sastrawi is dictionary based and slow per call, so stems are cached per word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
_MAX_STEM_LEN = 40  # longer "words" are URLs, hashes or junk: cut, not stemmed

# Function words dropped from queries (never from the index): they match nearly every chunk,
# which makes an OR query slow at scale and adds nothing to BM25. Kept short on purpose:
# Sastrawi's 800-word list also drops words such as "kasus", "bulan" or "ibu" that carry
# meaning in this corpus. English and Javanese ones are here because researchers query in
# those languages too: fusion weighs the lexical side by the share of content terms the index
# knows (see search.fusion), and a foreign function word must not count as a missing term.
_STOPWORDS = """
yang dan di ke dari pada untuk dengan dalam oleh itu ini adalah ialah yaitu yakni atau juga
akan telah sudah sedang masih bisa dapat tidak tak bukan ada para sebagai secara bahwa karena
agar supaya tetapi tapi namun serta maupun pun lah kah nya si sang apa apakah siapa siapakah
kapan kapankah mana manakah dimana bagaimana berapa berapakah mengapa kenapa
the a an of in on at to for from by with and or is are was were be been what who whom which
when where why how does do did about into than that this these those it its as has have had
can could will would should there their they them he she his her we our you your i me my not
no so if then also just only all any some more most other such very many much
sing ing lan karo saka marang menyang nang neng ning ora dudu wis wes durung arep isih iku
kuwi iki kae sapa piye kepiye endi ngendi pira ngapa amarga merga mergane yen nek menawa uga
maneh banget saiki dhewe kowe sampeyan dheweke kabeh wae bae kudu isa iso duwe nduwe ingkang
saking kaliyan punika menika sampun dereng badhe wonten mboten boten kados pinten sinten pundi
dhateng
"""
QUERY_STOPWORDS = frozenset(_STOPWORDS.split())


def clean_whitespace(text: str) -> str:
    """Collapse every whitespace run into one space; what the encoders and snippets see.

    NUL becomes a space too: the C engine would stop reading at it, torch would not.
    """
    return _SPACE.sub(" ", text.replace("\x00", " ")).strip()


def words(text: str) -> list[str]:
    """Case-folded words (letters and digits) after NFKC; punctuation and underscores split."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=1)
def _stemmer():  # -> Sastrawi stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def indonesian_roots() -> frozenset[str]:
    """Sastrawi's dictionary of Indonesian root words."""
    return frozenset(_stemmer().delegatedStemmer.dictionary.words)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Sastrawi stem of one case-folded word; non-Latin words pass through, very long ones
    are cut (one 5,000-letter "word" must not widen every term of the vocabulary arrays)."""
    if len(word) > _MAX_STEM_LEN:
        return word[:_MAX_STEM_LEN]
    if not word.isascii() or word.isdigit():
        return word
    return _stemmer().stem(word) or word


def terms(text: str) -> list[str]:
    """Stemmed terms of a text, in order (duplicates kept): what goes into FTS5."""
    return [stem(w) for w in words(text)]


def query_terms(text: str, max_terms: int = 48) -> list[str]:
    """Unique stemmed query terms, function words dropped unless nothing else is left.

    Capped so that a 10 KB paste becomes a bounded OR query.
    """
    ws = words(text)
    content = [w for w in ws if w not in QUERY_STOPWORDS] or ws
    out: list[str] = []
    seen: set[str] = set()
    for w in content:
        t = stem(w)
        if t not in seen:
            seen.add(t)
            out.append(t)
            if len(out) >= max_terms:
                break
    return out
