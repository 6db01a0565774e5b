"""Indonesian date normalisation: the date a short fragment expresses, or None.

Bylines, datelines, blog headers, comment timestamps and press-release sentences write
dates the Indonesian way (``Jum'at (27/02/2021)``, ``Selasa, 05 Oktober 2021 | 14:19 WIB``,
``2 hari yang lalu``, ``Kemarin pukul 21.30``), the Javanese way (``tanggal 17 sasi Agustus
2020``), the English way (``Posted by Rina at 10:21 AM``) and, on the pages of strangers, in
other European languages (``8. Oktober 2016 um 02:15 Uhr``). ``parse_date`` reads them with
compiled patterns (``dates_patterns``, words from ``dates_words.toml``) in a few microseconds
and keeps what the text says: the original UTC offset (WIB when none is given), the
precision (month, day, minute, second) and a fraction of a second when one was given.

Non-dates (regulation numbers, money, names such as ``Mei Lestari``) and impossible dates
(``31 Februari``, ``25:61``) give None, never "now". A written year is never changed: a
year past the base's next one is refused, not "corrected". dateparser is only a last,
sanity-checked fallback (``dates_fallback``) for absolute dates the fast path does not know.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date, datetime, timedelta

from pipelines import dates_patterns as P
from pipelines.dates_clock import (
    ImpossibleClock,
    clock_after,
    clock_before,
    clock_later,
    combine,
)
from pipelines.dates_fallback import fallback_parse
from pipelines.dates_relative import scan_relative
from pipelines.dates_stamps import StampKind, read_stamp, stamp_kind
from pipelines.dates_types import WIB, DatePrecision, ParsedDate, midnight
from pipelines.dates_vocab import MONTH_KEYS, NAME_MONTHS, WEEKDAYS, ZONES

MIN_YEAR = 1900
MAX_TEXT = 4000  # a fragment, not a page: longer input is cut before scanning
YEARLESS_AHEAD_DAYS = 45  # "Selasa (30/6)" in a release of 20 June announces a coming day
MAX_STAMP = 120  # a day-less stamp ("Senin 10.21") is short; longer text is a sentence

__all__ = ["WIB", "DatePrecision", "ParsedDate", "day_less_stamp", "normalise", "parse_date"]


# ---------------------------------------------------------------------------- input

_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
        # Latin letters with accents fold to their base letter: "Desèmber", "März" and
        # "décembre" are matched as "desember", "marz" and "decembre".
        **{
            cp: base
            for cp in range(0xC0, 0x250)
            if (
                base := "".join(
                    c for c in unicodedata.normalize("NFD", chr(cp)) if not unicodedata.combining(c)
                )
            )
            != chr(cp)
            and len(base) == 1
        },
    }
)


def normalise(text: str) -> str:
    """Unicode-normalised text with one kind of apostrophe, dash and space.

    ``Jum’at`` and ``Jum'at``, en dashes and non-breaking spaces from CMS templates all
    become the plain ASCII form the patterns expect. Case is kept (names are told from
    month words by their capital); callers lower-case for matching.
    """
    text = text[: 4 * MAX_TEXT]  # runs of template whitespace shrink below
    if "&" in text:  # text lifted from HTML without decoding: "15&nbsp;Juni&nbsp;2020"
        text = html.unescape(text)
    if not text.isascii():
        if "\u00c3" in text or "\u00c2" in text:
            text = _undo_mojibake(text)
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    elif "`" in text:
        text = text.replace("`", "'")
    return " ".join(text.split())[:MAX_TEXT]


def _undo_mojibake(text: str) -> str:
    """UTF-8 that was decoded as Latin-1 or cp1252: "MÃ¤rz" is "März", "10:39Â Uhr" too."""
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return text.replace("\u00c2\u00a0", " ")


def day_less_stamp(text: str | None) -> StampKind | None:
    """ "time" or "weekday" when ``text`` is a stamp that names no calendar day.

    ``parse_date`` resolves such stamps against its ``base``; a caller that knows a better
    base for them (a comment's post date) asks this first.
    """
    if not isinstance(text, str):
        return None
    return stamp_kind(normalise(text).lower())


def _base_now(base: datetime | None) -> datetime:
    """``base`` as an aware WIB datetime (naive means Asia/Jakarta; None means now)."""
    if base is None:
        return datetime.now(WIB)
    if base.tzinfo is WIB:
        return base
    if base.tzinfo is None or base.utcoffset() is None:
        return base.replace(tzinfo=WIB)
    return base.astimezone(WIB)


# ---------------------------------------------------------------------------- entry


def parse_date(text: str | None, *, base: datetime | None = None) -> ParsedDate | None:
    """The date ``text`` expresses, with its precision and original offset, or None.

    ``base`` is "now" for relative expressions (``3 jam lalu``), the context date for
    year-less ones (``Rabu (17/6)``: the latest 17 June on or before it that was a
    Wednesday) and for stamps without a day (``Posted by Rina at 10:21 AM`` takes the base's
    date, ``Senin`` the nearest Monday on or before it); naive means Asia/Jakarta, None
    means the current time. The first date in the text wins.
    """
    if type(text) is not str:
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)  # epoch milliseconds handed over as a number
        elif isinstance(text, str):
            text = str(text)
        else:
            return None
    cased = normalise(text)
    if not cased:
        return None
    low = cased.lower()
    if len(low) != len(cased):  # rare case-folding that changes length: drop case info
        cased = low
    now = _base_now(base)
    digit = P.DIGIT.search(low)
    found, refused = None, False
    if digit is not None:  # every absolute form has a digit; skip the scan without one
        if digit.start() == 0 or "showcomment=" in low:
            found = _exact(low, now)
            if found is not None:
                return found
        # A weekday or month word leads its digits by a few words at most.
        found, refused = _scan_absolute(low, cased, now, max(0, digit.start() - 48))
    if found is None and len(low) <= MAX_STAMP:  # "Posted by Rina at 10:21 AM", "Senin"
        found = read_stamp(low, base)
    if found is None and P.RELATIVE_HINT.search(low):
        found = scan_relative(low, now)
    if found is None and digit is not None and not refused:  # "31 Februari" refused on purpose
        found = fallback_parse(low, now)
    return found


# ---------------------------------------------------------------------------- whole-string forms


def _exact(s: str, now: datetime) -> ParsedDate | None:
    """Epoch milliseconds/seconds, ``YYYYMMDD``/``DDMMYYYY`` and ``YYYY-MM``."""
    if s.isdigit():
        if len(s) == 13 and s[0] == "1":
            return _from_epoch(int(s), now, per_second=1000)
        if len(s) == 10 and s[0] == "1":
            return _from_epoch(int(s), now)
        if len(s) == 8:
            day = _compact(s, now)
            return midnight(day) if day else None
        return None
    if "showcomment=" in s and (m := P.EPOCH_MS.search(s)):
        return _from_epoch(int(m["ms"]), now, per_second=1000)
    if len(s) == 7 and (m := P.YEAR_MONTH.match(s)):
        year, month = int(m["y"]), int(m["m"])
        if 1 <= month <= 12 and _year_ok(year, now):
            return ParsedDate(datetime(year, month, 1, tzinfo=WIB), "month")
    return None


def _from_epoch(count: int, now: datetime, per_second: int = 1) -> ParsedDate | None:
    """Epoch seconds or milliseconds; Blogger's ``showComment=1592191260123`` keeps its .123."""
    seconds, part = divmod(count, per_second)
    value = datetime.fromtimestamp(seconds, WIB).replace(microsecond=part * 1_000_000 // per_second)
    if not 1990 <= value.year <= now.year + 1:
        return None
    return ParsedDate(value, "second")


def _compact(digits: str, now: datetime) -> date | None:
    """``20200802`` (URL style) or ``03072020`` (press-release style), whichever is valid."""
    y1, m1, d1 = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if _year_ok(y1, now) and (day := _valid(y1, m1, d1)):
        return day
    d2, m2, y2 = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    if _year_ok(y2, now):
        return _valid(y2, m2, d2)
    return None


# ---------------------------------------------------------------------------- absolute scan


def _scan_absolute(
    s: str, cased: str, now: datetime, start: int = 0
) -> tuple[ParsedDate | None, bool]:
    """The first valid absolute date in ``s``, and whether a date-shaped span was refused.

    A refused match (``31 Februari 2020``, ``5 Mei Lestari``) consumes its span, so no
    part of it is read again as a shorter date.
    """
    pos, refused = start, False
    while m := P.DATE_CORE.search(s, pos):
        pos = m.end()
        found = _read_core(m, s, cased, now)
        if found is not None:
            return found, refused
        refused = True
    return None, refused


def _read_core(m: re.Match[str], s: str, cased: str, now: datetime) -> ParsedDate | None:
    kind = m.lastgroup
    if kind == "md" and m["my_y"] is not None:  # "Juni 2020": month precision
        year, month = _full_year(m["my_y"].lstrip("'"), now), MONTH_KEYS[m["md_mon"]]
        if not _year_ok(year, now):
            return None
        return ParsedDate(datetime(year, month, 1, tzinfo=WIB), "month")
    pod = m["wn_pod"] if kind == "wn" else None  # "Senin malam (15/6/2020) pukul 8"
    try:
        clock = (
            clock_after(s, m.end(), iso=kind == "ymd", pod=pod)
            or clock_before(s, m.start())
            or clock_later(s, m.end(), pod)  # "Kamis (18/6/2020) sejak pukul 20.00 WIB"
        )
    except ImpossibleClock:
        return None  # "15 Juni 2020 pukul 25.61": a corrupt stamp, not half a date
    day = _core_day(kind, m, s, cased, now)
    if day is None:
        return None
    return combine(day, clock)


def _core_day(kind: str | None, m: re.Match[str], s: str, cased: str, now: datetime) -> date | None:
    if kind == "ymd":
        year = int(m["ymd_y"])
        if m["ymd_sep"] != "-" and P.DOC_BEFORE.search(s[max(0, m.start() - 16) : m.start()]):
            return None
        return _valid(year, int(m["ymd_m"]), int(m["ymd_d"])) if _year_ok(year, now) else None
    if kind == "dn":
        if P.DOC_BEFORE.search(s[max(0, m.start() - 16) : m.start()]):
            return None
        year = _full_year(m["dn_y"], now)
        if not _year_ok(year, now):
            return None
        if m["dn_sep"][0] == "." and len(m["dn_y"]) == 2:  # "10.21.33" may be a clock time
            return _valid(year, int(m["dn_m"]), int(m["dn_d"]))
        return _day_first(year, int(m["dn_d"]), int(m["dn_m"]))
    if kind == "wn":
        return _compact(m["wc_n"], now) if m["wc_n"] else _weekday_numeric(m, now)
    if kind == "dt":
        return _day_month_text(m, s, cased, now)
    if kind == "md":
        month = MONTH_KEYS[m["md_mon"]]
        if m["md_y"] is None:  # "Nov 1, 09:08": the latest 1 November on or before base
            return _yearless(month, int(m["md_d"]), now, _weekday_before(s, m.start()))
        year = int(m["md_y"])
        return _valid(year, month, int(m["md_d"])) if _year_ok(year, now) else None
    return None


def _weekday_numeric(m: re.Match[str], now: datetime) -> date | None:
    """``Senin (15/6/2020)``, ``Selasa (9/6/20)``, year-less ``Rabu (17/6)``.

    A year past the base's next one ("Senin (6/7/2029)" in a 2020 release) is refused, not
    guessed away: the page's metadata or URL knows the real date, the text does not.
    """
    first, second = int(m["wn_d"]), int(m["wn_m"])
    if m["wn_y"] is None:
        if m["wn_sep"] == ".":  # "Rabu 10.30" is a clock time, not 10 March
            return None
        weekday = WEEKDAYS[m["wn_wd"]]
        found = _yearless(second, first, now, weekday)
        return found if found or second <= 12 else _yearless(first, second, now, weekday)
    year = _full_year(m["wn_y"], now)
    return _day_first(year, first, second) if _year_ok(year, now) else None


def _day_month_text(m: re.Match[str], s: str, cased: str, now: datetime) -> date | None:
    """``15 Juni 2020``, ``11 - Jan - 2025``, ``22-23 Juni 2020``, year-less ``17 Juni``."""
    raw_day, word, raw_year = m.group("dt_d", "dt_mon", "dt_y")
    day, month = int(raw_day), MONTH_KEYS[word]
    if raw_year is not None:
        year = int(raw_year) if len(raw_year) == 4 else _full_year(raw_year.lstrip("'"), now)
        return _valid(year, month, day) if MIN_YEAR <= year <= now.year + 1 else None
    if P.DOC_BEFORE.search(s[max(0, m.start() - 16) : m.start()]):
        return None
    if end := P.RANGE_END_YEAR.match(s, m.end()):
        year = int(end["y"])
        if MONTH_KEYS[end["mon"]] < month:
            year -= 1  # "20 Desember s/d 5 Januari 2021"
        return _valid(year, month, day) if _year_ok(year, now) else None
    weekday = _weekday_before(s, m.start())
    name_like = word.rstrip(".") in NAME_MONTHS
    if name_like and weekday is None and _name_follows(cased, m.end()):
        return None  # "5 Mei Lestari", "1 Jan Hwa Diana"
    return _yearless(month, day, now, weekday)


def _weekday_before(s: str, start: int) -> int | None:
    """The weekday written just before a date ("Rabu 17 Juni", "Friday Jul 3"), if any."""
    found = P.WEEKDAY_BEFORE.search(s[max(0, start - 24) : start])
    return WEEKDAYS[found["wd"]] if found else None


def _name_follows(cased: str, end: int) -> bool:
    """Is the word after a year-less month capitalised and not a date word?"""
    nxt = P.CAPITAL_WORD.match(cased, end)
    if nxt is None:
        return False
    word = nxt[1].lower()
    return not (
        word in WEEKDAYS
        or word in ZONES
        or word in {"pukul", "pkl", "jam", "lalu", "pagi", "siang", "sore", "malam", "dini"}
    )


# ---------------------------------------------------------------------------- small helpers


def _day_first(year: int, first: int, second: int) -> date | None:
    """Day first ("06/05/2020" is 6 May); month first only when that cannot be a date
    ("06/15/2020" is June 15: there is no month 15)."""
    found = _valid(year, second, first)
    if found is None and second > 12:
        found = _valid(year, first, second)
    return found


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None  # 31 Februari, month 13


def _year_ok(year: int, now: datetime) -> bool:
    return MIN_YEAR <= year <= now.year + 1


def _full_year(text: str, now: datetime) -> int:
    """Four digits as written; two digits in the century that keeps it in the past."""
    year = int(text)
    if len(text) > 2:
        return year
    return 2000 + year if 2000 + year <= now.year + 1 else 1900 + year


def _yearless(month: int, day: int, now: datetime, weekday: int | None = None) -> date | None:
    """The year of a year-less (month, day): ``Rabu (17/6)`` in a June 2020 post.

    A weekday written beside it picks the latest year in which that day fell on that
    weekday (a press release read years later keeps its year; one announcing next week's
    "Selasa (30/6)" may lie a few weeks after the base). Without one, or when no year
    agrees (a wrong weekday), the latest such day on or before the base.
    """
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    today = now.date()
    if weekday is not None:
        horizon = today + timedelta(days=YEARLESS_AHEAD_DAYS)
        for year in range(today.year + 1, today.year - 12, -1):  # every weekday within 11
            found = _valid(year, month, day)
            if found is not None and found <= horizon and found.weekday() == weekday:
                return found
    for year in range(today.year, today.year - 9, -1):
        found = _valid(year, month, day)
        if found is not None and found <= today:
            return found
    return None
