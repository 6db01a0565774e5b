"""Crawl and fetch runs over the store: state for incremental crawls, run records."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from pipelines.chain import PipelineChain
from scrapers.outcomes import Outcomes, UrlOutcome
from scrapers.state import KnownDoc
from store import repo
from store.db import Database
from store.models import Document
from tangguh import runs
from tangguh.errors import ExitCode, UserError
from tangguh.paths import dead_letter_for, jobs_dir_for


class StoreCrawlState:
    """`scrapers.state.CrawlState` over the store: what the last committed crawl saw.

    Loaded once at the start of a run (one query); a URL counts as known only once its
    data was committed, so a crash mid-run never hides an unstored page. Comments are
    included: spiders skip stored comments and stop paging comment lists at them.
    """

    def __init__(self, db: Database):
        self._docs: dict[str, KnownDoc] = {}
        with db.read() as session:
            rows = session.execute(
                select(
                    Document.url,
                    Document.etag,
                    Document.last_modified,
                    Document.updated_raw,
                    Document.comment_count,
                    Document.content_hash,
                )
            )
            for url, etag, lm, upd, cc, ch in rows:
                self._docs[url] = KnownDoc(etag, lm, upd, cc, ch)

    def known(self, url: str) -> KnownDoc | None:
        return self._docs.get(url)

    def __len__(self) -> int:
        return len(self._docs)


# For our own loopback sample web (demo, tests, benchmarks): no politeness delays, since
# nobody else's server is at stake. Never use these against real sites.
LOOPBACK_SETTINGS = {
    "TANGGUH_RESOLVE": {"*.test": "127.0.0.1"},
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}


def settings_from_env() -> dict[str, Any]:
    """`TANGGUH_SCRAPY_SETTINGS='{"DOWNLOAD_DELAY": 2}'`: Scrapy settings for one run,
    like `scrapy -s`, for operators who need to tune politeness without editing code."""
    raw = os.environ.get("TANGGUH_SCRAPY_SETTINGS", "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"TANGGUH_SCRAPY_SETTINGS is not JSON: {exc}", ExitCode.BAD_CONFIG
        ) from None
    if not isinstance(value, dict):
        raise UserError("TANGGUH_SCRAPY_SETTINGS must be a JSON object", ExitCode.BAD_CONFIG)
    return value


def prepare_jobdirs(db: Database, sources: list, run_id: int | None) -> dict[str, str]:
    """Each source's Scrapy job directory for this run.

    Kept after a clean stop (`--max-runtime`: the run is 'stopped'), so the next run
    resumes the queue where it stopped; wiped after anything else, a crash included: a
    queue written by a killed process may be torn, and the idempotent writes make a fresh
    start safe.
    """
    root = jobs_dir_for(db.url)
    with db.read() as session:
        previous = repo.previous_run(session, "crawl", run_id) if run_id else None
    keep = previous is not None and previous.status == "stopped"
    dirs = {}
    for source in sources:
        path = root / _safe_name(source.name)
        if not keep and path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True, exist_ok=True)
        dirs[source.name] = str(path)
    return dirs


def _safe_name(name: str) -> str:
    """A folder name from a source name (sources.toml is trusted, but keep paths tame)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "source"


def resolve_map_from_env() -> dict[str, str]:
    """`TANGGUH_RESOLVE="*.test=127.0.0.1,host=ip"`: names to resolve by hand (like curl's
    --resolve), e.g. to crawl the sample web served by `tangguh sampleweb serve`."""
    pairs = [p.split("=", 1) for p in os.environ.get("TANGGUH_RESOLVE", "").split(",") if "=" in p]
    return {name.strip(): ip.strip() for name, ip in pairs if name.strip() and ip.strip()}


@dataclass
class RunSummary:
    run_id: int | None
    status: str
    stats: dict[str, Any]
    duration_s: float = 0.0
    exit_code: int = 0
    # `fetch`: what became of each listed URL, in the order given
    outcomes: list[UrlOutcome] = field(default_factory=list)


def run(
    db: Database,
    *,
    command: str,
    sources: list | None = None,
    urls: list[str] | None = None,
    allow_private: bool = False,
    max_runtime: float | None = None,
    extra_settings: dict | None = None,
    bad_inputs: int = 0,
) -> RunSummary:
    """Run sources (crawl) or single URLs (fetch) through the spiders into the store.

    With ``urls``, every URL gets an outcome (`scrapers.outcomes`): one that was refused,
    unreachable or gave no document counts as failed, like ``bad_inputs`` (lines of the
    caller's URL list that were not URLs), and makes the run ``partial`` (exit code 3).
    """
    from scrapers.runner import run_crawl

    sources = sources or []
    names = [s.name for s in sources] or list(urls or [])
    run_id = runs.start_run(db, command, names)
    resume = runs.previous_incomplete(db, command, run_id)
    stats: Counter = Counter()
    chain = chain_for(db, sources, stats)
    settings = crawl_settings(
        chain,
        allow_private=allow_private,
        resume=resume,
        max_runtime=max_runtime,
        extra_settings=extra_settings,
    )
    if command == "crawl" and sources:
        settings["TANGGUH_JOBDIRS"] = prepare_jobdirs(db, sources, run_id)
    outcomes = Outcomes() if urls else None
    if outcomes is not None:
        settings["TANGGUH_OUTCOMES"] = outcomes
    started = datetime.now(UTC)
    result = run_crawl(sources, settings=settings, crawl_state=StoreCrawlState(db), urls=urls)
    duration = (datetime.now(UTC) - started).total_seconds()
    url_outcomes = outcomes.report(list(urls or [])) if outcomes is not None else []
    summary_stats = summarize(result, stats, sources, duration=duration, resume=resume)
    if urls:
        add_url_outcomes(summary_stats, url_outcomes, bad_inputs)
    status, code = conclude(db, summary_stats, run_id)
    runs.finish_run(db, run_id, status=status, stats=summary_stats, code=code)
    if status != "stopped":  # only a clean stop leaves a queue worth resuming
        for path in settings.get("TANGGUH_JOBDIRS", {}).values():
            shutil.rmtree(path, ignore_errors=True)
    return RunSummary(
        run_id, status, summary_stats, duration_s=duration, exit_code=code, outcomes=url_outcomes
    )


def add_url_outcomes(
    summary_stats: dict[str, Any], url_outcomes: list[UrlOutcome], bad_inputs: int
) -> None:
    """`fetch`: listed URLs that gave nothing, and lines that were not URLs, count as failed
    beside the failed writes, and are named in the summary."""
    failed_urls = [o for o in url_outcomes if not o.ok]
    summary_stats["failed"] += len(failed_urls) + bad_inputs
    summary_stats["urls"] = {
        "requested": len(url_outcomes),
        "failed": len(failed_urls),
        "bad_input": bad_inputs,
    }
    summary_stats["failed_urls"] = [o.to_dict() for o in failed_urls]
    # Where every listed URL went (a URL list's page may be stored under its canonical URL).
    summary_stats["url_outcomes"] = [
        {"url": o.url, "ok": o.ok, "reason": o.reason, "stored": list(o.stored)}
        for o in url_outcomes
    ]


def chain_for(db: Database, sources: list, stats: Counter, **kwargs: Any) -> PipelineChain:
    """The run's pipeline chain: the sources' topics and kinds, the dead-letter file."""
    return PipelineChain(
        db,
        topics={s.name: s.topic for s in sources if getattr(s, "topic", None)},
        source_kinds={s.name: s.kind for s in sources},
        dead_letter=dead_letter_for(db.url),
        stats=stats,
        **kwargs,
    )


def crawl_settings(
    chain: PipelineChain,
    *,
    allow_private: bool,
    resume: bool,
    max_runtime: float | None = None,
    extra_settings: dict | None = None,
) -> dict[str, Any]:
    """Scrapy settings of a crawl run: our pipeline and snapshots, the environment's
    overrides (`TANGGUH_SCRAPY_SETTINGS`, `TANGGUH_RESOLVE`), the caller's."""
    settings: dict[str, Any] = {
        "ITEM_PIPELINES": {"pipelines.scrapy_adapter.TangguhPipeline": 500},
        "SPIDER_MIDDLEWARES": {"scrapers.middlewares.snapshot.SnapshotMiddleware": 950},
        "TANGGUH_CHAIN": chain,
        "TANGGUH_ALLOW_PRIVATE": allow_private,
        **settings_from_env(),
        **(extra_settings or {}),
    }
    if resume:
        # The last run died or stopped early: walk every listing page again instead of
        # stopping at the first fully-stored one (stored pages are still skipped).
        settings["TANGGUH_FULL_LISTING"] = True
    if resolve := resolve_map_from_env():
        settings.setdefault("TANGGUH_RESOLVE", resolve)
    if max_runtime:
        # Each spider closes gracefully (pending items are stored) once the time is up.
        settings["CLOSESPIDER_TIMEOUT"] = max_runtime
    return settings


def summarize(
    result: Any, stats: Counter, sources: list, *, duration: float, resume: bool
) -> dict[str, Any]:
    """The run summary (`tangguh runs`, the summary line) from the crawl and chain stats."""
    crawl_stats = dict(getattr(result, "stats", {}) or {})
    summary_stats: dict[str, Any] = {
        "new": stats["new"],
        "updated": stats["updated"],
        "unchanged": stats["unchanged"],
        "failed": stats["failed"],
        "invalid": stats["items/invalid"],
        "gone": stats["gone"],
        # Off-topic pages: filtered by the spider (their comments are never fetched) or,
        # for items that reach the chain, by pipelines.relevance.
        "dropped": stats["items/dropped/off_topic"]
        + crawl_stats.get("tangguh/skipped/off_topic", 0),
        "requests": crawl_stats.get("downloader/request_count", 0),
        "errors": crawl_stats.get("log_count/ERROR", 0),
        # Posts whose body container was not recognised (a theme or layout change) and
        # were read by the general extractor instead: stored, and worth a look.
        "body_fallbacks": crawl_stats.get("tangguh/layout/body_fallback", 0),
        "duration_s": round(duration, 2),
        "pipeline": dict(stats),
        "resumed_after_incomplete_run": resume,
    }
    # What each source showed us: posts and articles yielded (new or changed) plus those
    # skipped as unchanged; a quiet incremental run is not a source that went silent.
    summary_stats["per_source"] = {
        s.name: sum(
            int(result.per_source.get(s.name, {}).get(f"tangguh/{key}", 0) or 0)
            for key in ("items/post", "items/article", "unchanged")
        )
        for s in sources
    }
    summary_stats["finish_reasons"] = {
        name: st.get("finish_reason") for name, st in result.per_source.items()
    }
    # Each spider's own clock, engine open to close (the duration adds start-up).
    summary_stats["crawl_s"] = {
        name: round(float(st.get("elapsed_time_seconds") or 0.0), 2)
        for name, st in result.per_source.items()
    }
    return summary_stats


def conclude(db: Database, summary_stats: dict[str, Any], run_id: int | None) -> tuple[str, int]:
    """The run's status and exit code; adds the sources' yield warnings to the summary."""
    with db.read() as session:
        warnings = source_warnings(
            repo.recent_runs(session, 10), summary_stats["per_source"], run_id
        )
    summary_stats["warnings"] = warnings
    reasons = summary_stats["finish_reasons"].values()
    if summary_stats["failed"]:
        return "partial", int(ExitCode.PARTIAL)
    if any(reason == "closespider_timeout" for reason in reasons):
        # --max-runtime: a clean stop; the next run walks the listings again.
        return "stopped", int(ExitCode.OK)
    if warnings:
        return "warning", int(ExitCode.WARNING)
    return "ok", int(ExitCode.OK)


# A source yielding under this share of its recent average is reported.
DROP_RATIO = 0.5


def source_warnings(previous_runs, per_source: dict[str, int], run_id: int | None) -> list[str]:
    """Sources that yielded nothing, or far fewer items than in their recent full runs."""
    warnings = []
    for name, count in per_source.items():
        history = [
            run.stats["per_source"][name]
            for run in previous_runs
            if run.id != run_id
            and run.status in ("ok", "warning")
            and isinstance(run.stats, dict)
            and name in (run.stats.get("per_source") or {})
        ]
        average = sum(history) / len(history) if history else None
        if count == 0 and not average:
            again = f" (nothing in its last {len(history)} runs either)" if history else ""
            warnings.append(f"source {name!r} yielded nothing{again}")
        elif count == 0 or (average and count < DROP_RATIO * average):
            warnings.append(
                f"source {name!r} yielded {count} items, under half its recent average "
                f"of {average:.0f}"
            )
    return warnings
