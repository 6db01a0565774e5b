"""Clock times next to a date: "| 14:19 WIB", "pukul 3 sore", "T10:21:00.250+07:00".

Reads the TIME_AFTER / TIME_BEFORE / LATER_CLOCK matches of dates_patterns into a Clock
(24-hour time, optional seconds and fraction, optional UTC offset) and combines a Clock with
a day into a ParsedDate. A bare number after a date ("Senin (15/6/2020) 2 orang") is a
count, not a time: an hour without minutes needs "pukul", "pkl", "jam" or "at" in front of
it. A reading that is clearly meant as a time but cannot be one ("pukul 25.61", "10:75")
raises ImpossibleClock: the stamp is corrupt, and the date beside it is refused too.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

from pipelines import dates_patterns as P
from pipelines.dates_types import WIB, ParsedDate, midnight, zone
from pipelines.dates_vocab import PARTS_OF_DAY, ZONES

LATER_WINDOW = 100  # characters after a date in which a "pukul ..." still belongs to it


class ImpossibleClock(ValueError):
    """A time-shaped reading out of range: 25:61, "pukul 24.30", "13.05 pm"."""


class Clock(NamedTuple):
    """A clock reading (a tuple: built on every parse, so it must be cheap)."""

    hour: int
    minute: int
    second: int | None
    offset: int | None  # minutes east of UTC, when the text names a zone
    micro: int = 0  # microseconds, when the text gave a fraction of a second


def clock_after(s: str, pos: int, *, iso: bool = False, pod: str | None = None) -> Clock | None:
    m = P.TIME_AFTER.match(s, pos)
    if m is None:
        return None
    seconds, off, pod1, pod2 = m.group("s", "off", "pod1", "pod2")
    plain_ok = iso or seconds is not None or (off is not None and off.startswith(" "))
    return read_clock(m, pod2 or pod1 or pod, plain_ok)


def clock_before(s: str, pos: int) -> Clock | None:
    window = s[max(0, pos - 48) : pos]
    if not P.DIGIT.search(window):  # cheap test first: most dates have no clock before
        return None
    m = P.TIME_BEFORE.search(window)
    if m is None:
        return None
    return read_clock(m, m["pod2"], False)


def clock_later(s: str, pos: int, pod: str | None = None) -> Clock | None:
    """A "pukul ..." later in the same clause as the date ending at ``pos``."""
    end = min(len(s), pos + LATER_WINDOW)
    if not P.DIGIT.search(s, pos, end):
        return None
    m = P.LATER_CLOCK.search(s, pos, end)
    if m is None or P.CLAUSE_END.search(s, pos, m.start()):
        return None
    if m["mi"] is None and not (m["ampm"] or m["pod1"] or m["pod2"] or pod):
        return None  # "jam 3" far from the date: too weak to be its time
    return read_clock(m, m["pod2"] or m["pod1"] or pod, False)


def read_clock(m: re.Match[str], pod: str | None, plain_offset_ok: bool) -> Clock | None:
    """Hour, minute, second and zone from a clock match, or None when it is not a time."""
    h, mi, s, ampm, zone_word, off = m.group("h", "mi", "s", "ampm", "zone", "off")
    lead = m["lead"]
    if mi is None and not P.CLOCK_LEAD.search(lead or ""):
        return None  # a bare number after a date is a count, not "3 o'clock"
    hour, minute = int(h), int(mi or 0)
    second = int(s) if s is not None else None
    if ampm:
        if 1 <= hour <= 12:
            hour = hour % 12 + (12 if ampm == "p" else 0)
        elif not ((hour == 0 and ampm == "a") or (12 < hour < 24 and ampm == "p")):
            raise ImpossibleClock(m[0])  # "13:05 PM" and "0:30 AM" are merely redundant
    elif pod:
        hour = twelve_hour(hour, pod)
    if hour > 24 or minute > 59 or (second or 0) > 59 or (hour == 24 and minute + (second or 0)):
        # "10.75" after a date may be a figure; "10:75", "pukul 25.00", "25.61 WIB" are times.
        if m["msep"] == ":" or lead or zone_word or off:
            raise ImpossibleClock(m[0])
        return None
    if zone_word:
        offset: int | None = ZONES[zone_word]
    else:
        offset = _offset(off, plain_offset_ok) if off else None
    micro = int(m["frac"].ljust(6, "0")) if m["frac"] else 0
    return Clock(hour, minute, second, offset, micro)


def twelve_hour(hour: int, pod: str) -> int:
    """``3 sore`` is 15:00, ``8 malam`` 20:00, ``2 dini hari`` 02:00; 24-hour readings stay."""
    if hour > 12:
        return hour
    part = PARTS_OF_DAY.get(" ".join(pod.split()), "morning")
    if part in {"early", "morning"}:
        return 0 if hour == 12 else hour
    if part == "midday":
        return hour + 12 if hour < 6 else hour
    if part == "afternoon":
        return hour + 12 if hour < 12 else hour
    # night: 6-11 are evening, 12 is midnight, 1-5 are the small hours
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
    hour, minute, second, offset, micro = clock
    tz = WIB if offset is None else zone(offset)
    if hour == 24:  # "pukul 24.00" is the next day's midnight
        value = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(days=1)
    else:
        value = datetime(day.year, day.month, day.day, hour, minute, second or 0, micro, tzinfo=tz)
    return ParsedDate(value, "minute" if second is None else "second")
