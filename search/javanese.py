"""Javanese queries over an Indonesian corpus: rewrite the query's Javanese words in Indonesian.

Why: researchers and commenters in East Java write Javanese, the corpus is mostly Indonesian.
A Javanese question shares few words with an Indonesian passage (BM25 only matches its names
and numbers) and multilingual-e5-small embeds Javanese worse than Indonesian. Rewriting the
words that a general Javanese -> Indonesian word list knows (``search/data/javanese.tsv``:
ngoko and krama, a few hundred meanings) gives both sides an Indonesian question;
``bench/search_quality.py`` measures the gain on hand-written Javanese questions, and that
Indonesian and English queries are left alone.

Only queries that are clearly Javanese are rewritten: at least two words that are Javanese and
not Indonesian (``ora``, ``sing``, ``kutha``, ``piye``), or one such word in a short query.
Words that are also common Indonesian (``kali``, ``lara``, ``tangga``) never count as evidence
and are rewritten only inside a Javanese query. Capitalised words after the first are taken for
names (``Tanah Karo``, ``Harold Pinter``, ``Bali``) and kept. Inside a Javanese query, a word the
list does not know is also tried through Javanese affixes on an Indonesian root (``-e``/``-ne``/
``-ipun`` possessive, ``-ake``/``-aken`` = ``-kan``, ``dipun-`` = ``di-``, nasal ``ng-`` =
``meng-``): ``kuthane`` -> ``kota``, ``dipentasake`` -> ``dipentaskan``, ``ngumumake`` ->
``mengumumkan``, accepted only when Sastrawi finds the result's root in its Indonesian
dictionary. Everything else, names and numbers included, is kept as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from search.text import indonesian_roots
from search.wordlist import MAX_PHRASE, data_text, read_word_list

WORD_LIST = "javanese.tsv"  # in search/data/: where the words came from is in its header

_WORD = re.compile(r"[^\W_]+")
_JOINER = re.compile(r"[\s\-]+")  # what may separate the words of a multi-word form
_SENTENCE_END = re.compile(r"[.!?:;\"'(\[]\s*$")
MIN_ROOT = 3
# Javanese suffix -> Indonesian suffix, tried in this order: -ake before -e (ngumumake is
# umum+ake), -e before -ne (latine is latin+e; kuthane has no kuthan, so kutha+ne). -kake and
# -kaken follow a vowel-final root whose last vowel may change (lestari -> dilestarekake).
SUFFIXES = (
    ("ake", "kan"),
    ("aken", "kan"),
    ("kake", "kan"),
    ("kaken", "kan"),
    ("e", ""),
    ("ne", ""),
    ("ipun", ""),
    ("nipun", ""),
)
STRONG_SUFFIXES = frozenset(s for s, _id in SUFFIXES) - {"e"}
VOWELS = "aeiou"
SPELLINGS = (("dh", "d"), ("th", "t"))  # Javanese dental/retroflex pairs Indonesian writes alike


@dataclass(frozen=True)
class Entry:
    indonesian: str
    ambiguous: bool  # also a common Indonesian word: rewritten, never evidence


@dataclass(frozen=True)
class Normalised:
    """A query as the search sides should see it."""

    text: str  # the query to search with (the original when it is not Javanese)
    javanese_words: int  # words that are Javanese and not Indonesian
    words: int  # all words of the query
    rewritten: bool


def parse(text: str | None = None) -> dict[tuple[str, ...], Entry]:
    """The word list as ``(form words) -> Entry``; ``ValueError`` on a malformed or repeated form."""
    if text is None:
        text = data_text(WORD_LIST)
    return {
        key: Entry(target, ambiguous)
        for key, target, ambiguous in read_word_list(
            text, label=WORD_LIST, flag_column="also_indonesian"
        )
    }


@lru_cache(maxsize=1)
def lexicon() -> dict[tuple[str, ...], Entry]:
    return parse()


def _prefixed(core: str, has_suffix: bool) -> list[tuple[str, str]]:
    """``(indonesian prefix, root)`` readings of a Javanese verb form, Indonesian meN- style.

    Javanese nasal prefixes mirror Indonesian meN-: ngumumake -> meng-umum-kan, ngasilake ->
    meng-hasil-kan, nglaporake -> me-lapor-kan, nyita -> meny-sita, mbangkang -> mem-bangkang;
    bare m-/n- (mutusake -> mem-putus-kan, nulis -> men-tulis) only with a suffix, since
    without one they read too many nouns as verbs.
    """
    out = [("", core)]
    if core.startswith("dipun"):
        out.append(("di", core[5:]))
    elif core.startswith("di"):
        out.append(("di", core[2:]))
    if core.startswith("ng"):
        rest = core[2:]
        if rest[:1] in VOWELS:
            out += [("meng", rest), ("meng", "h" + rest), ("meng", "k" + rest)]
        elif rest[:1] in "lrwy":
            out.append(("me", rest))
        elif rest[:1] == "g":
            out.append(("meng", rest))
    elif core.startswith("ny") and core[2:3] in VOWELS:
        out += [("meny", "s" + core[2:]), ("men", "c" + core[2:])]
    elif core.startswith(("mb", "nd")):
        out.append(("mem" if core[0] == "m" else "men", core[1:]))
    elif has_suffix and core[:1] in "mn" and core[1:2] in VOWELS:
        out.append(("mem", "p" + core[1:]) if core[0] == "m" else ("men", "t" + core[1:]))
    return out


def _cores(word: str) -> list[tuple[str, str]]:
    """``(core, indonesian suffix)`` readings of ``word``: itself, then without a suffix."""
    out = [(word, "")]
    for suffix, indonesian in SUFFIXES:
        core = word[: -len(suffix)]
        if word.endswith(suffix) and len(core) >= MIN_ROOT:
            out.append((core, indonesian))
            if suffix.startswith("k") and core[-1] in "eo":
                out.append((core[:-1] + ("i" if core[-1] == "e" else "u"), indonesian))
    return out


def _listed_core(word: str) -> tuple[str, bool] | None:
    """``(indonesian, evidence)`` when ``word`` is a listed word plus a suffix (``omahe``)."""
    lex = lexicon()
    for core, _suffix in _cores(word)[1:]:
        entry = lex.get((core,))
        if entry is not None:
            return entry.indonesian, not entry.ambiguous
    return None


@lru_cache(maxsize=8192)
def _indonesian_reading(word: str) -> tuple[str, bool] | None:
    """``(indonesian form, evidence)`` of a Javanese-affixed Indonesian root, else None.

    Evidence only for suffixes English and Indonesian words do not end in (``-ne``, ``-ake``,
    ``-ipun``): a bare ``-e`` on a root (``time`` = tim+e, ``take`` = tak+e) proves nothing.
    """
    roots = indonesian_roots()
    if word in roots:
        return None
    spellings = [word]
    for jv, id_ in SPELLINGS:
        if jv in word:
            spellings.append(spellings[-1].replace(jv, id_))
    for spelling in spellings:
        for core, suffix in _cores(spelling):
            for prefix, root in _prefixed(core, core != spelling):
                if len(root) >= MIN_ROOT and root in roots:
                    candidate = _join(prefix, root) + suffix
                    if candidate != word:
                        return candidate, spelling[len(core) :] in STRONG_SUFFIXES
    return None


_DROPS = {"mem": "p", "men": "t", "meny": "s", "meng": "k"}  # meN- swallows these initials


def _join(prefix: str, root: str) -> str:
    """Indonesian prefix + root as Indonesian writes it (``mem`` + ``putus`` = ``memutus``)."""
    if root[0] == _DROPS.get(prefix):
        return prefix + root[1:]
    return prefix + root


def _is_name(text: str, start: int, word: str) -> bool:
    """A capitalised word that does not start the query or a sentence: a name, keep it."""
    return word[:1].isupper() and start > 0 and not _SENTENCE_END.search(text[:start])


def normalise(query: str) -> Normalised:
    """The query with its Javanese words in Indonesian when it is Javanese, else unchanged."""
    text = unicodedata.normalize("NFKC", query)
    spans = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    if not spans:
        return Normalised(query, 0, 0, False)
    lex = lexicon()
    folded = [w.casefold() for _a, _b, w in spans]
    names = [_is_name(text, a, w) for a, _b, w in spans]
    # (first span, end span exclusive, indonesian, evidence) for each recognised form
    found: list[tuple[int, int, str, bool]] = []
    i = 0
    while i < len(spans):
        if names[i]:
            i += 1
            continue
        for n in range(min(MAX_PHRASE, len(spans) - i), 0, -1):
            if n > 1 and (
                any(names[i + 1 : i + n])
                or any(
                    not _JOINER.fullmatch(text[spans[j][1] : spans[j + 1][0]])
                    for j in range(i, i + n - 1)
                )
            ):
                continue
            entry = lex.get(tuple(folded[i : i + n]))
            if entry is not None:
                found.append((i, i + n, entry.indonesian, not entry.ambiguous))
                i += n
                break
        else:
            if not folded[i].isdigit():
                guess = _listed_core(folded[i]) or _indonesian_reading(folded[i])
                if guess is not None:
                    found.append((i, i + 1, *guess))
            i += 1
    evidence = sum(1 for f in found if f[3])
    if not (evidence >= 2 or (evidence == 1 and 3 * evidence >= len(spans))):
        return Normalised(query, evidence, len(spans), False)
    parts: list[str] = []
    pos = 0
    for a, b, indonesian, _ev in found:
        parts.append(text[pos : spans[a][0]])
        parts.append(indonesian)
        pos = spans[b - 1][1]
    parts.append(text[pos:])
    return Normalised("".join(parts), evidence, len(spans), True)
