"""The format of the built-in query word lists (``search.javanese_lexicon``,
``search.english_lexicon``): one line per meaning, ``forms = indonesian words``.

A form joined by ``_`` is a multi-word expression of at most ``MAX_PHRASE`` words; ``#``
starts a comment. A word list may let a form carry a one-character mark (the Javanese
list's ``~``: also a common Indonesian word).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

MAX_PHRASE = 3


def read_word_list(
    text: str, *, label: str, mark: str | None = None
) -> Iterator[tuple[tuple[str, ...], str, bool]]:
    """``(form words, indonesian, marked)`` per form; ``ValueError`` naming ``label`` and the
    line on a malformed line or a form listed twice."""
    seen: set[tuple[str, ...]] = set()
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        forms, sep, target = line.partition("=")
        target = " ".join(target.split())
        if not sep or not forms.split() or not target:
            raise ValueError(f"{label} line {n}: expected 'forms = indonesian': {raw!r}")
        for form in forms.split():
            marked = mark is not None and form.startswith(mark)
            bare = form[1:] if marked else form
            key = tuple(unicodedata.normalize("NFKC", bare).casefold().split("_"))
            if not all(key) or len(key) > MAX_PHRASE:
                raise ValueError(f"{label} line {n}: bad form {form!r}")
            if key in seen:
                raise ValueError(f"{label} line {n}: {form!r} is listed twice")
            seen.add(key)
            yield key, target, marked
