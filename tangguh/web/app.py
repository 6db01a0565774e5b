"""The Starlette application: routes, middleware and the shared services."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from search.encoder import Encoder
from store.db import Database
from tangguh.web import doc_views, judging_views, ops_views, search_views, security
from tangguh.web.common import page_of, render
from tangguh.web.service import Services

log = logging.getLogger("tangguh.web")


def not_found(request: Request, exc: Exception) -> Response:
    return render(page_of(request), "notfound.html", status=404, url=request.url.path)


def server_error(request: Request, exc: Exception) -> Response:
    # A bug must not show a traceback (or a stored field) to the reader: the log has it.
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return render(page_of(request), "error.html", status=500)


def create_app(
    db: Database,
    index_dir: Path,
    *,
    token: str | None = None,
    encoder: Encoder | None = None,
    config: Path | None = None,
) -> Starlette:
    """The web application over ``db`` and the search index in ``index_dir``."""
    services = Services(db, index_dir, encoder=encoder, config=config)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        services.close()

    static = str(resources.files("tangguh.web").joinpath("static"))
    routes = [
        Route("/", search_views.search_page),
        Route("/search", search_views.search_page),
        Route("/timeline", search_views.timeline_page),
        Route("/export.{fmt:str}", search_views.export),
        Route("/doc", doc_views.doc_page),
        Route("/snapshot/{sha256:str}", doc_views.snapshot),
        Route("/judging", judging_views.contests_page),
        Route("/judging/{contest_id:int}", judging_views.contest_page),
        Route("/judging/{contest_id:int}/blind", judging_views.blind_page),
        Route("/judging/{contest_id:int}/report.{kind:str}", judging_views.report_download),
        Route("/ops", ops_views.ops_page),
        Route("/api/search", search_views.api_search),
        Route("/api/doc", doc_views.api_doc),
        Route("/api/timeline", search_views.api_timeline),
        Route("/login", security.login_form, methods=["GET"]),
        Route("/login", security.login_submit, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=static), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(security.SecurityHeaders),
            Middleware(security.TokenGate, token=token),
        ],
        exception_handlers={404: not_found, 500: server_error},
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.token = token
    return app
