"""Who wrote a comment: a commenter's label as templates, feeds and APIs print it.

Templates glue a verb after the name ("Budi berkata:", "Andi says:") and print a
placeholder for people without a name ("Anonim", "Anonymous", Blogger's "Unknown" for a
deleted profile). A placeholder is stored as a null author, and the label read is kept in
the item's field sources (``author.raw``) so a researcher can still tell them apart. Both
word lists live in ``comment_labels.toml``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources
from typing import Any

from scrapers.provenance import mark

_SPACES = re.compile(r"\s+")
# A commenter's name is a short label; a longer text is a sentence the template put there.
MAX_NAME_CHARS = 80


@functools.cache
def _labels() -> dict[str, Any]:
    raw = resources.files("scrapers.pages").joinpath("comment_labels.toml").read_text("utf-8")
    return tomllib.loads(raw)


@functools.cache
def _anonymous() -> frozenset[str]:
    return frozenset(label.casefold() for label in _labels()["anonymous"])


@functools.cache
def _says() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(_labels()["says"], key=len, reverse=True))
    return re.compile(rf"(?:^|\s+)(?:{words})\s*(?:\.{{2,}}|…|:)?\s*$", re.IGNORECASE)


def clean_label(raw: str | None) -> str | None:
    """The label without spacing noise and a trailing "says:" / "berkata:" / "mengatakan...".

    None for nothing, or for a label too long to be a name.
    """
    if not raw:
        return None
    label = _SPACES.sub(" ", raw).strip(" \u200b:")
    label = _says().sub("", label).strip(" ,:")
    if not label or len(label) > MAX_NAME_CHARS:
        return None
    return label


def is_placeholder(label: str | None) -> bool:
    """True for the labels templates print instead of a name ("Anonim", "Unknown")."""
    return bool(label) and _SPACES.sub(" ", label or "").strip().casefold() in _anonymous()


def comment_author(name: str | None) -> str | None:
    """A commenter's name, or None for a placeholder ("Anonim", "Unknown") or nothing."""
    label = clean_label(name)
    return None if label is None or is_placeholder(label) else label


def set_author(item: Any, raw: str | None, source: str, confidence: float, **detail: Any) -> None:
    """``item.author`` from the label read, recorded in the item's field sources.

    A placeholder gives a null author with ``raw`` kept; no label at all records nothing.
    """
    label = clean_label(raw)
    if label is None:
        item.author = None
        return
    if is_placeholder(label):
        item.author = None
        mark(item, "author", source, confidence, raw=label, anonymous=True, **detail)
        return
    item.author = label
    mark(item, "author", source, confidence, **detail)
