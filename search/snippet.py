"""Snippets: the part of the matching passage that shows why it matched.

Why a window rather than the passage head: passages run to 250 words, and a reader scanning a
results table needs the sentence with the query's words in it. The window with the most query
terms (by stem, so "pemerintah" finds "perintah") wins; a passage found by meaning alone, with
no shared word, shows its beginning.
"""

from __future__ import annotations

import re
import unicodedata

from search.text import clean_whitespace, query_terms, stem, words

SNIPPET_WORDS = 32


def _hits(toks: list[str], wanted: set[str]) -> list[int]:
    """1 for each token holding a word that stems to one of the wanted terms, else 0.

    Stemming every word of a 250-word passage with Sastrawi costs ~150 us a word the first
    time a word is seen: ~40 ms for the ten hits of a one-off search, more than the dense
    search. A stem is the word's root, and Indonesian affixes at most swallow the root's first
    letter (``menulis`` -> ``tulis``, ``pemerintah`` -> ``perintah``), so a token can only hold
    a word stemming to ``t`` when it contains ``t[1:]`` (``t`` itself for two-letter terms):
    only such tokens are split into words and stemmed.
    """
    cores = tuple({t[1:] if len(t) > 2 else t for t in wanted})
    out = [0] * len(toks)
    for i, tok in enumerate(toks):
        folded = tok.casefold() if tok.isascii() else unicodedata.normalize("NFKC", tok).casefold()
        if any(c in folded for c in cores) and any(stem(w) in wanted for w in words(tok)):
            out[i] = 1
    return out


def make_snippet(body: str, query: str, size: int = SNIPPET_WORDS) -> str:
    """A trimmed window of ``body`` around the query's terms, with ellipses where cut."""
    toks = clean_whitespace(body).split(" ")
    if len(toks) <= size:
        return " ".join(toks)
    wanted = set(query_terms(query))
    hit = _hits(toks, wanted) if wanted else [0] * len(toks)
    best_start, best = 0, 0
    if wanted:
        window = sum(hit[:size])
        best = window
        for start in range(1, len(toks) - size + 1):
            window += hit[start + size - 1] - hit[start - 1]
            if window > best:
                best, best_start = window, start
        if best:  # start at the first hit in the window, a few words of context before it
            first = next(i for i in range(best_start, best_start + size) if hit[i])
            best_start = max(0, min(first - 4, len(toks) - size))
            # prefer starting at a sentence start when one is close
            for i in range(best_start, max(-1, best_start - 8), -1):
                if i == 0 or re.search(r"[.!?…]$", toks[i - 1]):
                    best_start = i
                    break
    end = min(len(toks), best_start + size)
    text = " ".join(toks[best_start:end])
    if best_start > 0:
        text = "… " + text
    if end < len(toks):
        text += " …"
    return text


def marked_tokens(text: str, query: str) -> list[tuple[str, bool]]:
    """``text`` split on whitespace, each token paired with whether it holds one of the
    query's words (by stem, as the snippet window chose them): for highlighting, which must
    escape each token before it marks it."""
    toks = [t for t in clean_whitespace(text).split(" ") if t]
    wanted = set(query_terms(query))
    if not toks or not wanted:
        return [(t, False) for t in toks]
    return list(zip(toks, (bool(h) for h in _hits(toks, wanted)), strict=True))
