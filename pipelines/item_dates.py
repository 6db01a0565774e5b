"""The dates stage of the pipeline chain: an item's published/updated times from its raw
strings (a permalink's epoch ms, an imported ISO value, the page's text), with the page's
own URL date as context for year-less dates and the site's offset kept."""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone

from pipelines.dates import ParsedDate, parse_date
from pipelines.dates_types import WIB
from scrapers.items import DocumentItem

log = logging.getLogger("pipelines.chain")


def aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def normalise_dates(item: DocumentItem, stats: Counter) -> None:
    """published/updated from the raw strings; relative dates count from fetched_at."""
    base = aware(item.fetched_at)
    # Most exact first: a Blogger permalink's epoch ms, an imported ISO value, the raw text.
    candidates = [item.extra.get("published_ms"), item.extra.get("published_at")]
    raw_candidates = [str(c) for c in candidates if c]
    if item.published_raw:
        raw_candidates.append(item.published_raw)
    item.published = None
    for raw in raw_candidates:
        item.published = parse_date(raw, base=_context_base(item, raw) or base)
        if item.published is not None:
            break
    if item.published_raw and item.published is None:
        stats["dates/unparsed"] += 1
        log.info("unparsed date %r at %s", item.published_raw, item.url)
    elif item.published is not None:
        stats["dates/parsed"] += 1
    item.updated = parse_date(item.updated_raw, base=base) if item.updated_raw else None
    if item.published is not None and item.extra.get("date_local"):
        item.published = with_local_offset(item.published, item.extra["date_local"])


_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])(?:/(0[1-9]|[12]\d|3[01]))?(?:/|\.html|$)")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_RELATIVE = re.compile(r"\b(lalu|kemarin|hari ini|baru saja|tadi|ago|yesterday|today)\b", re.I)


def _context_base(item: DocumentItem, raw: str) -> datetime | None:
    """The page's own date (from its URL) as context for a year-less date such as
    `Rabu (17/6)`: resolving it against the fetch time would put a 2020 article in the
    year it was crawled. Posts and articles only; relative dates still count from the
    fetch, and a comment may be written long after its post's URL date."""
    if item.kind == "comment" or _HAS_YEAR.search(raw) or _RELATIVE.search(raw):
        return None
    match = _URL_DATE.search(item.url)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 0)
    try:
        if day:
            end = datetime(year, month, day, 23, 59, tzinfo=WIB)
        else:
            end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=WIB) - timedelta(minutes=1)
    except ValueError:
        return None
    fetched = aware(item.fetched_at)
    return end if end <= fetched else None


def with_local_offset(parsed: ParsedDate, local: str) -> ParsedDate:
    """Re-express a UTC instant in the site's own offset, given its naive local time.

    WordPress REST gives `date_gmt` (the instant) and `date` (the wall clock); the
    difference is the blog's offset, which the export should keep (+07:00, not Z).
    """
    try:
        naive = datetime.fromisoformat(local)
    except ValueError:
        return parsed
    if naive.tzinfo is not None:
        return parsed
    offset = naive - parsed.utc.replace(tzinfo=None)
    if abs(offset) > timedelta(hours=14) or offset % timedelta(minutes=15):
        return parsed
    return ParsedDate(parsed.utc.astimezone(timezone(offset)), parsed.precision)
