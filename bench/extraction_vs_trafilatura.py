"""Our page objects vs trafilatura on the same saved HTML pages, on the checks both answer.

    python -m bench.extraction_vs_trafilatura

For every HTML fixture of a post or article (tests/scrapers/fixtures), both extractors
get the same bytes and URL; each is scored on the same checks: the title, the author, the
publication *instant* (both parsed with pipelines.dates so formatting does not count; a
day-only answer scores only where the page itself shows only the day), every
must-contain snippet of the body and every must-not-contain one (sidebar, related news,
"Baca juga", header dates, comments). Comments are left out: trafilatura has no comment
records. Caveat: the fixtures were written while building our page objects, so read this
as "where trafilatura falls short on these page shapes", not as a neutral benchmark.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import trafilatura

from pipelines.dates import parse_date
from scrapers.pages.blogger_html import BloggerPostPage
from scrapers.pages.news import NewsArticlePage
from scrapers.pages.wordpress import WordPressPostPage

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "scrapers" / "fixtures"
PAGES = {"blogger_html", "wordpress_html", "news"}


def ours(kind: str, url: str, html: str, selectors: dict | None) -> dict:
    if kind == "blogger_html":
        doc = BloggerPostPage(url, html).post()
    elif kind == "wordpress_html":
        doc = WordPressPostPage(url, html).post()
    else:
        doc = NewsArticlePage(url, html, selectors).article()
    return {
        "title": doc.title,
        "author": doc.author,
        "date": doc.published_raw,
        "text": doc.text or "",
    }


def theirs(url: str, html: str) -> dict:
    result = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    doc = result.as_dict() if result is not None else {}
    return {
        "title": doc.get("title"),
        "author": doc.get("author"),
        "date": doc.get("date"),
        "text": doc.get("text") or "",
    }


def _same_instant(got: str | None, want: str | None) -> bool:
    a, b = parse_date(got), parse_date(want)
    if a is None or b is None:
        return a is None and b is None
    if b.precision in ("day", "month") or a.precision in ("day", "month"):
        return a.precision == b.precision and a.isoformat() == b.isoformat()
    return a.utc == b.utc


def score(spec: dict, got: dict) -> tuple[int, int, list[str]]:
    expect = spec.get("expect", {})
    checks: list[tuple[str, bool]] = []
    if "title" in expect:
        checks.append(("title", (got["title"] or "").strip() == expect["title"]))
    if "author" in expect:
        checks.append(("author", (got["author"] or None) == expect["author"]))
    if "published_raw" in expect and not str(expect["published_raw"]).startswith("~"):
        checks.append(("date", _same_instant(got["date"], expect["published_raw"])))
    for snippet in spec.get("must_contain", []):
        checks.append((f"has:{snippet[:25]}", snippet in got["text"]))
    for snippet in spec.get("must_not_contain", []):
        checks.append((f"not:{snippet[:25]}", snippet not in got["text"]))
    failed = [name for name, ok in checks if not ok]
    return len(checks) - len(failed), len(checks), failed


def main() -> int:
    totals = {"ours": [0, 0, 0.0], "trafilatura": [0, 0, 0.0]}
    print(f"{'fixture':38} {'ours':>7} {'trafilatura':>12}  trafilatura misses")
    for expected in sorted(FIXTURES.glob("*.expected.json")):
        spec = json.loads(expected.read_text(encoding="utf-8"))
        if spec["page"] not in PAGES:
            continue
        raw = expected.with_name(expected.name.replace(".expected.json", ".html")).read_bytes()
        html = raw.decode(spec.get("encoding", "utf-8"), "replace")
        row = {}
        for name in ("ours", "trafilatura"):
            started = time.perf_counter()
            if name == "ours":
                got = ours(spec["page"], spec["url"], html, spec.get("selectors"))
            else:
                got = theirs(spec["url"], html)
            elapsed = time.perf_counter() - started
            ok, n, failed = score(spec, got)
            totals[name][0] += ok
            totals[name][1] += n
            totals[name][2] += elapsed
            row[name] = (ok, n, failed)
        name = expected.name[: -len(".expected.json")]
        print(
            f"{name:38} {row['ours'][0]:>3}/{row['ours'][1]:<3} "
            f"{row['trafilatura'][0]:>5}/{row['trafilatura'][1]:<5}  "
            f"{', '.join(row['trafilatura'][2])[:70]}"
        )
    for name, (ok, n, secs) in totals.items():
        print(f"{name:12}: {ok}/{n} checks = {ok / n:.3f}, {1000 * secs:.0f} ms in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
