"""robots.txt with two fixes over Scrapy's middleware.

1. Concurrency: Scrapy 2.14+ hands the first request's shared Deferred to every concurrent
   first request to a host, and later waiters can receive ``None`` (= "allowed"). Here each
   request re-reads the stored parser after waiting, so none slips through unchecked.
2. RFC 9309 errors: a robots.txt answering 5xx, or failing to download, means "crawl nothing
   on that host this run"; a 4xx means "everything allowed" (Scrapy treats both as allowed).
3. In a distributed crawl (``TANGGUH_CLUSTER``) robots.txt is fetched once per host for the
   whole run, not once per worker (``scrapers.cluster.robots``).

Settings: ROBOTSTXT_OBEY, ROBOTSTXT_USER_AGENT, ROBOTSTXT_PARSER (as Scrapy). Stats:
``tangguh/robots/unavailable_hosts``, ``tangguh/robots/blocked_unavailable``.
"""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsDisallowed(IgnoreRequest):
    """The site's robots.txt disallows this URL for our user agent."""


class RobotsUnavailable(IgnoreRequest):
    """robots.txt answered 5xx or could not be fetched: the host is not crawled this run.

    ``cause`` says why (``HTTP 503``, or the download error's type and message), so a
    per-URL report can name the real problem (a host that does not resolve, a dead server).
    """

    def __init__(self, cause: str, error: BaseException | None = None):
        super().__init__(f"robots.txt unavailable ({cause}): host not crawled")
        self.cause = cause
        self.error = error  # the download error of robots.txt itself, if that was the cause


class _DisallowAll:
    """A parser stand-in for hosts whose robots.txt is unavailable (5xx or network error)."""

    def __init__(self, cause: str = "5xx or error", error: BaseException | None = None):
        self.cause = cause
        self.error = error

    def allowed(self, url: str, user_agent: Any) -> bool:
        return False

    def crawl_delay(self, user_agent: Any) -> None:
        return None


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Any):
        super().__init__(crawler)
        from scrapers.cluster.context import cluster_of
        from scrapers.cluster.robots import shared_robots

        self._shared = shared_robots(cluster_of(crawler))

    async def robot_parser(self, request: Any) -> Any:
        netloc = urlparse_cached(request).netloc
        if self._shared is not None and netloc not in self._parsers:
            await self._shared_parser(request, netloc)
        parser = await super().robot_parser(request)
        stored = self._parsers.get(netloc)
        while isinstance(stored, Deferred):
            await maybe_deferred_to_future(stored)
            stored = self._parsers.get(netloc)
        return stored if stored is not None else parser

    async def _shared_parser(self, request: Any, netloc: str) -> None:
        """Parse the run's copy of the host's robots.txt, fetching it if no worker has."""
        from scrapers.cluster.robots import FAILED

        self._parsers[netloc] = Deferred()
        url = urlparse_cached(request)
        robots_url = f"{url.scheme}://{netloc}/robots.txt"

        async def fetch() -> tuple[int, bytes]:
            self._stats.inc_value("robotstxt/request_count")
            robots_request = Request(
                robots_url,
                priority=self.DOWNLOAD_PRIORITY,
                meta={"dont_obey_robotstxt": True},
                callback=NO_CALLBACK,
            )
            response = await self.crawler.engine.download_async(robots_request)
            return response.status, bytes(response.body)

        status, body = await self._shared.get(netloc, fetch)
        if status == FAILED:
            self._robots_error(ConnectionError("robots.txt download failed"), netloc)
            return
        response = Response(robots_url, status=status, body=body)
        await self._parse_robots(response, netloc, request)

    def process_request_2(self, rp: Any, request: Any) -> None:
        if isinstance(rp, _DisallowAll):
            self._stats.inc_value("tangguh/robots/blocked_unavailable")
            raise RobotsUnavailable(rp.cause, rp.error)
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise RobotsDisallowed(str(exc)) from None

    async def _parse_robots(self, response: Any, netloc: str, request: Any) -> None:
        if response.status >= 500:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._block(netloc, f"HTTP {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, IgnoreRequest):
            self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._block(netloc, f"{type(exc).__name__}: {exc}"[:300], exc)

    def _block(self, netloc: str, cause: str, error: BaseException | None = None) -> None:
        self._stats.inc_value("tangguh/robots/unavailable_hosts")
        pending = self._parsers.get(netloc)
        blocker = _DisallowAll(cause, error)
        self._parsers[netloc] = blocker
        if isinstance(pending, Deferred) and not pending.called:
            pending.callback(blocker)
