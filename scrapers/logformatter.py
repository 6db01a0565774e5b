"""Scrapy log lines about items, one line each: the item's URL and what happened.

Scrapy's own formatter prints the whole item; ours carry the raw page (`body_html`, the
snapshot bytes), so one dropped item filled the terminal. The item is named by its URL
(and kind); its content stays in the store, the dead-letter file or the snapshot.
Setting: ``LOG_FORMATTER = "scrapers.logformatter.OneLineLogFormatter"``.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import logformatter


def item_name(item: Any) -> str:
    """``post https://...`` for our items, the class name and URL for anything else."""
    url = getattr(item, "url", None)
    if url is None and isinstance(item, dict):
        url = item.get("url")
    kind = getattr(item, "kind", None) or type(item).__name__
    return f"{kind} {url}" if url else kind


class OneLineLogFormatter(logformatter.LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None):
        if (level := getattr(exception, "log_level", None)) is None:
            level = logging.WARNING
        if isinstance(level, str):
            level = getattr(logging, level.upper(), logging.WARNING)
        return {
            "level": level,
            "msg": "Dropped %(item)s: %(exception)s",
            "args": {"item": item_name(item), "exception": _first_line(exception)},
        }

    def scraped(self, item: Any, response: Any, spider: Any = None):
        return {
            "level": logging.DEBUG,
            "msg": "Scraped %(item)s",
            "args": {"item": item_name(item)},
        }

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any = None):
        return {
            "level": logging.ERROR,
            "msg": "Error processing %(item)s: %(exception)s",
            "args": {"item": item_name(item), "exception": _first_line(exception)},
        }


def _first_line(exception: BaseException) -> str:
    lines = str(exception).splitlines()
    return lines[0] if lines else type(exception).__name__
