"""Sources and runs: what is configured, what the last runs did, and what `doctor` finds."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from store import reading, repo
from tangguh.web.common import page_of, render

RUNS_SHOWN = 30


def _configured(config) -> tuple[list, str | None]:
    """The sources of ``sources.toml`` (or why they could not be read)."""
    if config is None or not config.exists():
        return [], None
    from scrapers.sources import SourcesError, load_sources

    try:
        return load_sources(config), None
    except (SourcesError, OSError) as exc:
        return [], str(exc)


def ops_page(request: Request) -> Response:
    from tangguh.ops import doctor_findings

    page = page_of(request)
    services = request.app.state.services
    configured, config_error = _configured(services.config)
    with services.db.read() as session:
        stored = reading.configured_sources(session)
        runs = repo.recent_runs(session, RUNS_SHOWN)
        for run in runs:
            session.expunge(run)
    findings = doctor_findings(services.db)
    return render(
        page,
        "ops.html",
        configured=configured,
        config_path=services.config,
        config_error=config_error,
        stored=stored,
        runs=runs,
        findings=findings,
    )
