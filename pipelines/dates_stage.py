"""The dates stage of the pipeline chain: published/updated from the raw strings.

Each raw string is read by ``pipelines.dates.parse_date`` against the base that fits it:
the fetch time for relative dates ("kemarin"), the page's URL date for year-less ones
("Rabu (17/6)"), the post's date for a comment stamped with a time only ("10:21"). The raw
strings are kept; a date that cannot be read is null and counted, never "now".
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from pipelines.dates import ParsedDate, day_less_stamp, parse_date
from pipelines.dates_types import WIB
from scrapers.items import DocumentItem

log = logging.getLogger(__name__)


def aware(value: datetime | None) -> datetime:
    """A stored or fetched time as an aware datetime (naive means UTC; None means now)."""
    if value is None:
        return datetime.now(UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def normalise_dates(
    item: DocumentItem,
    stats: Counter,
    post_date: Callable[[str], ParsedDate | None] | None = None,
) -> None:
    """published/updated from the raw strings; relative dates count from fetched_at.

    ``post_date`` gives the date of a comment's post (by its URL): a comment stamped with a
    time only ("10:21", "Posted at 10:21 AM") was written on its post's day.
    """
    base = aware(item.fetched_at)
    # Most exact first: a Blogger permalink's epoch ms, an imported ISO value, the raw text.
    candidates = [item.extra.get("published_ms"), item.extra.get("published_at")]
    raw_candidates = [str(c) for c in candidates if c]
    if item.published_raw:
        raw_candidates.append(item.published_raw)
    item.published = None
    for raw in raw_candidates:
        raw_base = _base_for(item, raw, base, post_date)
        if raw_base is None:
            continue
        item.published = parse_date(raw, base=raw_base)
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
    elif item.published is not None and item.extra.get("date_shown"):
        shown = parse_date(item.extra["date_shown"], base=item.published.value)
        if shown is not None:
            item.published = in_shown_zone(item.published, shown)


_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])(?:/(0[1-9]|[12]\d|3[01]))?(?:/|\.html|$)")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_RELATIVE = re.compile(r"\b(lalu|kemarin|hari ini|baru saja|tadi|ago|yesterday|today)\b", re.I)


def _base_for(
    item: DocumentItem,
    raw: str,
    fetched: datetime,
    post_date: Callable[[str], ParsedDate | None] | None,
) -> datetime | None:
    """The base ``raw`` is read against, or None when nothing can place it.

    A stamp without a calendar day ("10:21", "Senin") needs a day from somewhere: a
    comment's time takes its post's date; a comment's weekday (and a time whose post date is
    unknown) reads as the page showed it when it was fetched. A post or article has only its
    URL's day: resolving its "Posted by X at 10:21 AM" against the fetch time would date
    a 2020 post to the day it was crawled.
    """
    stamp = day_less_stamp(raw)
    if stamp is None:
        return _context_base(item, raw) or fetched
    if item.kind == "comment":
        post = (
            post_date(item.parent_url)
            if stamp == "time" and item.parent_url and post_date
            else None
        )
        return post.value if post is not None and post.precision != "month" else fetched
    return _context_base(item, raw, need_day=True)


def _context_base(item: DocumentItem, raw: str, *, need_day: bool = False) -> datetime | None:
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
    if need_day and not day:
        return None
    try:
        if day:
            end = datetime(year, month, day, 23, 59, tzinfo=WIB)
        else:
            end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=WIB) - timedelta(minutes=1)
    except ValueError:
        return None
    fetched = aware(item.fetched_at)
    return end if end <= fetched else None


# Offsets tried, after the metadata's own, when a page shows only the day: Indonesia's three
# zones (WIB, WITA, WIT), then UTC.
_LOCAL_OFFSETS = (7 * 60, 8 * 60, 9 * 60, 0)


def in_shown_zone(meta: ParsedDate, shown: ParsedDate) -> ParsedDate:
    """The metadata's instant in the offset of the date the page shows.

    Metadata often gives UTC (``2020-06-14T22:00:00Z``) where the page shows local time
    ("15 Juni 2020 05:00 WIB"): the instant is the same, but stored in UTC the article
    would be dated the day before. A shown time gives the offset exactly (its wall clock
    minus the instant); a shown day picks the first offset that lands on that day. A shown
    date that is another moment (an "updated" line) changes nothing; a shown time on a
    metadata date with no time of its own is taken as the more precise answer.
    """
    timed = ("minute", "second")
    if meta.precision not in timed:
        if shown.precision in timed and shown.value.date() == meta.value.date():
            return shown
        return meta
    if shown.precision in timed:
        offset = shown.value.replace(tzinfo=None) - meta.utc.replace(tzinfo=None)
        if abs(offset) <= timedelta(hours=14) and not offset % timedelta(minutes=15):
            return ParsedDate(meta.utc.astimezone(timezone(offset)), meta.precision)
        return meta
    if shown.precision != "day" or meta.value.date() == shown.value.date():
        return meta
    for minutes in _LOCAL_OFFSETS:
        local = meta.utc.astimezone(timezone(timedelta(minutes=minutes)))
        if local.date() == shown.value.date():
            return ParsedDate(local, meta.precision)
    return meta


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
