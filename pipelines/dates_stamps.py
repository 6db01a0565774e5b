"""Stamps with a time or a weekday but no calendar day, resolved against the base.

Blogger's post footer says "Posted by Rina at 10:21 AM" (the date is in a header elsewhere),
comment lists say "10:21", "pukul 20.00" or "Senin 10.21", feeds of recent activity say
"Senin". A time alone takes the base's date (in the chain, a comment's time-only stamp takes
its post's date as base); a weekday takes the nearest such weekday on or before the base,
the base's own day included (with a time, the latest such moment at or before the base).

Only a whole stamp is read this way, never a weekday or a time inside a sentence: "Jam
buka: Senin - Jumat, 08.00 - 15.00" is opening hours, "Min, kapan?" addresses the admin
("Min" alone is no Sunday: an abbreviated weekday needs a time beside it), "10.21" or
"02:46" alone is a figure or a video's length (a time needs a lead word, AM/PM, a zone,
"Uhr", a part of the day, a weekday or a byline), and "jam 3" is too weak (an hour without
minutes needs AM/PM or a part of the day).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from pipelines import dates_patterns as P
from pipelines.dates_clock import Clock, ImpossibleClock, read_clock
from pipelines.dates_types import WIB, ParsedDate, midnight, zone
from pipelines.dates_vocab import FULL_WEEKDAYS, WEEKDAYS

MAX_STAMP = 120  # a stamp is short; longer text is a sentence

StampKind = Literal["time", "weekday"]


def read_stamp(low: str, base: datetime | None) -> ParsedDate | None:
    """The moment a day-less stamp names, counted from ``base`` (None: now in WIB)."""
    found = _match(low)
    if found is None:
        return None
    weekday, clock = found
    now = _base(base)
    if weekday is None:
        assert clock is not None
        return _at(now, now.date(), clock)
    back = (now.weekday() - weekday) % 7
    day = now.date() - timedelta(days=back)
    if clock is None:
        return midnight(day)
    moment = _at(now, day, clock)
    if moment.value > now:  # "Senin 22.00" read on a Monday morning: last week's
        moment = _at(now, day - timedelta(days=7), clock)
    return moment


def stamp_kind(low: str) -> StampKind | None:
    """ "time" or "weekday" when ``low`` is a day-less stamp, else None."""
    found = _match(low)
    if found is None:
        return None
    return "time" if found[0] is None else "weekday"


def _match(low: str) -> tuple[int | None, Clock | None] | None:
    """(weekday or None, clock or None) of a valid day-less stamp, else None."""
    if len(low) > MAX_STAMP:
        return None
    m = P.STAMP.match(low)
    if m is None:
        return None
    word = m["wd"] or m["wd2"]
    if (m["wd"] and m["wd2"]) or (word is None and m["h"] is None) or m["range"]:
        return None  # nothing named, "Senin - Jumat", or opening hours "08.00 - 15.00"
    clock = None
    if m["h"] is not None:
        pod = m["pod2"] or m["pod1"]
        if m["mi"] is None and not (m["ampm"] or (m["lead"] and pod)):
            return None  # "jam 3", "Senin 2": a count as often as an hour
        marked = m["lead"] or m["ampm"] or m["zone"] or m["off"] or m["oclock"] or pod
        if not (marked or word or m["by"]):
            return None  # "10.21" alone is a figure, "02:46" a video's length
        try:
            clock = read_clock(m, pod, True)
        except ImpossibleClock:
            return None  # "25:61": never a date, never "now"
        if clock is None:
            return None
    elif word not in FULL_WEEKDAYS:
        return None  # "Min," alone: an abbreviation needs a time beside it
    return (WEEKDAYS[word] if word else None), clock


def _base(base: datetime | None) -> datetime:
    """The base on the clock a stamp without a zone was written in.

    A post's date keeps its own offset (a WITA blog's comment "22:21" is 22:21 WITA). A UTC
    base is a machine's clock (the fetch time), not the page's zone: it is read in WIB, like
    a naive base and like every time the parser reads without a zone.
    """
    if base is None:
        return datetime.now(WIB)
    if base.tzinfo is None or base.utcoffset() is None:
        return base.replace(tzinfo=WIB)
    if not base.utcoffset():
        return base.astimezone(WIB)
    return base


def _at(now: datetime, day: date, clock: Clock) -> ParsedDate:
    """``day`` at ``clock``, in the clock's zone, else the base's."""
    hour, minute, second, offset, micro = clock
    tz = now.tzinfo if offset is None else zone(offset)
    value = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(
        hours=hour, minutes=minute, seconds=second or 0, microseconds=micro
    )
    return ParsedDate(value, "minute" if second is None else "second")
