"""The document page, its JSON, and the stored raw snapshot."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from store import reading
from tangguh.web.common import page_of, render

SHA256 = re.compile(r"[0-9a-f]{64}")
# A snapshot is a stranger's page: shown in a sandbox (its own origin, no script, no form,
# nothing loaded from anywhere), so it can neither run nor phone home.
SNAPSHOT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _view(request: Request, url: str):
    with request.app.state.services.db.read() as session:
        return reading.document_view(session, url)


def doc_page(request: Request) -> Response:
    page = page_of(request)
    url = (request.query_params.get("url") or "").strip()
    view = _view(request, url) if url else None
    if view is None:
        return render(page, "notfound.html", status=404, url=url)
    paragraphs = [p for p in (view.record.get("text") or "").split("\n") if p.strip()]
    return render(page, "doc.html", doc=view, paragraphs=paragraphs)


def api_doc(request: Request) -> Response:
    url = (request.query_params.get("url") or "").strip()
    view = _view(request, url) if url else None
    if view is None:
        return JSONResponse({"error": "no document stored at this URL", "url": url}, 404)
    return JSONResponse(view.record)


def snapshot(request: Request) -> Response:
    digest = request.path_params["sha256"].lower()
    if not SHA256.fullmatch(digest):
        return Response("not a sha256", status_code=404, media_type="text/plain")
    with request.app.state.services.db.read() as session:
        found = reading.snapshot(session, digest)
    if found is None:
        return Response("no such snapshot", status_code=404, media_type="text/plain")
    body, meta = found
    raw = request.query_params.get("raw") == "1"
    content_type = (meta["headers"] or {}).get("Content-Type") or "text/html"
    if raw or "html" not in content_type.lower():
        content_type = "text/plain; charset=utf-8"
    elif "charset" not in content_type.lower():
        content_type += "; charset=utf-8"
    return Response(
        body,
        media_type=None,
        headers={
            "Content-Type": content_type,
            "Content-Security-Policy": SNAPSHOT_CSP,
            "X-Tangguh-Snapshot-Of": meta["url"].encode("ascii", "replace").decode(),
            "X-Tangguh-Fetched-At": meta["fetched_at"] or "",
        },
    )
