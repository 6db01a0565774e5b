"""The value pipelines.dates hands out: ParsedDate, plus the WIB zone it defaults to.

Kept in its own module so the parser's helpers (clock, relative, fallback) can build
ParsedDate values without importing the parser itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Literal

DatePrecision = Literal["month", "day", "minute", "second"]

WIB = timezone(timedelta(hours=7))  # Asia/Jakarta has had no DST since 1964


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date: an aware datetime in the text's own offset, plus its precision.

    Month and day precision values are local midnight of the first day they cover;
    "second" precision may carry the fraction of a second the source gave.
    """

    value: datetime
    precision: DatePrecision

    def __post_init__(self) -> None:
        tz = self.value.tzinfo
        if tz is None or (tz is not WIB and self.value.utcoffset() is None):
            raise ValueError("ParsedDate.value must be timezone-aware")

    def isoformat(self) -> str:
        """``YYYY-MM``, ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS+07:00`` by precision.

        A fraction of a second the source gave ("10:21:33.250", epoch milliseconds) is
        kept, in milliseconds unless it was finer; a whole second has no fraction.
        """
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        if self.precision == "day":
            return self.value.date().isoformat()
        micro = self.value.microsecond
        if not micro:
            return self.value.isoformat(timespec="seconds")
        return self.value.isoformat(timespec="microseconds" if micro % 1000 else "milliseconds")

    @property
    def utc(self) -> datetime:
        """The same instant in UTC (what the store indexes and compares)."""
        return self.value.astimezone(UTC)

    @property
    def offset_minutes(self) -> int:
        """The original UTC offset in minutes (420 for WIB)."""
        offset = self.value.utcoffset()
        assert offset is not None  # guaranteed by __post_init__
        return int(offset.total_seconds() // 60)

    def __str__(self) -> str:
        return self.isoformat()


@lru_cache(maxsize=64)
def zone(offset_minutes: int) -> timezone:
    """A fixed-offset tzinfo (shared instances: WIB itself for +07:00)."""
    return WIB if offset_minutes == 420 else timezone(timedelta(minutes=offset_minutes))


def midnight(day: date) -> ParsedDate:
    """Day precision: local (WIB) midnight of ``day``."""
    return ParsedDate(datetime(day.year, day.month, day.day, tzinfo=WIB), "day")
