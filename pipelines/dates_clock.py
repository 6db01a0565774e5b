"""Clock times next to a date: "| 14:19 WIB", "pukul 3 sore", "T10:21:00+07:00".

Reads the TIME_AFTER / TIME_BEFORE matches of dates_patterns into a Clock (24-hour time,
optional seconds, optional UTC offset) and combines a Clock with a day into a ParsedDate.
A bare number after a date ("Senin (15/6/2020) 2 orang") is a count, not a time: an
hour without minutes needs "pukul", "pkl", "jam" or "at" in front of it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

from pipelines import dates_patterns as P
from pipelines.dates_types import WIB, ParsedDate, midnight, zone
from pipelines.dates_vocab import ZONES


class Clock(NamedTuple):
    """A clock reading (a tuple: built on every parse, so it must be cheap)."""

    hour: int
    minute: int
    second: int | None
    offset: int | None  # minutes east of UTC, when the text names a zone
    twelve_hour: bool  # AM/PM given: a US-style month-first date is plausible


def clock_after(s: str, pos: int, *, iso: bool = False, pod: str | None = None) -> Clock | None:
    m = P.TIME_AFTER.match(s, pos)
    if m is None:
        return None
    seconds, off, pod1, pod2 = m.group("s", "off", "pod1", "pod2")
    plain_ok = iso or seconds is not None or (off is not None and off.startswith(" "))
    return _read_clock(m, pod2 or pod1 or pod, plain_ok)


def clock_before(s: str, pos: int) -> Clock | None:
    window = s[max(0, pos - 48) : pos]
    if not P.DIGIT.search(window):  # cheap test first: most dates have no clock before
        return None
    m = P.TIME_BEFORE.search(window)
    if m is None:
        return None
    return _read_clock(m, m["pod2"], False)


def _read_clock(m: re.Match[str], pod: str | None, plain_offset_ok: bool) -> Clock | None:
    """Hour, minute, second and zone from a TIME_* match, or None when it is not a time."""
    h, mi, s, ampm, zone_word, off = m.group("h", "mi", "s", "ampm", "zone", "off")
    if mi is None and not P.CLOCK_LEAD.search(m["lead"] or ""):
        return None  # a bare number after a date is a count, not "3 o'clock"
    hour, minute = int(h), int(mi or 0)
    second = int(s) if s is not None else None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    elif pod:
        hour = _twelve_hour(hour, pod)
    if hour > 24 or minute > 59 or (second or 0) > 59 or (hour == 24 and minute + (second or 0)):
        return None
    if zone_word:
        offset: int | None = ZONES[zone_word]
    else:
        offset = _offset(off, plain_offset_ok) if off else None
    return Clock(hour, minute, second, offset, bool(ampm))


def _twelve_hour(hour: int, pod: str) -> int:
    """``3 sore`` is 15:00, ``8 malam`` 20:00, ``2 dini hari`` 02:00; 24-hour readings stay."""
    if hour > 12:
        return hour
    pod = pod.split()[0]
    if pod in {"pagi", "dini"}:
        return 0 if hour == 12 else hour
    if pod == "siang":
        return hour + 12 if hour < 6 else hour
    if pod in {"sore", "petang"}:
        return hour + 12 if hour < 12 else hour
    # malam: 6-11 are evening, 12 is midnight, 1-5 are the small hours
    if hour == 12:
        return 0
    return hour + 12 if hour >= 6 else hour


def _offset(text: str, plain_ok: bool) -> int | None:
    """Minutes east of UTC from "+0700", "+07:00", "GMT+7", "(UTC+08:00)"."""
    off = P.OFFSET_PARTS.search(text)
    if off is None:
        return None
    if not off["named"] and not plain_ok:
        return None  # "10:00-12:00" is a range, not UTC-12
    hours, minutes = int(off["h"]), int(off["m"] or 0)
    if hours > 14 or minutes > 59:
        return None
    return (-1 if off["sign"] == "-" else 1) * (hours * 60 + minutes)


def combine(day: date, clock: Clock | None) -> ParsedDate:
    if clock is None:
        return midnight(day)
    hour, minute, second, offset, _ = clock
    tz = WIB if offset is None else zone(offset)
    if hour == 24:  # "pukul 24.00" is the next day's midnight
        value = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(days=1)
    else:
        value = datetime(day.year, day.month, day.day, hour, minute, second or 0, tzinfo=tz)
    return ParsedDate(value, "minute" if second is None else "second")
