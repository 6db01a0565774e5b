"""Spider middleware: follow each requested URL's own request chain to its outcome.

Spiders that fetch URLs a user listed (`FetchSpider`) turn it on and mark their start
requests with ``meta[ENTRY]`` (the URL as listed) and ``meta[ALIASES]`` (other listed URLs
that are the same page). From there this middleware:

- gives every request of the chain the entry it serves and a token per logical request
  (redirects and retries copy the meta, so they stay the same request; comment pages and
  article parts get the entry here, when the callback yields them);
- records the entry's answer (final URL, status, redirect chain, the address the page declares
  for itself), the exception that ended it, the spider's reason for passing a page over
  (``meta[SKIPPED]``), and every item with what the item pipelines did with it;
- finishes the entry (`Outcomes.finish`) once none of its requests is open and none of its
  items is still in the pipelines, so a caller can keep each result before the run ends.

`PerEntryFingerprinter` makes the duplicate filter work within one entry's chain: two listed
URLs that redirect to the same page (two short links) each get their own answer, while a
redirect loop inside one chain is still caught, and named.

It sits next to the engine (order 10), so it sees what every other spider middleware let
through. Settings: ``TANGGUH_OUTCOMES`` (a `scrapers.outcomes.Outcomes`; one is made when
absent). Stats: ``tangguh/outcome/<reason>`` (``ok`` for success) per finished URL.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import weakref
from collections import Counter
from typing import Any

from scrapy import Request, signals
from scrapy.http import Response, TextResponse
from scrapy.utils.request import RequestFingerprinter
from scrapy.utils.spider import iterate_spider_output
from twisted.python.failure import Failure

from scrapers.items import DocumentItem
from scrapers.outcomes import ALIASES, ENTRY, SKIPPED, Outcomes
from scrapers.pages.declared import declared_addresses

log = logging.getLogger(__name__)

TOKEN = "tangguh_entry_token"
ROOT = "tangguh_entry_root"  # the listed URL's own request (and its redirects, retries)


class EntryTracker:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.outcomes: Outcomes = crawler.settings.get("TANGGUH_OUTCOMES") or Outcomes()
        self._open: dict[str, set[int]] = {}  # entry -> tokens of its open requests
        self._in_pipelines: dict[int, tuple[str, Any]] = {}  # id(item) -> (entry, item)
        self._items_open: Counter = Counter()  # entry -> its items still in the pipelines
        self._aliases: dict[str, list[str]] = {}
        self._adopted: weakref.WeakSet = weakref.WeakSet()
        self._tokens = itertools.count(1)
        crawler.signals.connect(self._request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(self._item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self._item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self._item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Any) -> EntryTracker:
        return cls(crawler)

    # --- requests ------------------------------------------------------------------------

    async def process_start(self, start: Any) -> Any:
        async for out in start:
            if isinstance(out, Request) and ENTRY in out.meta and out not in self._adopted:
                entry = out.meta[ENTRY]
                self.outcomes.begin(entry)
                self._aliases[entry] = list(out.meta.get(ALIASES) or [])
                self._track(entry, out, root=True)
            yield out

    def _track(self, entry: str, request: Request, *, root: bool) -> None:
        token = next(self._tokens)
        request.meta.update({ENTRY: entry, TOKEN: token, ROOT: root})
        request.meta.pop(SKIPPED, None)  # a child request may carry a copy of its parent's meta
        # Every failure of the chain ends here, whatever the spider's own errback does.
        request.errback = _Errback(self, entry, token, root, request.errback)
        self._open.setdefault(entry, set()).add(token)
        self._adopted.add(request)

    def _adopt(self, entry: str, out: Any) -> None:
        """A callback's output joins its entry: requests are tracked, items counted."""
        if isinstance(out, Request):
            if out not in self._adopted:
                self._track(entry, out, root=False)
            return
        if out is None or id(out) in self._in_pipelines:
            return
        outcome = self.outcomes.begin(entry)
        if isinstance(out, DocumentItem):
            if out.kind == "comment":
                outcome.comments += 1
            else:
                outcome.documents += 1
                if not (out.text or "").strip():
                    outcome.empty_documents += 1
        if self.outcomes.keep_items:
            outcome.items.append(out)
        self._in_pipelines[id(out)] = (entry, out)
        self._items_open[entry] += 1

    # --- answers -------------------------------------------------------------------------

    def process_spider_output(self, response: Any, result: Any, spider: Any = None) -> Any:
        meta = _meta(response)
        if meta is None or TOKEN not in meta:
            return result
        return self._follow(meta[ENTRY], meta[TOKEN], bool(meta.get(ROOT)), response, result)

    async def process_spider_output_async(
        self, response: Any, result: Any, spider: Any = None
    ) -> Any:
        meta = _meta(response)
        if meta is None or TOKEN not in meta:
            async for out in result:
                yield out
            return
        entry, token, root = meta[ENTRY], meta[TOKEN], bool(meta.get(ROOT))
        async for out in self._follow_async(entry, token, root, response, result):
            yield out

    def process_spider_exception(self, response: Any, exception: Any, spider: Any = None) -> None:
        meta = _meta(response)
        if meta is not None and TOKEN in meta:
            root = bool(meta.get(ROOT))
            if root:
                self.outcomes.begin(meta[ENTRY]).error = exception
            self._close(meta[ENTRY], meta[TOKEN], root, response)

    def _follow(self, entry: str, token: int, root: bool, source: Any, result: Any) -> Any:
        self._answered(entry, root, source)
        try:
            for out in result:
                self._adopt(entry, out)
                yield out
        finally:
            self._close(entry, token, root, source)

    async def _follow_async(
        self, entry: str, token: int, root: bool, source: Any, result: Any
    ) -> Any:
        self._answered(entry, root, source)
        try:
            async for out in result:
                self._adopt(entry, out)
                yield out
        finally:
            self._close(entry, token, root, source)

    def _answered(self, entry: str, root: bool, response: Any) -> None:
        """The listed URL's own answer: where it ended, and what the page says it is."""
        if root and isinstance(response, Response):
            self._note_answer(self.outcomes.begin(entry), response)

    def _failed(self, entry: str, root: bool, failure: Failure) -> None:
        if not root:
            return  # a comment page that failed does not fail the post
        outcome = self.outcomes.begin(entry)
        outcome.error = failure.value
        response = getattr(failure.value, "response", None)  # HttpError: a status not asked for
        if isinstance(response, Response):
            self._note_answer(outcome, response)

    @staticmethod
    def _note_answer(outcome: Any, response: Response) -> None:
        if outcome.status is not None:
            return
        outcome.final_url, outcome.status = response.url, response.status
        outcome.redirects = list(response.meta.get("redirect_urls") or [])
        if 300 <= response.status < 400:
            location = response.headers.get(b"Location")
            outcome.location = location.decode("latin-1") if location else None
        if isinstance(response, TextResponse) and response.status == 200:
            try:
                outcome.declared = declared_addresses(response.url, response.selector)
            except (ValueError, AttributeError):  # not parseable as HTML: nothing declared
                outcome.declared = {}

    def _close(self, entry: str, token: int, root: bool, source: Any) -> None:
        if root:
            meta = _meta(source)
            skipped = meta.get(SKIPPED) if meta is not None else None
            if skipped:
                self.outcomes.begin(entry).skipped = skipped
        open_tokens = self._open.get(entry)
        if open_tokens is not None:
            open_tokens.discard(token)
        self._maybe_finish(entry)

    # --- signals -------------------------------------------------------------------------

    def _request_dropped(self, request: Request, spider: Any = None) -> None:
        meta = request.meta
        if TOKEN not in meta:
            return
        entry = meta[ENTRY]
        if meta.get(ROOT) and request.url in (meta.get("redirect_urls") or []):
            outcome = self.outcomes.begin(entry)
            outcome.reason, outcome.detail = "redirect_loop", request.url
            outcome.final_url = request.url
        self._close(entry, meta[TOKEN], False, None)

    def _item_scraped(self, item: Any, response: Any = None, spider: Any = None) -> None:
        self._item_done(item, None)

    def _item_dropped(self, item: Any, response: Any = None, exception: Any = None, **kw: Any):
        self._item_done(item, exception)

    def _item_error(self, item: Any, response: Any = None, failure: Any = None, **kw: Any):
        self._item_done(item, getattr(failure, "value", failure))

    def _item_done(self, item: Any, exception: BaseException | None) -> None:
        found = self._in_pipelines.pop(id(item), None)
        if found is None:
            return
        entry, _ = found
        self._items_open[entry] -= 1
        if isinstance(item, DocumentItem) and item.kind != "comment":
            outcome = self.outcomes.begin(entry)
            if exception is not None:
                outcome.rejected.append(str(exception))
            else:  # through the pipelines: the URL it is stored under (canonical)
                outcome.stored.append(item.url)
        self._maybe_finish(entry)

    def _maybe_finish(self, entry: str) -> None:
        if self._open.get(entry) or self._items_open.get(entry):
            return
        outcome = self.outcomes.by_url.get(entry)
        if outcome is None or outcome.finished:
            return
        self._open.pop(entry, None)
        self._items_open.pop(entry, None)
        try:
            self.outcomes.finish(outcome, self._aliases.pop(entry, []))
        except Exception:  # a caller's on_done must not break the crawl
            log.exception("could not hand over the outcome of %s", entry)
        self.stats.inc_value(f"tangguh/outcome/{outcome.reason or 'ok'}")


class _Errback:
    """A tracked request's errback: note the failure, run the spider's own errback, close."""

    def __init__(self, tracker: EntryTracker, entry: str, token: int, root: bool, own: Any):
        self.tracker, self.entry, self.token, self.root, self.own = (
            tracker,
            entry,
            token,
            root,
            own,
        )

    def __call__(self, failure: Failure) -> Any:
        tracker = self.tracker
        tracker._failed(self.entry, self.root, failure)
        try:
            output = self.own(failure) if self.own is not None else failure
        except BaseException:
            tracker._close(self.entry, self.token, self.root, None)
            raise
        if output is None or isinstance(output, Failure):
            tracker._close(self.entry, self.token, self.root, None)
            return output  # a Failure goes on to Scrapy's own error logging
        follow = tracker._follow_async if hasattr(output, "__aiter__") else tracker._follow
        return follow(self.entry, self.token, self.root, failure, iterate_spider_output(output))


class PerEntryFingerprinter:
    """Request fingerprints that include the entry a request serves (see the module doc)."""

    def __init__(self, crawler: Any = None) -> None:
        self._base = RequestFingerprinter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> PerEntryFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        base = self._base.fingerprint(request)
        entry = request.meta.get(ENTRY)
        if entry is None:
            return base
        return hashlib.sha1(base + entry.encode("utf-8", "surrogatepass")).digest()


def _meta(response: Any) -> dict | None:
    try:
        return response.meta
    except AttributeError:  # a Failure, or a response without its request
        return None
