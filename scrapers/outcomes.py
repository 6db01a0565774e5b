"""What became of each URL a user asked for: one outcome per requested URL.

`tangguh fetch`, `tangguh judge run` and `bench/judge.py` hand the crawl a list of URLs and
must say, for every one of them, what it gave: documents, or why not. The outcome is
recorded from the URL's own request chain (redirects, retries, comment pages) by
`scrapers.middlewares.outcomes.EntryTracker`, never by comparing URLs afterwards: a page
may name itself differently (a canonical on the blogspot address, an archived copy).

A reason is a short code; `describe()` words it in English for the CLI, and the judging
package words the same codes in Indonesian. Codes:

- success: ``None`` (documents came back), ``unchanged`` (304: the stored copy is current),
  ``same_page`` (a variant of another URL in the list, fetched once under that one);
- refused before asking: ``private_address``, ``scheme``, ``robots``;
- no usable answer: ``http_status``, ``timeout``, ``dns``, ``connection_refused``,
  ``connection``, ``redirect_loop``, ``too_many_redirects``, ``too_large``, ``error``;
- an answer with nothing in it: ``not_html``, ``empty``, ``block_page``, ``login``,
  ``not_article`` (no post or article recognised), ``no_text`` (recognised, no text),
  ``rejected`` (the pipelines refused the document), ``off_topic``;
- ``unfinished``: the run stopped before the URL's chain finished.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from scrapers.pages.declared import elsewhere

# Request meta keys: the URL as the user listed it (set by the spider on its start requests,
# carried by every request of the chain), other listed URLs that are the same page, and
# why a spider passed an answer over (``not_html: application/pdf``, set by the callback).
ENTRY = "tangguh_entry"
ALIASES = "tangguh_entry_aliases"
SKIPPED = "tangguh_skipped"

SUCCESS = (None, "unchanged", "same_page")
_WEB = ("http", "https")
# Redirect targets that mean "this blog is private": the platform's login pages.
LOGIN_PAGES = ("accounts.google.com/", "www.blogger.com/blogin", "wordpress.com/log-in")

_WORDS = {
    "unchanged": "unchanged since the stored copy (HTTP 304)",
    "same_page": "same page as {detail}",
    "private_address": "refused: {detail} is a private, loopback or link-local address "
    "(pass --allow-private, or set TANGGUH_ALLOW_PRIVATE=1, to fetch it)",
    "scheme": "refused: only http and https are fetched ({detail})",
    "robots": "refused by the site's robots.txt ({detail})",
    "http_status": "HTTP {detail}",  # with the reason phrase, see `describe`
    "timeout": "timed out ({detail})",
    "dns": "host {detail} not found (DNS)",
    "connection_refused": "connection refused by the server",
    "connection": "connection failed: {detail}",
    "redirect_loop": "redirect loop at {detail}",
    "too_many_redirects": "too many redirects",
    "too_large": "page larger than the download limit",
    "error": "download failed: {detail}",
    "not_html": "not a web page ({detail})",
    "empty": "empty page",
    "block_page": "a bot check or block page instead of the post",
    "login": "private blog: redirected to a login page ({detail})",
    "not_article": "no post or article recognised on the page",
    "no_text": "no text on the page",
    "rejected": "the page's document was refused: {detail}",
    "off_topic": "off topic for its source",
    "unfinished": "not finished: the run stopped before this URL was done",
}


@dataclass
class UrlOutcome:
    """What one requested URL produced, from its own request chain."""

    url: str
    final_url: str | None = None  # the URL that answered, after redirects
    status: int | None = None
    redirects: list[str] = field(default_factory=list)  # the chain before final_url
    declared: dict[str, str] = field(default_factory=dict)  # canonical / og:url of the page
    location: str | None = None  # where a final 3xx pointed (a redirect we did not follow)
    reason: str | None = None
    detail: str = ""
    documents: int = 0  # posts and articles the chain yielded
    comments: int = 0
    stored: list[str] = field(default_factory=list)  # URLs the stored posts/articles took
    items: list[Any] = field(default_factory=list)  # kept only when the collector asks
    aliases: list[str] = field(default_factory=list)  # listed variants of the same page
    # filled while the chain runs, read by `classify`
    error: BaseException | None = None
    skipped: str | None = None  # why a spider passed the page over (not_html, ...)
    rejected: list[str] = field(default_factory=list)  # pipeline drop reasons
    empty_documents: int = 0  # documents without any text
    finished: bool = False

    @property
    def ok(self) -> bool:
        return self.finished and self.reason in SUCCESS

    @property
    def declared_elsewhere(self) -> dict[str, str]:
        """The page's own address claims that name another host than the one that served it."""
        return elsewhere(self.final_url, self.declared) if self.final_url else {}

    def describe(self) -> str:
        if self.reason is None:
            found = f"{self.documents} document(s), {self.comments} comment(s)"
            return f"{found} from {self.final_url}" if self.moved else found
        detail = self.detail
        if self.reason == "http_status" and detail.isdigit():
            detail = f"{detail} ({_phrase(int(detail))})"
        return _WORDS.get(self.reason, self.reason).format(detail=detail)

    @property
    def moved(self) -> bool:
        return bool(self.final_url and self.final_url != self.url)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (run records, reports); the items are not included."""
        return {
            "url": self.url,
            "ok": self.ok,
            "reason": self.reason,
            "detail": self.detail,
            "message": self.describe(),
            "final_url": self.final_url,
            "status": self.status,
            "redirects": list(self.redirects),
            "declared": dict(self.declared),
            "documents": self.documents,
            "comments": self.comments,
            "stored": list(self.stored),
        }


class Outcomes:
    """Collects the outcome of every requested URL of a run (a live object in the settings,
    ``TANGGUH_OUTCOMES``).

    ``on_done(outcome)`` is called (in the reactor thread) as soon as a URL's whole chain
    has finished and its items have passed the item pipelines, so a caller can keep each
    result before the run ends; with ``keep_items`` the outcome carries its items until
    then, and drops them afterwards.
    """

    def __init__(self, *, on_done: Any = None, keep_items: bool = False) -> None:
        self.on_done = on_done
        self.keep_items = keep_items
        self.by_url: dict[str, UrlOutcome] = {}

    def begin(self, url: str) -> UrlOutcome:
        outcome = self.by_url.get(url)
        if outcome is None:
            outcome = self.by_url[url] = UrlOutcome(url)
        return outcome

    def finish(self, outcome: UrlOutcome, aliases: list[str] = ()) -> None:
        outcome.finished = True
        outcome.aliases = list(aliases)
        classify(outcome)
        # Said in reason/detail now; the exception's traceback (and an HttpError's response)
        # would keep whole pages alive for the rest of a long run.
        outcome.error = None
        for alias in aliases:
            same = replace(outcome, url=alias, items=[], aliases=[])
            if outcome.ok:
                same.reason, same.detail = "same_page", outcome.url
            self.by_url[alias] = same
        if self.on_done is not None:
            self.on_done(outcome)
        outcome.items = []  # delivered; a long run must not keep every page

    def report(self, urls: list[str]) -> list[UrlOutcome]:
        """One outcome per requested URL, in the order asked; URLs never reached (the run
        stopped first) come back as ``unfinished``."""
        out = []
        for url in urls:
            outcome = self.by_url.get(url)
            if outcome is None or not outcome.finished:
                outcome = outcome or UrlOutcome(url)
                outcome.reason = "unfinished"
            out.append(outcome)
        return out


def classify(o: UrlOutcome) -> None:
    """Set ``reason``/``detail`` from what the chain recorded."""
    if o.reason == "redirect_loop":
        return
    if o.status and 300 <= o.status < 400 and o.location and _scheme(o.location) not in _WEB:
        o.reason, o.detail = "scheme", f"redirected to {_scheme(o.location)}:"
    elif o.error is not None:
        o.reason, o.detail = reason_for_exception(o.error, o.final_url or o.url)
    elif o.status is None:
        o.reason = "unfinished"
    elif o.status == 304:
        o.reason = "unchanged"
    elif not 200 <= o.status < 300:
        o.reason, o.detail = "http_status", str(o.status)
    elif o.final_url and any(page in o.final_url for page in LOGIN_PAGES):
        o.reason, o.detail = "login", urlsplit(o.final_url).hostname or o.final_url
    elif o.skipped:
        o.reason, o.detail = o.skipped.split(":", 1)[0], o.skipped.partition(":")[2].strip()
    elif not o.documents:
        o.reason = "not_article"
    elif o.empty_documents >= o.documents:
        o.reason = "no_text"
    elif len(o.rejected) >= o.documents:
        o.reason, o.detail = "rejected", o.rejected[0]
    else:
        o.reason, o.detail = None, ""


def reason_for_exception(exc: BaseException, url: str = "") -> tuple[str, str]:
    """A reason code and its detail for the exception that ended a URL's chain at ``url``."""
    from scrapy.exceptions import (
        CannotResolveHostError,
        DownloadCancelledError,
        DownloadConnectionRefusedError,
        DownloadTimeoutError,
        IgnoreRequest,
    )
    from twisted.internet import error as tx

    from scrapers.middlewares.resolver import PrivateAddressRefused
    from scrapers.middlewares.robots import RobotsDisallowed, RobotsUnavailable
    from scrapers.middlewares.ssrf import RefusedAddress, RefusedScheme

    cause = exc.__cause__
    message = str(exc)
    if isinstance(exc, RefusedAddress):
        return "private_address", _address(exc.host, exc.address)
    refused = exc if isinstance(exc, PrivateAddressRefused) else cause
    if isinstance(refused, PrivateAddressRefused):
        return "private_address", _address(refused.host, refused.address)
    if isinstance(exc, RefusedScheme):
        return "scheme", f"{exc.scheme}:"
    if isinstance(exc, RobotsDisallowed):
        return "robots", "disallowed for our user agent"
    if isinstance(exc, RobotsUnavailable):
        if exc.error is not None:  # robots.txt could not be downloaded: nor can the page
            return reason_for_exception(exc.error, url)
        return "robots", f"robots.txt answered {exc.cause}; the host is not crawled this run"
    status = getattr(getattr(exc, "response", None), "status", None)
    if status is not None:  # HttpError: a status the spider did not ask to see
        return "http_status", str(status)
    if isinstance(exc, IgnoreRequest) and "max redirections" in message:
        return "too_many_redirects", ""
    if isinstance(exc, CannotResolveHostError | tx.DNSLookupError):
        return "dns", urlsplit(url).hostname or message
    if isinstance(exc, DownloadTimeoutError | tx.TimeoutError | tx.TCPTimedOutError):
        limit = re.search(r"longer than ([\d.]+) seconds", message)
        return "timeout", f"no answer within {limit[1]} s" if limit else name_of(exc)
    if isinstance(exc, DownloadConnectionRefusedError | tx.ConnectionRefusedError):
        return "connection_refused", ""
    if isinstance(exc, DownloadCancelledError) or "DOWNLOAD_MAXSIZE" in message:
        return "too_large", ""  # Scrapy cancels a download only past the size limit
    name = type(exc).__name__
    inner = _INNER_FAILURE.search(message)  # Scrapy wraps Twisted's failures in a list
    if inner:
        name, message = inner["name"], inner["message"]
    if any(word in name for word in ("Connection", "DataLoss", "NeverReceived", "DownloadFailed")):
        return "connection", f"{name}: {message}"[:200] if message else name
    return "error", f"{name}: {message}"[:200] if message else name


_INNER_FAILURE = re.compile(r"Failure [\w.]*?\.(?P<name>\w+): (?P<message>[^>]*?)\.?>")


def name_of(exc: BaseException) -> str:
    return type(exc).__name__


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "unknown status"


def _scheme(url: str) -> str:
    return url.split(":", 1)[0].lower() if ":" in url else ""


def _address(host: str, address: str) -> str:
    return address if host.strip("[]") == address else f"{host} ({address})"
