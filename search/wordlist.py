"""The built-in query word lists: tab-separated data files in ``search/data/``.

``english.tsv`` (``search.english``) and ``javanese.tsv`` (``search.javanese``) hold one row
per meaning: the forms, separated by commas (a phrase of at most ``MAX_PHRASE`` words may
have spaces), a tab, the Indonesian words that replace them, and for the Javanese list a third
column naming those of the row's forms that are also common Indonesian words. The first row
that is not a comment names the columns; ``#`` starts a comment line. Each file's header says
where its words came from, so a linguist can correct a word without touching code.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from importlib.resources import files

MAX_PHRASE = 3


def data_text(name: str) -> str:
    """The text of ``search/data/<name>``."""
    return files("search").joinpath("data", name).read_text(encoding="utf-8")


def _key(form: str) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFKC", form).casefold().split())


def read_word_list(
    text: str, *, label: str, flag_column: str | None = None
) -> Iterator[tuple[tuple[str, ...], str, bool]]:
    """``(form words, indonesian, flagged)`` per form, where ``flagged`` says the form is
    listed in the ``flag_column`` of its row. ``ValueError`` naming ``label`` and the line on
    a malformed row, a form listed twice or a flagged form that is not among the row's."""
    seen: set[tuple[str, ...]] = set()
    width = 3 if flag_column else 2
    header_seen = False
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if not header_seen:
            header_seen = True
            if len(cells) >= 2 and cells[1].casefold() == "indonesian":
                continue  # the column names
        cells += [""] * (width - len(cells))
        if len(cells) > width or not cells[0] or not cells[1]:
            raise ValueError(
                f"{label} line {n}: expected {width} tab-separated columns "
                f"(forms, indonesian{', ' + flag_column if flag_column else ''}): {raw!r}"
            )
        target = " ".join(cells[1].split())
        forms = [_key(f) for f in cells[0].split(",")]
        flagged = {_key(f) for f in cells[2].split(",") if f.strip()} if flag_column else set()
        if flagged - set(forms):
            raise ValueError(f"{label} line {n}: {flag_column} names a form not in the row")
        for key in forms:
            if not key or len(key) > MAX_PHRASE:
                raise ValueError(f"{label} line {n}: bad form {' '.join(key)!r} in {cells[0]!r}")
            if key in seen:
                raise ValueError(f"{label} line {n}: {' '.join(key)!r} is listed twice")
            seen.add(key)
            yield key, target, key in flagged
