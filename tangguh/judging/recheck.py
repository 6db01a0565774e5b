"""Re-fetch judged entries and report those gone or changed since judging.

Winners must keep their post online (often for 12 months) and must not edit it after the
deadline; `recheck` compares each entry's current body with the snapshot kept by `judge run`
(`snapshots/`), and reports: gone (now unreachable), changed (text differs) with the word-count
difference and a line diff of the text, and the rules whose verdict would now differ. Meant
for cron: the exit code says whether anything changed.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .contest import Contest
from .entries import Entry
from .fetch import EntryFetcher, FetchedEntry
from .rules import judge
from .text import count_words

DIFF_LINES = 60


class RecheckError(ValueError):
    """No judged report to compare with."""


@dataclass
class Change:
    url: str
    row: int
    status: str  # "unchanged" | "changed" | "gone" | "back" (unreachable then, reachable now)
    words_before: int | None = None
    words_after: int | None = None
    reason: str | None = None
    diff: list[str] = field(default_factory=list)
    verdict_changes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def word_delta(self) -> int | None:
        if self.words_before is None or self.words_after is None:
            return None
        return self.words_after - self.words_before

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "row": self.row,
            "status": self.status,
            "words_before": self.words_before,
            "words_after": self.words_after,
            "word_delta": self.word_delta,
            "reason": self.reason,
            "diff": self.diff,
            "verdict_changes": self.verdict_changes,
        }


def load_judged(out: Path) -> tuple[list[dict[str, Any]], dict[str, FetchedEntry]]:
    report = out / "report.json"
    if not report.exists():
        raise RecheckError(f"{report} tidak ada; jalankan dulu `tangguh judge run`")
    records = json.loads(report.read_text(encoding="utf-8"))
    snapshots = {}
    for rec in records:
        path = out / rec["snapshot"]["file"]
        if path.exists():
            snapshots[rec["url"]] = FetchedEntry.from_dict(json.loads(path.read_text("utf-8")))
    return records, snapshots


def text_diff(before: str, after: str, *, limit: int = DIFF_LINES) -> list[str]:
    lines = list(
        difflib.unified_diff(
            before.splitlines(), after.splitlines(), "saat penjurian", "sekarang", lineterm="", n=1
        )
    )
    if len(lines) > limit:
        lines = lines[:limit] + [f"… ({len(lines) - limit} baris lagi)"]
    return lines


def recheck(contest: Contest, out: Path, fetcher: EntryFetcher) -> list[Change]:
    records, snapshots = load_judged(out)
    urls = [rec["url"] for rec in records]
    now = fetcher.fetch(urls)
    entries = [
        Entry(
            row=rec["row"],
            url=rec["url"],
            url_raw=rec["url"],
            name=rec.get("name"),
            email=rec.get("email"),
            submitted=datetime.fromisoformat(rec["submitted_at"])
            if rec.get("submitted_at")
            else None,
        )
        for rec in records
    ]
    new_verdicts = {v.entry.url: v for v in judge(contest, entries, now)}
    changes = []
    for rec in records:
        url = rec["url"]
        old = snapshots.get(url)
        new = now[url]
        old_ok = bool(rec["checks"].get("reachable", {}).get("passed"))
        change = Change(url=url, row=rec["row"], status="unchanged", words_before=rec["word_count"])
        if new.reachable:
            change.words_after = count_words(new.text)
        if old_ok and not new.reachable:
            change.status, change.reason = "gone", new.error
        elif not old_ok and new.reachable:
            change.status, change.reason = "back", "sekarang dapat diakses"
        elif old_ok and new.reachable and old is not None and old.text != new.text:
            change.status = "changed"
            change.diff = text_diff(old.text, new.text)
            if new.updated and (old.updated is None or new.updated > old.updated):
                change.reason = f"diperbarui {new.updated.isoformat()}"
        verdict = new_verdicts[url]
        for name, check in verdict.checks.items():
            before = rec["checks"].get(name, {}).get("passed")
            if check.passed is not None and before is not None and check.passed != before:
                change.verdict_changes[name] = {
                    "before": before,
                    "after": check.passed,
                    "evidence": check.evidence,
                }
        changes.append(change)
    return changes


def write_recheck(out: Path, changes: list[Change]) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"recheck-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "checked_at": datetime.now(UTC).isoformat(),
                "entries": [c.to_dict() for c in changes],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return path
