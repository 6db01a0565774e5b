"""Scrapy settings for Tangguh, grouped by concern.

Settings flow one way: this module -> environment / ``-s`` / ``run_crawl(settings=...)`` ->
each component's ``from_crawler``. Our own settings carry the ``TANGGUH_`` prefix:

- ``TANGGUH_ALLOW_PRIVATE``: fetch loopback/private addresses (tests, the demo); off for the web.
- ``TANGGUH_RESOLVE``: ``{"*.test": "127.0.0.1"}``-style host map applied before DNS.
- ``TANGGUH_BLOGGER_PAGE_SIZE`` / ``TANGGUH_WP_PAGE_SIZE``: feed and REST page sizes.
- ``TANGGUH_REVALIDATE_KNOWN``: send conditional requests for already stored news articles
  and Blogger posts found on listing pages (otherwise known articles are skipped, listing
  pagination stops at a fully known page, and a Blogger post walked as HTML is re-asked
  only when a listing shows a changed comment count).
- ``TANGGUH_FULL_LISTING``: do not stop listing/REST pagination at fully stored pages (the
  lead's runner sets it after an incomplete run).
- ``TANGGUH_MAX_RETRY_AFTER``: the longest ``Retry-After`` we wait (seconds) before giving up.
- ``TANGGUH_CLUSTER`` (set by `tangguh crawl --queue` / `tangguh worker`, see scrapers.cluster):
  the distributed crawl's shared Redis state; ``TANGGUH_LEASE_SECONDS`` (default 30): how
  long a dead worker's in-flight requests wait before they go back to the shared queue.
"""

from __future__ import annotations

BOT_NAME = "tangguh"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# --- Identity and politeness ---------------------------------------------------------------
USER_AGENT = "TangguhBot/0.1 (+https://github.com/tangguh/tangguh; research crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5
COOKIES_ENABLED = False
# Scrapy starts this many asyncio workers for every callback's output; our callbacks yield
# one article or one post's comments, and 100 idle workers per response cost more than
# the parsing (bench/crawl.py).
CONCURRENT_ITEMS = 16
TELNETCONSOLE_ENABLED = False

# --- Safety caps (engineering.md: a bomb or a staller ends one request, not the run) ---------
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 10
REDIRECT_MAX_TIMES = 5
METAREFRESH_MAXDELAY = 5
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Only http(s): file:, data:, ftp: and s3: would let a hostile page read local files or
# reach internal services.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
TWISTED_DNS_RESOLVER = "scrapers.middlewares.resolver.GuardedResolver"

# --- Downloader middlewares (ours sit beside the built-ins they wrap) ----------------------
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scrapers.middlewares.robots.StrictRobotsTxtMiddleware": 100,
    "scrapers.middlewares.ssrf.SsrfGuardMiddleware": 110,
    "scrapers.middlewares.crawldelay.CrawlDelayMiddleware": 120,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.retry.RetryAfterMiddleware": 550,
    # After decompression (590), so it sees the real bytes.
    "scrapers.middlewares.charset.CharsetRepairMiddleware": 580,
}

# --- Tangguh -----------------------------------------------------------------------------
TANGGUH_ALLOW_PRIVATE = False
TANGGUH_RESOLVE: dict[str, str] = {}
TANGGUH_BLOGGER_PAGE_SIZE = 100
TANGGUH_BLOGGER_COMMENT_PAGE_SIZE = 200
TANGGUH_WP_PAGE_SIZE = 100
TANGGUH_REVALIDATE_KNOWN = False
TANGGUH_FULL_LISTING = False  # walk every listing/REST page (set after an incomplete run)
TANGGUH_MAX_RETRY_AFTER = 120

ITEM_PIPELINES: dict[str, int] = {}
LOG_LEVEL = "INFO"
# One line per dropped/scraped item (its URL and why), never the item's raw page.
LOG_FORMATTER = "scrapers.logformatter.OneLineLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
