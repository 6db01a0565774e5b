"""Articles split over pages: which links on a page lead to the rest of the same article.

Indonesian portals cut long articles into pages: ``?page=2`` (Kompas, Tribun, Suara, Okezone),
``/2`` after the article's path (Jawa Pos), often with a "show all" link (``?page=all``,
``?single=1``).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

MAX_PARTS = 30  # pages of one article followed at most
_PART_KEYS = ("page", "halaman", "hal")
_VIEW_ALL = {
    "page": ("all", "semua"),
    "single": ("1", "true"),
    "showall": ("1", "true"),
    "view": ("all",),
    "all": ("1", "true"),
}


def _identity(query: str) -> list[tuple[str, str]]:
    """The query parameters that name the article (``?id=123``), without the page ones."""
    drop = {*_PART_KEYS, *_VIEW_ALL}
    return sorted((k, v) for k, v in parse_qsl(query) if k.lower() not in drop)


def strip_amp(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def split_parts(
    page_url: str, hrefs: list[str], article_url: str | None = None
) -> tuple[str | None, dict[int, str]]:
    """``(view-all URL, {page number: URL})`` of an article split over pages.

    Indonesian portals cut long articles into pages: ``?page=2`` (Kompas, Tribun, Suara,
    Okezone), ``/2`` after the article's path (Jawa Pos), often with a "show all" link
    (``?page=all``, ``?single=1``). Only links to the same article count: same host,
    same path (or that path plus ``/N``), a page number from 2 to ``MAX_PARTS``.
    ``hrefs`` are the page's link targets; ``article_url`` is the first page's URL when
    the page is a later one.
    """
    base = urlsplit(article_url or page_url)
    base_path = base.path.rstrip("/")
    base_rest = _identity(base.query)
    view_all: str | None = None
    numbered: dict[int, str] = {}
    tail = base_path.rsplit("/", 1)[-1]
    for href in hrefs:
        # cheap first: a page link names the article, or is "?page=2" or "2/"
        if tail not in href and not href.startswith("?") and not href.strip("/").isdigit():
            continue
        url = urljoin(page_url, href.strip())
        parts = urlsplit(url)
        if parts.hostname != base.hostname or not base_path:
            continue
        path = parts.path.rstrip("/")
        query = {k.lower(): v.lower() for k, v in parse_qsl(parts.query)}
        number: str | None = None
        if path == base_path:
            if _identity(parts.query) != base_rest:  # index.php?id=456: another article
                continue
            if any(query.get(k) in v for k, v in _VIEW_ALL.items()):
                view_all = view_all or strip_amp(url)
                continue
            number = next((query[k] for k in _PART_KEYS if k in query), None)
        elif path.startswith(base_path + "/") and not parts.query:
            number = path[len(base_path) + 1 :]
        if number and number.isdigit() and 2 <= int(number) <= MAX_PARTS:
            numbered.setdefault(int(number), strip_amp(url))
    return view_all, numbered
