"""Words the Indonesian date parser reads: months, weekdays, market days, numbers, zones.

Kept apart from the patterns so a new spelling seen in the wild is a one-line change here,
and the tables can be reused by tests to generate strings in every supported form.
All keys are lower case, as the parser matches on a lower-cased copy of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Month spellings: Indonesian (current and pre-EYD/old: Pebruari, Nopember, Mrt, Agt),
# English (RFC 822 feeds, English-locale Blogger headers) and Dutch-influenced forms.
MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1, "djanuari": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2, "febr": 2,
    "maret": 3, "march": 3, "mar": 3, "mrt": 3, "maart": 3,
    "april": 4, "apr": 4, "aprl": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6, "djuni": 6,
    "juli": 7, "july": 7, "jul": 7, "djuli": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "agust": 8, "agst": 8,
    "aug": 8, "augustus": 8,
    "september": 9, "sept": 9, "sep": 9, "spt": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10, "oktb": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11, "nopb": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12, "desb": 12,
}  # fmt: skip

# The same with the trailing dot abbreviations carry ("Agt.", "Sept."), for direct lookup.
MONTH_KEYS: dict[str, int] = {**MONTHS, **{f"{word}.": n for word, n in MONTHS.items()}}

# Month words that are also common given names ("Mei Lestari", "Juni Astuti", "Jan Hwa"):
# a year-less "5 Mei" followed by a capitalised word is read as a name, not a date.
NAME_MONTHS: frozenset[str] = frozenset(
    {"jan", "april", "apr", "mei", "may", "juni", "june", "juli", "july"}
)

# Weekdays (Monday = 0, as datetime.weekday()): Indonesian, abbreviations, Javanese
# (Senen, Rebo, Kemis, Jemuwah, Setu, Ngahad) and English.
WEEKDAYS: dict[str, int] = {
    "senin": 0, "sen": 0, "senen": 0, "monday": 0, "mon": 0,
    "selasa": 1, "sel": 1, "slasa": 1, "tuesday": 1, "tue": 1, "tues": 1,
    "rabu": 2, "rab": 2, "rebo": 2, "wednesday": 2, "wed": 2,
    "kamis": 3, "kam": 3, "kemis": 3, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "jumat": 4, "jum'at": 4, "jum": 4, "jemuwah": 4, "jemuah": 4, "jumuah": 4,
    "friday": 4, "fri": 4,
    "sabtu": 5, "sab": 5, "setu": 5, "saturday": 5, "sat": 5,
    "minggu": 6, "min": 6, "ahad": 6, "ngahad": 6, "akhad": 6, "sunday": 6, "sun": 6,
}  # fmt: skip

# Javanese market days (pasaran) follow a weekday: "Senin Legi", "Jemuwah Kliwon".
PASARAN: tuple[str, ...] = ("legi", "pahing", "pon", "wage", "kliwon")

# Parts of the day that turn a 12-hour clock reading into a 24-hour one ("pukul 3 sore").
PARTS_OF_DAY: tuple[str, ...] = ("dini hari", "pagi", "siang", "sore", "petang", "malam")

# Zone abbreviations -> offset in minutes. WP (Waktu Papua) is read as WIT, like WIT.
ZONES: dict[str, int] = {
    "wib": 420, "wita": 480, "wit": 540, "wp": 540,
    "utc": 0, "gmt": 0, "ut": 0, "z": 0,
    "est": -300, "edt": -240, "cst": -360, "cdt": -300,
    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
}  # fmt: skip

UNITS: dict[str, str] = {
    "detik": "second", "dtk": "second", "second": "second", "seconds": "second",
    "sec": "second", "secs": "second",
    "menit": "minute", "mnt": "minute", "minute": "minute", "minutes": "minute",
    "min": "minute", "mins": "minute",
    "jam": "hour", "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
    "hari": "day", "day": "day", "days": "day",
    "minggu": "week", "pekan": "week", "week": "week", "weeks": "week", "mgg": "week",
    "bulan": "month", "bln": "month", "month": "month", "months": "month",
    "tahun": "year", "thn": "year", "th": "year", "year": "year", "years": "year",
}  # fmt: skip

# "se-" prefixed units: sejam, sehari, seminggu, sebulan, setahun ... (= one unit).
SE_UNITS: dict[str, str] = {
    "sedetik": "second", "semenit": "minute", "sejam": "hour", "sehari": "day",
    "seminggu": "week", "sepekan": "week", "sebulan": "month", "setahun": "year",
}  # fmt: skip

DIGIT_WORDS: dict[str, int] = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
    "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
}  # fmt: skip

ENGLISH_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


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
