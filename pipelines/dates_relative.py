"""Relative dates: "2 hari yang lalu", "sejam lalu", "kemarin pukul 21.30", "baru saja".

Counted back from the parser's base ("now", in WIB). Hours and shorter give a minute
precision instant; days and longer give a day (the calendar day in Jakarta).
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, timedelta

from pipelines import dates_patterns as P
from pipelines.dates_clock import clock_after, combine
from pipelines.dates_types import WIB, ParsedDate, midnight
from pipelines.dates_vocab import (
    MONTHS,
    NAME_MONTHS,
    SE_UNITS,
    UNITS,
    WEEKDAYS,
    number_from_words,
)

MIN_YEAR = 1900


_UNIT_DELTA = {"second": 1, "minute": 60, "hour": 3600}
_DAY_WORDS = {"kemarin": 1, "kemaren": 1, "kmrn": 1, "kemarn": 1, "yesterday": 1, "wingi": 1}


def scan_relative(s: str, now: datetime) -> ParsedDate | None:
    """``2 hari yang lalu``, ``sejam lalu``, ``kemarin pukul 21.30``, ``baru saja``."""
    # The earliest of three shapes wins: counted ("2 hari yang lalu", "kemarin"), a named
    # month ("bulan Mei lalu") or a named weekday ("Senin lalu").
    found = [
        (m.start(), kind, m)
        for kind, pattern in (("count", P.RELATIVE), ("month", P.MONTH_AGO), ("wd", P.WEEKDAY_AGO))
        if (m := pattern.search(s)) is not None
    ]
    if not found:
        return None
    _, kind, m = min(found, key=lambda item: item[0])
    if kind == "month":
        return _month_ago(m, now)
    if kind == "wd":  # the latest such weekday strictly before today
        back = (now.weekday() - WEEKDAYS[m["wd"]] - 1) % 7 + 1
        return midnight(now.date() - timedelta(days=back))
    return _counted(m, s, now)


def _counted(m: re.Match[str], s: str, now: datetime) -> ParsedDate | None:
    if m["word"]:
        return _relative_word(" ".join(m["word"].split()), s, m.end(), now)
    if m["se"]:
        pairs = [(1, SE_UNITS[m["se"]])]
    else:
        pairs = [
            (number_from_words(" ".join(p["n"].split())) or 0, UNITS[p["unit"]])
            for p in P.RELATIVE_PAIR.finditer(m["pairs"])
        ]
    if any(count <= 0 for count, _ in pairs):
        return None
    if all(unit in _UNIT_DELTA for _, unit in pairs):  # "1 jam 30 menit yang lalu"
        seconds = sum(count * _UNIT_DELTA[unit] for count, unit in pairs)
        instant = now - timedelta(seconds=seconds)
        return ParsedDate(instant.replace(second=0, microsecond=0), "minute")
    if sum(count for count, unit in pairs if unit == "year") > now.year - MIN_YEAR:
        return None  # "999 tahun yang lalu" is a figure of speech, not a date
    day = now.date()
    for count, unit in pairs:  # days and longer give a date; finer parts do not move it
        if unit == "day":
            day -= timedelta(days=count)
        elif unit == "week":
            day -= timedelta(weeks=count)
        elif unit in {"month", "year"}:
            day = _months_before(day, count if unit == "month" else 12 * count)
    return midnight(day)


def _relative_word(word: str, s: str, end: int, now: datetime) -> ParsedDate | None:
    if word in {"baru saja", "barusan", "just now"} or word.startswith("beberapa"):
        return ParsedDate(now.replace(second=0, microsecond=0), "minute")
    if word.startswith("setengah"):  # half an hour ago
        return ParsedDate((now - timedelta(minutes=30)).replace(second=0, microsecond=0), "minute")
    if word.endswith("lusa"):
        back = 2
    elif word in _DAY_WORDS:
        back = 1
    else:  # hari ini, today, dina iki
        back = 0
    pod = word.split()[-1] if word.startswith("tadi") else None  # "tadi sore pukul 4"
    return combine(now.date() - timedelta(days=back), clock_after(s, end, pod=pod))


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _month_ago(m: re.Match[str], now: datetime) -> ParsedDate | None:
    """``bulan Mei lalu`` said in June 2020 is May 2020; said in May 2020, May 2019."""
    word = m["mon"].rstrip(".")
    if word in NAME_MONTHS and not m["bulan"]:
        return None
    month = MONTHS[word]
    year = now.year if month < now.month else now.year - 1
    return ParsedDate(datetime(year, month, 1, tzinfo=WIB), "month")
