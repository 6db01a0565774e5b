"""Extraction on real pages no one here wrote: the `tangguh fetch` path against trafilatura.

    python -m bench.realpages [--pages DIR] [--limit N] [--show N] [--json FILE]

The development set (``../shared/data/realpages/``: 949 saved pages of news, blogs,
government and company sites in many languages, each with snippets its main text must
contain and snippets of boilerplate it must not) is served on loopback under the pages' own
host names (``TANGGUH_RESOLVE``), fetched with the real CLI (``tangguh fetch --urls``, every
middleware and pipeline, into a SQLite file), and each page is matched to the document its
own request was stored as (the run record's per-URL outcomes). trafilatura runs on the same bytes
in the same run, as the baseline.

Scoring is trafilatura's own: a ``with`` snippet found in the text is a true positive, one
missing a false negative, a ``without`` snippet found a false positive; precision, recall and
F1 over every snippet of every page, on whitespace-normalised text. A page that was not
stored scores as empty text. The per-page list shows where we lose to trafilatura.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = ROOT.parent / "shared" / "data" / "realpages"
TANGGUH = Path(sys.executable).with_name("tangguh")


@dataclass
class RealPage:
    key: str  # the URL the page was saved from (or a label for a few odd entries)
    file: str
    with_: list[str]
    without: list[str]
    host: str = ""
    target: str = ""  # path + query as served
    serve_url: str = ""
    body: bytes = b""


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    pages: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # key -> tp, fn, fp

    def add(self, page: RealPage, text: str) -> None:
        tp = sum(_norm(s) in text for s in page.with_)
        fp = sum(_norm(s) in text for s in page.without)
        self.tp += tp
        self.fn += len(page.with_) - tp
        self.fp += fp
        self.tn += len(page.without) - fp
        self.pages[page.key] = (tp, len(page.with_) - tp, fp)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def load(directory: Path, limit: int | None = None) -> list[RealPage]:
    spec = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    pages: list[RealPage] = []
    taken: set[tuple[str, str]] = set()
    for i, (key, value) in enumerate(spec.items()):
        page = RealPage(key, value["file"], list(value["with"]), list(value["without"]))
        parts = urlsplit(key.strip().removeprefix("x"))
        host = (parts.hostname or "").lower() if parts.scheme in ("http", "https") else ""
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        target = target.replace(" ", "%20")  # one saved URL has a space in its path
        if not host or (host, _target_key(target)) in taken:
            host, target = f"page-{i}.realpages.test", "/" + value["file"].removesuffix(".gz")
        taken.add((host, _target_key(target)))
        page.host, page.target = host, target
        page.body = gzip.decompress((directory / "pages" / value["file"]).read_bytes())
        pages.append(page)
        if limit and len(pages) >= limit:
            break
    return pages


def _target_key(target: str) -> str:
    """A path and query as the server compares them: decoded, slashes collapsed, spaces
    and a trailing slash ignored (saved URLs carry all of these)."""
    key = re.sub(r"/{2,}", "/", unquote(target).replace(" ", "").replace("+", ""))
    return key.rstrip("/") or "/"


def serve(pages: list[RealPage]) -> ThreadingHTTPServer:
    """The pages on 127.0.0.1 under their own host names and paths (404 for anything else)."""
    table = {(p.host, _target_key(p.target)): p.body for p in pages}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            body = table.get((host, _target_key(self.path)))
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html")
            payload = body if body is not None else b"<html><body>not here</body></html>"
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    for p in pages:
        p.serve_url = f"http://{p.host}:{port}{p.target}"
    return server


def fetch(pages: list[RealPage], workdir: Path) -> tuple[dict[str, str], float, str]:
    """Run `tangguh fetch --urls` over the served pages; texts by serve URL."""
    urls = workdir / "urls.txt"
    urls.write_text("".join(p.serve_url + "\n" for p in pages), encoding="utf-8")
    db = workdir / "realpages.db"
    env = {
        **os.environ,
        "TANGGUH_RESOLVE": "*=127.0.0.1",
        "TANGGUH_ALLOW_PRIVATE": "1",
        "COLUMNS": "250",
        # Loopback: no politeness delay, many pages at once.
        "TANGGUH_SCRAPY_SETTINGS": json.dumps(
            {
                "DOWNLOAD_DELAY": 0,
                "AUTOTHROTTLE_ENABLED": False,
                "CONCURRENT_REQUESTS": 32,
                "ROBOTSTXT_OBEY": False,
            }
        ),
    }
    started = time.perf_counter()
    proc = subprocess.run(
        [str(TANGGUH), "--db", f"sqlite:///{db}", "fetch", "--urls", str(urls)],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
    )
    elapsed = time.perf_counter() - started
    summary = (proc.stdout.strip().splitlines() or [""])[-1]
    if proc.returncode not in (0, 3, 7):
        print(proc.stdout[-2000:], proc.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"tangguh fetch failed with exit code {proc.returncode}")
    texts: dict[str, str] = {}
    with sqlite3.connect(db) as conn:
        # Each listed URL's outcome names the documents it was stored as (a page is stored
        # under its canonical URL, which two saved pages may share).
        (stats,) = conn.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
        docs = dict(conn.execute("SELECT url, text FROM documents WHERE kind != 'comment'"))
    for outcome in json.loads(stats).get("url_outcomes", []):
        stored = [docs[u] for u in outcome["stored"] if u in docs]
        if stored:
            texts[_served_key(outcome["url"])] = _norm(stored[0])
    return texts, elapsed, summary


def _served_key(url: str) -> str:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"{(parts.hostname or '').lower()}|{_target_key(target)}"


def trafilatura_texts(pages: list[RealPage]) -> tuple[dict[str, str], float]:
    import trafilatura

    texts: dict[str, str] = {}
    started = time.perf_counter()
    for p in pages:
        try:
            text = trafilatura.extract(p.body, url=p.key if "://" in p.key else None)
        except Exception:  # a crash on one page is an empty answer, as for us
            text = None
        texts[p.key] = _norm(text)
    return texts, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--show", type=int, default=25, help="list this many worst pages")
    parser.add_argument("--json", type=Path, default=None, help="write per-page results here")
    args = parser.parse_args(argv)
    if not (args.pages / "expected.json").is_file():
        print(f"no real pages at {args.pages} (expected.json missing)")
        return 2
    pages = load(args.pages, args.limit)
    server = serve(pages)
    try:
        with tempfile.TemporaryDirectory(prefix="tangguh-realpages-") as tmp:
            ours, ours_s, summary = fetch(pages, Path(tmp))
    finally:
        server.shutdown()
    theirs, theirs_s = trafilatura_texts(pages)

    mine, base = Score(), Score()
    missing = []
    for p in pages:
        text = ours.get(_served_key(p.serve_url))
        if text is None:
            missing.append(p)
        mine.add(p, text or "")
        base.add(p, theirs[p.key])

    print(f"{len(pages)} real pages, {sum(len(p.with_) + len(p.without) for p in pages)} snippets")
    print(f"tangguh fetch: {summary}")
    print(f"{'':14}{'F1':>7}{'precision':>11}{'recall':>8}{'stored':>9}{'seconds':>9}")
    print(
        f"{'tangguh':14}{mine.f1:7.3f}{mine.precision:11.3f}{mine.recall:8.3f}"
        f"{len(pages) - len(missing):9d}{ours_s:9.1f}"
    )
    print(
        f"{'trafilatura':14}{base.f1:7.3f}{base.precision:11.3f}{base.recall:8.3f}"
        f"{sum(bool(theirs[p.key]) for p in pages):9d}{theirs_s:9.1f}"
    )
    print(f"ratio F1 {mine.f1 / base.f1:.3f}, recall {mine.recall / base.recall:.3f}")
    worse = []
    for p in pages:
        tp, fn, fp = mine.pages[p.key]
        btp, bfn, bfp = base.pages[p.key]
        loss = (btp - tp) + (fp - bfp)
        if loss > 0:
            worse.append((loss, p.key, tp, fp, btp, bfp))
    worse.sort(key=lambda w: (-w[0], w[1]))
    print(f"\n{len(worse)} pages where trafilatura scores better (with found / without found):")
    for loss, key, tp, fp, btp, bfp in worse[: args.show]:
        print(f"  -{loss} ours {tp}/{fp} theirs {btp}/{bfp}  {key}")
    if missing:
        print(f"\n{len(missing)} pages not stored:")
        for p in missing[: args.show]:
            print(f"  {p.key}  ({p.file})")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    p.key: {
                        "ours": mine.pages[p.key],
                        "trafilatura": base.pages[p.key],
                        "stored": p not in missing,
                    }
                    for p in pages
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
