"""Split documents into passages the embedding model can read whole.

Why: multilingual-e5-small reads at most 512 tokens (about 250 Indonesian words), and one
vector per long post blurs its topics. Posts and articles are cut on paragraph boundaries into
passages of roughly ``target`` words (never above ``max_words``); a paragraph that is itself
too long is cut on sentence ends, a sentence that is too long on words. Comments are short:
they stay whole unless they exceed ``max_words``. The title travels with every passage (see
``passage_text``) so a passage about "the programme" still knows which programme.
"""

from __future__ import annotations

import re

from search.text import clean_whitespace

TARGET_WORDS = 200
MAX_WORDS = 250
MAX_CHARS = 1800  # long "words" (URLs, unspaced scripts) still have to fit 512 tokens

_PARA = re.compile(r"\n\s*\n|\r\n\s*\r\n|\n")
_SENT = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def _n_words(text: str) -> int:
    return len(text.split())


def _split_long(text: str, max_words: int) -> list[str]:
    """Cut one over-long paragraph on sentence ends, then on words."""
    pieces: list[str] = []
    for sent in _SENT.split(text):
        ws = sent.split()
        if len(ws) <= max_words and len(sent) <= MAX_CHARS:
            pieces.append(sent)
            continue
        cur: list[str] = []
        size = 0
        for w in ws:
            if cur and (len(cur) >= max_words or size + len(w) + 1 > MAX_CHARS):
                pieces.append(" ".join(cur))
                cur, size = [], 0
            cur.append(w[:MAX_CHARS])
            size += len(w) + 1
        if cur:
            pieces.append(" ".join(cur))
    return pieces


def _pack(units: list[str], target: int, max_words: int) -> list[str]:
    """Greedily join consecutive units into passages of about ``target`` words."""
    out: list[str] = []
    cur: list[str] = []
    cur_words = cur_chars = 0
    for unit in units:
        n, c = _n_words(unit), len(unit)
        if cur and (cur_words >= target or cur_words + n > max_words or cur_chars + c > MAX_CHARS):
            out.append(" ".join(cur))
            cur, cur_words, cur_chars = [], 0, 0
        cur.append(unit)
        cur_words += n
        cur_chars += c + 1
    if cur:
        # A short tail reads better merged into the previous passage when that still fits.
        if out and cur_words < target // 4:
            merged = out[-1] + " " + " ".join(cur)
            if _n_words(merged) <= max_words and len(merged) <= MAX_CHARS:
                out[-1] = merged
                return out
        out.append(" ".join(cur))
    return out


def chunk_text(
    text: str,
    kind: str | None = None,
    *,
    target: int = TARGET_WORDS,
    max_words: int = MAX_WORDS,
) -> list[str]:
    """Passages of a document body (whitespace cleaned); ``[]`` for an empty body."""
    if kind == "comment":
        whole = clean_whitespace(text)
        if not whole:
            return []
        if _n_words(whole) <= max_words and len(whole) <= MAX_CHARS:
            return [whole]
    units: list[str] = []
    for para in _PARA.split(text):
        para = clean_whitespace(para)
        if not para:
            continue
        if _n_words(para) > max_words or len(para) > MAX_CHARS:
            units.extend(_split_long(para, max_words))
        else:
            units.append(para)
    return _pack(units, target, max_words)


def passage_text(title: str | None, body: str) -> str:
    """What gets embedded and indexed for one passage: the title, then the passage."""
    title = clean_whitespace(title or "")
    if not title or body.startswith(title):
        return body
    return f"{title}. {body}" if title[-1:] not in ".!?" else f"{title} {body}"
