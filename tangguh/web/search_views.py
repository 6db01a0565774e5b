"""Search, the coverage timeline, the result set's downloads and their JSON API.

Every number on these pages comes from the search package: ``Searcher.search`` for the hits
shown (so ``/api/search`` is exactly ``tangguh search --json``) and ``search.resultset`` for
what is counted and downloaded (every hit, no cap).
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from search.resultset import Summary, newest, result_set, result_summary
from store import reading
from store.repo import EXPORT_FIELDS
from tangguh.web import timeline as tl
from tangguh.web.common import PER_PAGE, Page, SearchParams, page_of, render
from tangguh.web.service import IndexUnavailable

NOTHING = object()  # a platform filter no stored site matches
EXPORT_COLUMNS = ("rank", "score", "copies", "duplicate_group", *EXPORT_FIELDS)


def _services(request: Request):
    return request.app.state.services


def effective_site(request: Request, params: SearchParams):
    """The ``site`` filter to search with: the form's site, narrowed to the sites of the
    chosen platform (platform is a property of a site's pages, so it filters by site)."""
    if not params.platform:
        return params.site or None
    from search.filters import normalise_site, site_matches

    with _services(request).db.read() as session:
        hosts = reading.sites_on_platform(session, params.platform)
    if params.site:
        wanted = [normalise_site(s) for s in params.site.split(",") if s.strip()]
        hosts = [h for h in hosts if any(site_matches(h, w) for w in wanted)]
    return ",".join(hosts) if hosts else NOTHING


def _filters(params: SearchParams, site) -> dict:
    return {
        "since": params.since or None,
        "until": params.until or None,
        "kind": params.kind or None,
        "site": site,
    }


def _query(request: Request, params: SearchParams):
    """The whole result set, every row (downloads): one trip to the search thread."""
    site = effective_site(request, params)
    if site is NOTHING:
        return []
    flt = _filters(params, site)
    return _services(request).search.run(lambda searcher: result_set(searcher, params.q, **flt))


def _summary(request: Request, params: SearchParams, *, hits: bool):
    """(summary of the result set, hits of this page or None): one trip to the search
    thread. The page counts and charts the whole set without listing it."""
    site = effective_site(request, params)
    if site is NOTHING:
        return Summary(0, []), [] if hits else None
    flt = _filters(params, site)
    start = (params.page - 1) * PER_PAGE

    def work(searcher):
        summary = result_summary(searcher, params.q, **flt)
        page_hits = None
        if hits and params.q:
            limit = params.page * PER_PAGE
            page_hits = searcher.search(params.q, limit=limit, **flt)[limit - PER_PAGE :]
        elif hits:  # no query: the newest documents first
            page_hits = newest(searcher, offset=start, limit=PER_PAGE, **flt)
        return summary, page_hits

    return _services(request).search.run(work)


def search_page(request: Request) -> Response:
    page = page_of(request)
    params, errors = SearchParams.from_request(request)
    return _results_page(page, params, errors, template="search.html")


def timeline_page(request: Request) -> Response:
    page = page_of(request)
    params, errors = SearchParams.from_request(request)
    return _results_page(page, params, errors, template="timeline.html")


def _results_page(page: Page, params: SearchParams, errors: list[str], *, template: str):
    request = page.request
    summary, hits, index_error = Summary(0, []), None, None
    try:
        summary, hits = _summary(request, params, hits=template == "search.html")
    except IndexUnavailable as exc:
        index_error = str(exc)
    chart = tl.build(summary.cells, interval=params.interval or None, stack=params.stack)
    with _services(request).db.read() as session:
        platforms = reading.platforms(session)
    pages = max(1, math.ceil(summary.total / PER_PAGE))
    return render(
        page,
        template,
        params=params,
        errors=errors,
        index_error=index_error,
        hits=hits or [],
        total=summary.total,
        pages=pages,
        chart=chart,
        top_sites=tl.top_sites(summary.cells),
        platforms=platforms,
        first_rank=(params.page - 1) * PER_PAGE + 1,
    )


# --- downloads and JSON ----------------------------------------------------------------------


def _export_rows(request: Request, rows, fmt: str):
    """Every hit as a record with its provenance, streamed (constant memory)."""
    db = _services(request).db
    extra = {r.url: r for r in rows}
    urls = [r.url for r in rows]
    rank = {u: i for i, u in enumerate(urls, start=1)}
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS))
        writer.writeheader()
        yield "\ufeff" + buf.getvalue()  # a BOM: spreadsheets then read UTF-8 right
    with db.read() as session:
        for record in reading.records_by_url(session, urls):
            hit = extra[record["url"]]
            out = {
                "rank": rank[record["url"]],
                "score": hit.score,
                "copies": hit.copies,
                "duplicate_group": hit.group,
                **record,
            }
            if fmt == "jsonl":
                yield json.dumps(out, ensure_ascii=False) + "\n"
                continue
            if out.get("field_sources") is not None:
                out["field_sources"] = json.dumps(out["field_sources"], ensure_ascii=False)
            buf = io.StringIO()
            csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS)).writerow(out)
            yield buf.getvalue()


def export(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "jsonl"):
        return Response("csv or jsonl", status_code=404, media_type="text/plain")
    params, errors = SearchParams.from_request(request)
    if errors:
        return JSONResponse({"error": ", ".join(errors)}, status_code=400)
    try:
        rows = _query(request, params)
    except IndexUnavailable as exc:
        return JSONResponse({"error": str(exc)}, status_code=503)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    return StreamingResponse(
        _export_rows(request, rows, fmt),
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="tangguh-{stamp}.{fmt}"',
            "X-Tangguh-Hits": str(len(rows)),
        },
    )


def _api_int(value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    n = int(value)
    if n < 1:
        raise ValueError("limit must be at least 1")
    return n


def api_search(request: Request) -> Response:
    """Exactly ``tangguh search QUERY --json`` with the CLI's options as parameters."""
    qp = request.query_params
    kind = qp.get("kind") or None
    if kind is not None and kind not in ("post", "comment", "article"):
        return JSONResponse(
            {"error": f"kind must be post, comment or article, not {kind!r}"}, status_code=400
        )
    try:
        limit = _api_int(qp.get("limit"), 10)
    except ValueError:
        return JSONResponse({"error": "limit must be a whole number of at least 1"}, 400)
    filters = {
        "limit": limit,
        "since": qp.get("since") or None,
        "until": qp.get("until") or None,
        "kind": kind,
        "site": qp.get("site") or None,
    }
    query = qp.get("q") or ""
    try:
        hits = _services(request).search.run(lambda s: s.search(query, **filters))
    except ValueError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)
    except IndexUnavailable as exc:
        return JSONResponse({"error": str(exc)}, status_code=503)
    # Byte for byte what `tangguh search --json` prints (same serialiser, same options).
    body = json.dumps([h.to_json() for h in hits], ensure_ascii=False) + "\n"
    return Response(body, media_type="application/json")


def api_timeline(request: Request) -> Response:
    params, errors = SearchParams.from_request(request)
    if errors:
        return JSONResponse({"error": ", ".join(errors)}, status_code=400)
    try:
        summary, _ = _summary(request, params, hits=False)
    except IndexUnavailable as exc:
        return JSONResponse({"error": str(exc)}, status_code=503)
    chart = tl.build(summary.cells, interval=params.interval or None, stack=params.stack)
    body = chart.to_json()
    body["query"] = params.q
    body["top_sites"] = [{"site": s, "hits": n} for s, n in tl.top_sites(summary.cells)]
    return JSONResponse(body)
