"""dateparser as a last resort for absolute dates the fast path does not know.

dateparser reads many odd spellings but also invents dates (regulation numbers become
days, a bare year becomes "today's month"), so its answer is only taken when the text
names a plausible year (1990 .. base year + 1) that the answer keeps, names the day it
claims, carries no document/money marker, and dateparser reports at least month
precision. Relative parsing is switched off here: "now" never comes out of the fallback.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from pipelines.dates_types import WIB, ParsedDate

_YEAR = re.compile(r"(?<![\d.,/-])(19[89]\d|20\d\d)(?![\d])")
_REFUSE = re.compile(
    r"(?<![a-z])(?:no|nomor|nomer|nmr|tahun|thn|rt|rw|rp|idr|perwali|perda|perbup|pergub"
    r"|permen\w*|pmk|pp|uu|sk|telp?|hp|kode\s+pos|pasal|ayat|covid|isbn|issn)(?![a-z])"
    r"|//|\d[.,]\d{3}(?!\d)"
)
_LETTERS = re.compile(r"[a-z]{3,}")
_MAX_LEN = 160


@lru_cache(maxsize=1)
def _parser() -> Any:
    """One DateDataParser for the process: building it costs milliseconds."""
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["id", "en"],
        settings={
            "DATE_ORDER": "DMY",
            "PARSERS": ["custom-formats", "absolute-time"],
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": ["month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


def fallback_parse(s: str, now: datetime) -> ParsedDate | None:
    """dateparser's reading of lower-cased ``s``, or None when it fails a sanity check."""
    if len(s) > _MAX_LEN or _REFUSE.search(s) or not _LETTERS.search(s):
        return None
    years = {int(y) for y in _YEAR.findall(s)}
    if not any(1990 <= y <= now.year + 1 for y in years):
        return None
    try:
        data = _parser().get_date_data(s)
    except Exception:  # dateparser raises assorted errors on odd input; it is a fallback
        return None
    value, period = data.date_obj, data.period
    if value is None or period not in {"day", "time", "month"} or value.year not in years:
        return None
    if period != "month" and not re.search(rf"(?<!\d)0?{value.day}(?!\d)", s):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=WIB)
    elif value.utcoffset() is not None:
        value = value.astimezone(timezone(value.utcoffset() or timedelta(0)))
    if period == "month":
        return ParsedDate(value.replace(day=1, hour=0, minute=0, second=0, microsecond=0), "month")
    # dateparser says "day" even when it read a clock time ("16 june 2020 10am").
    if period == "day" and not (value.hour or value.minute or value.second or value.microsecond):
        return ParsedDate(value, "day")
    precision = "second" if value.second or value.microsecond else "minute"
    return ParsedDate(value, precision)
