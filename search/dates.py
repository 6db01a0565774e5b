"""Date bounds for documents and for ``--since`` / ``--until``.

Why bounds: documents carry partial dates ("2020-06" when a blog only shows the month), so each
document gets the first and last day it may have been published (Jakarta local dates, as the
exported ``published_at`` is). A filter keeps a document when that span overlaps the asked range;
a document without any date is left out whenever a date filter is given.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta, timezone

JAKARTA = timezone(timedelta(hours=7))
_PARTIAL = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _span(text: str) -> tuple[date, date] | None:
    m = _PARTIAL.match(text)
    if not m:
        return None
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    try:
        if mo is None:
            return date(y, 1, 1), date(y, 12, 31)
        if d is None:
            return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        day = date(y, mo, d)
        return day, day
    except ValueError:
        return None


def doc_bounds(published_at: str | None, published_utc: datetime | None) -> tuple[str, str] | None:
    """First and last possible publication day (ISO strings), or ``None`` when unknown."""
    span = _span(published_at) if published_at else None
    if span is None and published_utc is not None:
        when = published_utc if published_utc.tzinfo else published_utc.replace(tzinfo=UTC)
        day = when.astimezone(JAKARTA).date()
        span = (day, day)
    if span is None:
        return None
    return span[0].isoformat(), span[1].isoformat()


def parse_bound(text: str | None, *, end: bool) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the first (``end=False``) or last day."""
    if text is None or not str(text).strip():
        return None
    text = str(text).strip()
    if not re.fullmatch(r"\d{4}(-\d{1,2}(-\d{1,2})?)?", text):
        raise ValueError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    span = _span(text)
    if span is None:
        raise ValueError(f"not a valid date: {text!r}")
    return span[1 if end else 0].isoformat()
