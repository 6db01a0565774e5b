"""Words the date parser reads: months, weekdays, market days, parts of day, zones, units.

The word lists live in ``dates_words.toml`` (data, not code: a new spelling seen in the wild
is a one-line change there); this module loads them once into the lookup tables the
patterns and readers use. All keys are lower case with accents folded, as the parser
matches on a folded, lower-cased copy of the text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from importlib import resources
from typing import Any

WORDS_FILE = "dates_words.toml"


def _load() -> dict[str, Any]:
    text = resources.files("pipelines").joinpath(WORDS_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _numbered(lists_by_language: dict[str, list[list[str]]], first: int) -> dict[str, int]:
    """``{word: number}`` from per-language lists in order (January or Monday first).

    A word that two languages give different numbers is a mistake in the file: loading
    fails and names it, rather than one reading silently winning.
    """
    table: dict[str, int] = {}
    for language, lists in lists_by_language.items():
        for n, words in enumerate(lists, start=first):
            for word in words:
                if table.setdefault(word, n) != n:
                    raise ValueError(
                        f"{WORDS_FILE}: {word!r} ({language}) is {table[word]} elsewhere"
                    )
    return table


def _by_meaning(groups: dict[str, list[str]]) -> dict[str, str]:
    return {word: meaning for meaning, words in groups.items() for word in words}


_WORDS = _load()

MONTHS: dict[str, int] = _numbered(
    {k: v for k, v in _WORDS["months"].items() if k != "name_like"}, first=1
)
# The same with the trailing dot abbreviations carry ("Agt.", "Sept."), for direct lookup.
MONTH_KEYS: dict[str, int] = {**MONTHS, **{f"{word}.": n for word, n in MONTHS.items()}}
# Month words that are also given names ("Mei Lestari", "Juni Astuti", "Jan Hwa").
NAME_MONTHS: frozenset[str] = frozenset(_WORDS["months"]["name_like"])

# Weekdays, Monday = 0 as datetime.weekday(); full names alone may be a stamp ("Senin"),
# abbreviations only count beside a date or a time.
FULL_WEEKDAYS: dict[str, int] = _numbered(_WORDS["weekdays"], first=0)
WEEKDAYS: dict[str, int] = {
    **FULL_WEEKDAYS,
    **_numbered(_WORDS["weekday_abbreviations"], first=0),
}

PASARAN: tuple[str, ...] = tuple(_WORDS["javanese_calendar"]["pasaran"])

# Part of the day -> how it reads a 12-hour clock (see dates_clock.twelve_hour).
PARTS_OF_DAY: dict[str, str] = dict(_WORDS["parts_of_day"])

# Zone abbreviation -> offset in minutes east of UTC.
ZONES: dict[str, int] = dict(_WORDS["zones"])

UNITS: dict[str, str] = _by_meaning(_WORDS["relative"]["units"])
# "se-" prefixed units: sejam, sehari, seminggu ... (= one unit).
SE_UNITS: dict[str, str] = _by_meaning(_WORDS["relative"]["one_unit"])

DIGIT_WORDS: dict[str, int] = dict(_WORDS["numbers"]["indonesian"])
ENGLISH_NUMBERS: dict[str, int] = dict(_WORDS["numbers"]["english"])


def number_from_words(words: str) -> int | None:
    """Value of an Indonesian or English number word phrase up to 99 ("dua puluh satu")."""
    parts = words.split()
    if not parts:
        return None
    if len(parts) == 1:
        word = parts[0]
        if word.isdigit():
            return int(word)
        if word == "sepuluh":
            return 10
        if word == "sebelas":
            return 11
        if word == "seratus":
            return 100
        return DIGIT_WORDS.get(word, ENGLISH_NUMBERS.get(word))
    head = 1 if parts[0] == "se" else DIGIT_WORDS.get(parts[0])
    if head is None:
        return None
    if parts[1] == "belas" and len(parts) == 2:
        return 10 + head
    if parts[1] == "puluh":
        tail = DIGIT_WORDS.get(parts[2]) if len(parts) == 3 else 0
        return None if tail is None or len(parts) > 3 else head * 10 + tail
    return None


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first ("jumat" before "jum").

    Built as a trie (``j(?:u(?:m(?:'at|at)?|...)``): the date scanner tries it at every
    position, and a trie fails on the first wrong letter instead of trying 100 words.
    """
    trie: dict[str, dict] = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, dict]) -> str:
    ends_here = "" in node
    branches = []
    for char in sorted((c for c in node if c), key=lambda c: (-_depth(node[c]), c)):
        atom = r"\s+" if char == " " else re.escape(char)
        branches.append(atom + _trie_regex(node[char]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:  # the word may stop here, but a longer one is tried first
        return f"(?:{body})?" if len(branches) == 1 else f"{body}?"
    return body


def _depth(node: dict[str, dict]) -> int:
    return max((1 + _depth(child) for key, child in node.items() if key), default=0)
