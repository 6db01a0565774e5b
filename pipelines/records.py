"""Document records (design.md's JSON Lines schema) to items, for `tangguh import`/`replay`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapers.items import DocumentItem
from store.repo import RECORD_FIELDS

# The record schema is the export's: one list of fields, kept in store.repo.
_STRING_FIELDS = set(RECORD_FIELDS) - {"fetched_at"}


class RecordError(ValueError):
    """A record that cannot be imported; the message says why."""


def record_to_item(record: Any, *, source: str | None = None) -> DocumentItem:
    if not isinstance(record, dict):
        raise RecordError(f"expected a JSON object, got {type(record).__name__}")
    missing = [f for f in ("url", "text") if not record.get(f)]
    if missing:
        raise RecordError(f"missing required field(s): {', '.join(missing)}")
    for name in _STRING_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise RecordError(f"field {name!r} must be a string, not {type(value).__name__}")
    fetched_at = None
    if record.get("fetched_at"):
        try:
            fetched_at = datetime.fromisoformat(str(record["fetched_at"]))
        except ValueError as exc:
            raise RecordError(f"fetched_at is not ISO 8601: {record['fetched_at']!r}") from exc
    kind = record.get("kind") or ("comment" if record.get("parent_url") else "article")
    item = DocumentItem(
        url=record["url"].strip(),
        kind=kind,
        text=record["text"],
        platform=record.get("platform") or "generic",
        site=record.get("site"),
        title=record.get("title"),
        author=record.get("author"),
        published_raw=record.get("published_raw") or record.get("published_at"),
        parent_url=record.get("parent_url"),
        reply_to=record.get("reply_to"),
        fetched_at=fetched_at,
        source=source,
    )
    if record.get("published_at"):
        item.extra["published_at"] = record["published_at"]
    return item


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str


def read_jsonl(path: Path) -> Iterator[tuple[int, DocumentItem | BadLine]]:
    """(line number, item or the reason the line is bad) for every non-blank line."""
    with path.open("r", encoding="utf-8", errors="strict") as fh:
        line_no = 0
        while True:
            try:
                line = fh.readline()
            except UnicodeDecodeError as exc:
                yield line_no + 1, BadLine(line_no + 1, f"not UTF-8: {exc.reason}")
                return
            if not line:
                return
            line_no += 1
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield line_no, BadLine(line_no, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            try:
                yield line_no, record_to_item(record)
            except RecordError as exc:
                yield line_no, BadLine(line_no, str(exc))
