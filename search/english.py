"""English queries over an Indonesian corpus: the lexical side searches an Indonesian rewrite.

Why: researchers outside Indonesia ask in English, the corpus is Indonesian. The dense side
copes (multilingual-e5 embeds an English question near its Indonesian answer), but BM25 on the
English words matches only names and numbers, so hybrid ranking gained little from it. A general
English -> Indonesian word list (``search/data/english.tsv``) turns the question's content words
into the words an Indonesian writer would use (``food barn`` -> ``lumbung pangan``,
``volunteers`` -> ``relawan``), and BM25 searches that. The dense side keeps the question as
written: a word-by-word rewrite is not a sentence, and e5 reads the English better than it.

Only queries that are clearly English are rewritten: at least two words that are English and
not Indonesian (function words such as ``the``, ``what``, ``how``, or listed words that Sastrawi's
Indonesian dictionary does not know), and at least as many as the Indonesian words. A mixed query
("Kampung Tangguh food barn") is rewritten word by word; its Indonesian words stay as they are.
Function words are dropped, regular inflections are undone before the look-up (``villages``,
``banned``, ``evacuating``), capitalised words after the first keep their written form beside
any translation (``Java`` is also ``jawa``, ``Pinter`` stays ``Pinter``), and words the list does
not know (names, numbers) are kept as written. The translated words are kept too, after the
rewrite: Indonesian writers use many English terms as they are ("social distancing", "rapid
test"); on the benchmark's English questions this cost BM25 alone 0.01 and hybrid nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from search.text import indonesian_roots, stem
from search.wordlist import MAX_PHRASE, data_text, read_word_list

WORD_LIST = "english.tsv"  # in search/data/: where the words came from is in its header

_WORD = re.compile(r"[^\W_]+")
_JOINER = re.compile(r"[\s\-]+")
_SENTENCE_END = re.compile(r"[.!?:;\"(\[]\s*$")

_FUNCTION = """
    a an the of is are was were be been being am do does did done doing to in on at by for
    from with without and or but nor so that this these those it its they them their
    theirs he him his she her hers we us our you your i me my as than then there here what
    which who whom whose where when why how whether if into onto upon about during after
    before over under between through against among within also very not no any some such
    can could would should will shall may might must has have had having s
"""
#: Words with no content of their own: evidence that a query is English, dropped from the rewrite.
FUNCTION_WORDS: frozenset[str] = frozenset(_FUNCTION.split())


@dataclass(frozen=True)
class Rewrite:
    """A query as the lexical side should see it."""

    text: str  # Indonesian rewrite for BM25 (the original when it is not English)
    english_words: int  # words that are English and not Indonesian
    words: int
    rewritten: bool


def parse(text: str | None = None) -> dict[tuple[str, ...], str]:
    """The word list as ``(form words) -> indonesian``; ``ValueError`` on a malformed or
    repeated form."""
    if text is None:
        text = data_text(WORD_LIST)
    return {key: target for key, target, _m in read_word_list(text, label=WORD_LIST)}


@lru_cache(maxsize=1)
def lexicon() -> dict[tuple[str, ...], str]:
    return parse()


def _is_indonesian(word: str, dictionary: frozenset[str]) -> bool:
    """A root of Sastrawi's dictionary, or an affixed form of one (``dimanakah``, ``diadakan``)."""
    return word in dictionary or stem(word) in dictionary


def base_forms(word: str) -> list[str]:
    """``word`` and the base forms its regular inflection may come from, most likely first:
    ``villages`` -> village, ``studies`` -> study, ``banned`` -> ban, ``making`` -> make."""
    out = [word]
    if len(word) <= 3:
        return out

    def undouble(stem: str) -> list[str]:
        doubled = len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls"
        return [stem[:-1], stem] if doubled else [stem, stem + "e"]

    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    elif word.endswith("es"):
        out += [word[:-2], word[:-1]]
    elif word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    if word.endswith("ied"):
        out.append(word[:-3] + "y")
    elif word.endswith("ed"):
        out += [word[:-1], *undouble(word[:-2])]
    if word.endswith("ing") and len(word) > 5:
        out += undouble(word[:-3])
    seen: set[str] = set()
    return [w for w in out if not (w in seen or seen.add(w))]


def _lookup(word: str) -> str | None:
    lex = lexicon()
    for form in base_forms(word):
        if (target := lex.get((form,))) is not None:
            return target
    return None


def _is_name(text: str, start: int, word: str) -> bool:
    return word[:1].isupper() and start > 0 and not _SENTENCE_END.search(text[:start])


def normalise(query: str) -> Rewrite:
    """The query with its English words in Indonesian when it is English, else unchanged."""
    text = unicodedata.normalize("NFKC", query)
    spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    if not spans:
        return Rewrite(query, 0, 0, False)
    lex = lexicon()
    indonesian = indonesian_roots()
    folded = [w.casefold() for _a, _b, w in spans]
    names = [_is_name(text, a, w) for a, _b, w in spans]
    out: list[str] = []
    originals: list[str] = []  # translated words as written (names stay in ``out``)
    english = 0
    unknown: list[str] = []  # words the list does not know: Indonesian ones count against
    i = 0
    while i < len(spans):
        word = folded[i]
        for n in range(min(MAX_PHRASE, len(spans) - i), 1, -1):  # phrases first
            joined = all(
                _JOINER.fullmatch(text[spans[j][1] : spans[j + 1][0]]) for j in range(i, i + n - 1)
            )
            last = base_forms(folded[i + n - 1])
            target = next(
                (t for f in last if joined and (t := lex.get((*folded[i : i + n - 1], f)))), None
            )
            if target is not None:
                out += [spans[j][2] for j in range(i, i + n) if names[j]]
                out.append(target)
                originals += [spans[j][2] for j in range(i, i + n) if not names[j]]
                english += sum(not names[j] for j in range(i, i + n))  # "East Java": names
                i += n
                break
        else:
            target = None if word.isdigit() else _lookup(word)
            if word in FUNCTION_WORDS and not (names[i] and target):  # "in May" is a month
                english += not names[i]
            elif target is not None:
                (out if names[i] else originals).append(spans[i][2])
                out.append(target)
                english += not names[i] and not _is_indonesian(word, indonesian)
            else:
                out.append(spans[i][2])
                if not names[i]:
                    unknown.append(word)
            i += 1
    # Names say nothing about the language around them: "Di kota manakah Australian Institute
    # of Music?" is an Indonesian question (4 Indonesian words, 1 English one); so is a tie
    # ("Siapa pengarang buku The Clash of Civilizations and The Remaking of World Order?").
    if english < 2:  # most Indonesian queries end here, before any stemming
        return Rewrite(query, english, len(spans), False)
    native = sum(_is_indonesian(word, indonesian) for word in unknown)
    if english <= native:
        return Rewrite(query, english, len(spans), False)
    # The translated words as written go last: Indonesian writers use many English terms
    # as they are ("social distancing", "rapid test", "new normal").
    return Rewrite(" ".join([*out, *originals]), english, len(spans), True)
