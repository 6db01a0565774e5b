"""Child process for `ScrapyEntryFetcher`: crawl the job's URLs and write what happened.

Run as `python -m tangguh.judging.fetch_worker JOB.json`. The job names the URLs, the crawl
settings and an output JSON Lines file. Two components are added to the crawl:
`CollectItemsPipeline` writes every item (post and comments), `OutcomeRecorder` (a
downloader middleware next to the engine, so it sees final responses after redirects and
retries) writes each request's final status or error, and `DroppedRecorder` notes requests the
duplicate filter dropped. The parent matches them to entry URLs.

Robots.txt is not obeyed here: each URL was submitted by its author for review, one page at a
time, like a link preview; a robots rule must not disqualify an entry.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any

_lock = threading.Lock()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _write(path: str, record: dict[str, Any]) -> None:
    line = json.dumps(record, ensure_ascii=False, default=_json_default)
    with _lock, open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


class CollectItemsPipeline:
    """Item pipeline writing each item to `TANGGUH_JUDGE_COLLECT`."""

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Any) -> CollectItemsPipeline:
        return cls(crawler.settings.get("TANGGUH_JUDGE_COLLECT"))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        data = item.to_dict() if hasattr(item, "to_dict") else dict(item)
        data.pop("published", None)  # derived objects; the parent re-parses the raw strings
        data.pop("updated", None)
        _write(self.path, {"type": "item", "item": data})
        return item


class OutcomeRecorder:
    """Downloader middleware writing each request's final status or error."""

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Any) -> OutcomeRecorder:
        return cls(crawler.settings.get("TANGGUH_JUDGE_COLLECT"))

    def _origin(self, request: Any) -> str:
        chain = request.meta.get("redirect_urls") or [request.url]
        return chain[0]

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        _write(
            self.path,
            {
                "type": "response",
                "url": self._origin(request),
                "final_url": response.url,
                "status": response.status,
            },
        )
        return response

    def process_exception(self, request: Any, exception: BaseException, spider: Any = None):
        _write(
            self.path,
            {
                "type": "error",
                "url": self._origin(request),
                "final_url": request.url,
                "error_type": type(exception).__name__,
                "error": str(exception)[:300],
            },
        )
        return None


class DroppedRecorder:
    """Extension noting requests the duplicate filter dropped.

    Two entry URLs that redirect to the same post (a short link, an old address) make the
    second redirect a duplicate request, which Scrapy drops silently; recording where it was
    going lets the parent give that entry the post the other request fetched.
    """

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Any) -> DroppedRecorder:
        from scrapy import signals

        ext = cls(crawler.settings.get("TANGGUH_JUDGE_COLLECT"))
        crawler.signals.connect(ext.request_dropped, signal=signals.request_dropped)
        return ext

    def request_dropped(self, request: Any, spider: Any = None) -> None:
        previous = request.meta.get("redirect_urls") or []
        chain = previous or [request.url]
        if request.url in previous:
            record = {"type": "error", "error_type": "RedirectLoop", "error": request.url}
        else:
            record = {"type": "dropped", "status": None}
        _write(self.path, {**record, "url": chain[0], "final_url": request.url})


def crawl_settings(job: dict[str, Any]) -> dict[str, Any]:
    """The job's settings plus our two components, merged into the project's own dicts."""
    from scrapers import settings as project

    settings = dict(job.get("settings") or {})
    middlewares = dict(getattr(project, "DOWNLOADER_MIDDLEWARES", {}))
    middlewares.update(settings.pop("DOWNLOADER_MIDDLEWARES", {}))
    middlewares["tangguh.judging.fetch_worker.OutcomeRecorder"] = 10
    pipelines = dict(settings.pop("ITEM_PIPELINES", {}))
    pipelines["tangguh.judging.fetch_worker.CollectItemsPipeline"] = 999
    extensions = dict(getattr(project, "EXTENSIONS", {}))
    extensions.update(settings.pop("EXTENSIONS", {}))
    extensions["tangguh.judging.fetch_worker.DroppedRecorder"] = 500
    settings.update(
        {
            "EXTENSIONS": extensions,
            "DOWNLOADER_MIDDLEWARES": middlewares,
            "ITEM_PIPELINES": pipelines,
            "TANGGUH_JUDGE_COLLECT": job["out"],
            "ROBOTSTXT_OBEY": False,
        }
    )
    settings.setdefault("LOG_LEVEL", "WARNING")
    return settings


def main(argv: list[str]) -> int:
    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    Path(job["out"]).touch()
    from scrapers.runner import run_crawl

    run_crawl([], settings=crawl_settings(job), urls=list(job["urls"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
